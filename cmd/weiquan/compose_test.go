package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cicpa/weiquan/config"
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
		if want := map[bool]string{true: "no", false: "unless-stopped"}[name == "migrate"]; svc.Restart != want {
			t.Errorf("%s restart %q, want %q", name, svc.Restart, want)
		}
	}
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
