package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The keys docker-compose.yml publishes are the ones the configuration knows as published.
// TestComposePublishesNoKey: docker-compose.yml takes every secret from .env; no key is
// written in it (a key in a repository is a published key).
func TestComposePublishesNoKey(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	if keys := regexp.MustCompile(`[0-9a-fA-F]{32,}`).FindAllString(string(raw), -1); len(keys) > 0 {
		t.Fatalf("docker-compose.yml writes %d keys; take them from .env", len(keys))
	}
	for _, v := range []string{"WEIQUAN_SIGNING_KEY", "WEIQUAN_PAYLOAD_KEYS", "WEIQUAN_DB_PASSWORD"} {
		if !strings.Contains(string(raw), "${"+v+":?") {
			t.Errorf("docker-compose.yml does not require %s from .env", v)
		}
	}
}

func TestPublishedKeysAndAudience(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://x@h/db", "WEIQUAN_BLOB_DIR": "/b",
		"WEIQUAN_SIGNING_KEY":  publishedKeys[0],
		"WEIQUAN_PAYLOAD_KEYS": "k1:" + publishedKeys[1]}
	with := func(extra map[string]string) Config {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		c, err := FromEnv(env(m))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := with(nil).Validate(RoleAPI); err != nil {
		t.Fatalf("the published keys on a laptop (http): %v", err)
	}
	err := with(map[string]string{"WEIQUAN_PUBLIC_URL": "https://weiquan.bicpa.org.cn"}).Validate(RoleAPI)
	if err == nil || !strings.Contains(err.Error(), "WEIQUAN_SIGNING_KEY: a key published") || !strings.Contains(err.Error(), "WEIQUAN_PAYLOAD_KEYS: k1 is a key published") {
		t.Fatalf("published keys behind https: %v", err)
	}
	err = with(map[string]string{"WEIQUAN_OIDC_ISSUER": "https://sso.cicpa.org.cn"}).Validate(RoleAPI)
	if err == nil || !strings.Contains(err.Error(), "WEIQUAN_OIDC_AUDIENCE: required") {
		t.Fatalf("an issuer without an audience: %v", err)
	}
}
