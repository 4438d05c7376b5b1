package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"maps"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	enumspb "go.temporal.io/api/enums/v1"
	"go.yaml.in/yaml/v3"

	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
)

type composeFile struct {
	Services map[string]struct {
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Networks    []string          `yaml:"networks"`
		Profiles    []string          `yaml:"profiles"`
		Restart     string            `yaml:"restart"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Networks map[string]struct {
		Internal bool `yaml:"internal"`
	} `yaml:"networks"`
}

// readCompose parses docker-compose.yml with ${VAR:?…} filled from env, as compose does with
// an .env file; a variable the file requires and env lacks fails the test.
func readCompose(t *testing.T, env map[string]string) composeFile {
	t.Helper()
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`\$\{([A-Z_]+)(:\?[^}]*)?\}`)
	filled := ref.ReplaceAllStringFunc(string(raw), func(r string) string {
		name := ref.FindStringSubmatch(r)[1]
		v, ok := env[name]
		if !ok {
			t.Errorf("docker-compose.yml needs %s, which .env.example does not list", name)
		}
		return v
	})
	var cf composeFile
	if err := yaml.Unmarshal([]byte(filled), &cf); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	return cf
}

// exampleEnv is .env.example with every value filled as an operator would (fresh keys).
func exampleEnv(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for line := range strings.Lines(string(raw)) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		env[k] = v + hex.EncodeToString(key)
	}
	return env
}

// TestComposeMatchesBinary keeps docker-compose.yml honest where no Docker engine runs: every
// variable it sets for weiquan is one the binary reads, every command is a subcommand, and
// the published ports and health checks point at the addresses the processes listen on.
func TestComposeMatchesBinary(t *testing.T) {
	cf := readCompose(t, exampleEnv(t))
	ours := 0
	for name, svc := range cf.Services {
		if svc.Build == nil {
			continue
		}
		ours++
		t.Run(name, func(t *testing.T) {
			for k := range svc.Environment {
				if !slices.Contains(config.Vars, k) {
					t.Errorf("sets %s, which weiquan does not read", k)
				}
			}
			if len(svc.Command) != 1 || !isCommand(svc.Command[0]) {
				t.Fatalf("command %v is not a weiquan subcommand", svc.Command)
			}
			cfg, err := config.FromEnv(func(k string) string { return svc.Environment[k] })
			if err != nil {
				t.Fatalf("environment does not load: %v", err)
			}
			role := config.Role(svc.Command[0])
			if err := cfg.Validate(role); err != nil {
				t.Fatalf("the %s process would refuse this environment: %v", role, err)
			}
			checkPorts(t, role, cfg, svc.Ports, svc.Healthcheck.Test)
		})
	}
	if ours != 3 {
		t.Fatalf("want migrate, api and worker built from the repo, found %d services", ours)
	}
}

// TestComposeExposesOnlyTheAPI: PostgreSQL and Temporal are on the internal network only, the
// API alone is published (the Web UI, which can terminate workflows, only on loopback and only
// with the ops profile), and every long-running service restarts.
func TestComposeExposesOnlyTheAPI(t *testing.T) {
	cf := readCompose(t, exampleEnv(t))
	if !cf.Networks["backend"].Internal {
		t.Error("the backend network is not internal")
	}
	for name, svc := range cf.Services {
		switch {
		case name == "api":
			if !slices.Equal(svc.Ports, []string{"8080:8080"}) {
				t.Errorf("api publishes %v", svc.Ports)
			}
		case name == "temporal-ui":
			if !slices.Equal(svc.Profiles, []string{"ops"}) || len(svc.Ports) != 1 || !strings.HasPrefix(svc.Ports[0], "127.0.0.1:") {
				t.Errorf("the Web UI runs by default or publishes beyond loopback: profiles %v, ports %v", svc.Profiles, svc.Ports)
			}
		case len(svc.Ports) > 0:
			t.Errorf("%s publishes %v", name, svc.Ports)
		}
		if (name == "postgres" || name == "temporal") && !slices.Equal(svc.Networks, []string{"backend"}) {
			t.Errorf("%s is on %v, want the internal network only", name, svc.Networks)
		}
		if want := map[bool]string{true: "no", false: "unless-stopped"}[oneShot[name]]; svc.Restart != want {
			t.Errorf("%s restart %q, want %q", name, svc.Restart, want)
		}
	}
}

// oneShot are the jobs that run to completion on `docker compose up`: the schemas and the
// Temporal registration.
var oneShot = map[string]bool{"migrate": true, "temporal-schema": true, "temporal-register": true}

// TestComposeIsValid loads docker-compose.yml with compose-go, the loader Docker Compose v2
// itself uses, which validates it against the Compose Specification's schema and resolves
// its anchors, interpolation and dependencies as `docker compose up` would.
func TestComposeIsValid(t *testing.T) {
	var env []string
	for k, v := range exampleEnv(t) {
		env = append(env, k+"="+v)
	}
	opts, err := cli.NewProjectOptions([]string{"../../docker-compose.yml"}, cli.WithEnv(env), cli.WithName("weiquan"),
		cli.WithProfiles([]string{"ops"}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml is not a valid Compose file: %v", err)
	}
	for _, name := range []string{"postgres", "temporal-schema", "temporal", "temporal-register", "temporal-ui", "migrate", "api", "worker"} {
		if _, err := p.GetService(name); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
	}
	for _, name := range []string{"temporal-schema", "temporal-register"} {
		svc, _ := p.GetService(name)
		for _, v := range svc.Volumes {
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("%s mounts %s: %v", name, v.Source, err)
			}
		}
	}
}

// TestComposeCheckCatches: the loader is not lenient: a misspelt key fails the schema.
func TestComposeCheckCatches(t *testing.T) {
	bad := t.TempDir() + "/compose.yml"
	if err := os.WriteFile(bad, []byte("services:\n  api:\n    image: weiquan\n    restrat: always\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{bad}, cli.WithName("bad"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := opts.LoadProject(context.Background()); err == nil || !strings.Contains(err.Error(), "restrat") {
		t.Fatalf("a misspelt key passed: %v", err)
	}
}

// TestComposeTemporalMatchesEmbedded: production runs the Temporal release weiquan embeds for
// development and tests, and registers the same search attributes with the same types.
func TestComposeTemporalMatchesEmbedded(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	server := serverVersion(t)
	for _, image := range regexp.MustCompile(`image: (temporalio/(?:server|admin-tools)):(\S+)`).FindAllStringSubmatch(string(raw), -1) {
		if image[2] != server {
			t.Errorf("%s:%s, but weiquan embeds go.temporal.io/server v%s", image[1], image[2], server)
		}
	}
	script, err := os.ReadFile("../../deploy/temporal/register.sh")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]enumspb.IndexedValueType{"Keyword": enumspb.INDEXED_VALUE_TYPE_KEYWORD, "Datetime": enumspb.INDEXED_VALUE_TYPE_DATETIME,
		"Int": enumspb.INDEXED_VALUE_TYPE_INT, "Text": enumspb.INDEXED_VALUE_TYPE_TEXT, "Bool": enumspb.INDEXED_VALUE_TYPE_BOOL}
	registered := map[string]enumspb.IndexedValueType{}
	for _, m := range regexp.MustCompile(`\b(Weiquan[A-Za-z]+):([A-Za-z]+)\b`).FindAllStringSubmatch(string(script), -1) {
		registered[m[1]] = types[m[2]]
	}
	if !maps.Equal(registered, devserver.SearchAttributes) {
		t.Errorf("register.sh registers %v, the embedded server %v", registered, devserver.SearchAttributes)
	}
}

// serverVersion is the go.temporal.io/server version in go.mod.
func serverVersion(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`go\.temporal\.io/server v([0-9.]+)`).FindStringSubmatch(string(raw))
	if m == nil {
		t.Fatal("go.mod does not require go.temporal.io/server")
	}
	return m[1]
}

func isCommand(cmd string) bool {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{cmd, "-h"}, &out, &errb)
	return !strings.Contains(errb.String(), "unknown command") && (err == nil || !strings.Contains(err.Error(), "unknown command"))
}

func checkPorts(t *testing.T, role config.Role, cfg config.Config, ports, health []string) {
	t.Helper()
	listen := map[config.Role]string{config.RoleAPI: cfg.Listen, config.RoleWorker: cfg.HealthListen}[role]
	if listen == "" {
		return
	}
	_, port, _ := net.SplitHostPort(listen)
	if role == config.RoleAPI && !slices.Contains(ports, port+":"+port) {
		t.Errorf("ports %v do not publish the API's %s", ports, port)
	}
	if len(health) < 4 || health[2] != "probe" || !strings.Contains(health[3], ":"+port+"/readyz") {
		t.Errorf("health check %v does not probe :%s/readyz", health, port)
	}
}
