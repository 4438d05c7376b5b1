package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The keys docker-compose.yml publishes are the ones the configuration knows as published.
func TestComposeKeysArePublished(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`(?m)(?:WEIQUAN_SIGNING_KEY: |WEIQUAN_PAYLOAD_KEYS: k1:)([0-9a-f]{64,})`).FindAllStringSubmatch(string(raw), -1)
	if len(keys) < 2 {
		t.Fatalf("docker-compose.yml publishes %d keys; the test expects the signing and the payload key", len(keys))
	}
	for _, k := range keys {
		found := false
		for _, p := range publishedKeys {
			found = found || p == k[1]
		}
		if !found {
			t.Errorf("docker-compose.yml publishes %s…, which config.publishedKeys does not list", k[1][:12])
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
		t.Fatalf("the compose keys on a laptop (http): %v", err)
	}
	err := with(map[string]string{"WEIQUAN_PUBLIC_URL": "https://weiquan.bicpa.org.cn"}).Validate(RoleAPI)
	if err == nil || !strings.Contains(err.Error(), "WEIQUAN_SIGNING_KEY: the key published") || !strings.Contains(err.Error(), "WEIQUAN_PAYLOAD_KEYS: k1 is the key published") {
		t.Fatalf("published keys behind https: %v", err)
	}
	err = with(map[string]string{"WEIQUAN_OIDC_ISSUER": "https://sso.cicpa.org.cn"}).Validate(RoleAPI)
	if err == nil || !strings.Contains(err.Error(), "WEIQUAN_OIDC_AUDIENCE: required") {
		t.Fatalf("an issuer without an audience: %v", err)
	}
}
