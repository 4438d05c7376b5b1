package main

import (
	"bytes"
	"context"
	"net"
	"os"
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
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

// TestComposeMatchesBinary keeps docker-compose.yml honest where no Docker engine runs: every
// variable it sets for weiquan is one the binary reads, every command is a subcommand, and
// the published ports and health checks point at the addresses the processes listen on.
func TestComposeMatchesBinary(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
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
