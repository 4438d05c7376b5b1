package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":8080" || c.Temporal.Address != "127.0.0.1:7233" || c.Temporal.Namespace != "default" || c.ShutdownTimeout.String() != "30s" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.Temporal.TLS() {
		t.Fatal("TLS on by default")
	}
}

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		role Role
		want []string // substrings of the error; nil means valid
	}{
		{"api ok", map[string]string{"DATABASE_URL": "postgres://x@h/db", "WEIQUAN_SIGNING_KEY": key, "WEIQUAN_BLOB_DIR": "/b", "WEIQUAN_PAYLOAD_KEYS": "k1:" + key}, RoleAPI, nil},
		{"api no blob dir", map[string]string{"DATABASE_URL": "postgres://x@h/db", "WEIQUAN_SIGNING_KEY": key}, RoleAPI, []string{"WEIQUAN_BLOB_DIR"}},
		{"api no db no key", nil, RoleAPI, []string{"DATABASE_URL: not set", "WEIQUAN_SIGNING_KEY"}},
		{"bad scheme", map[string]string{"DATABASE_URL": "mysql://x", "WEIQUAN_SIGNING_KEY": key}, RoleAPI, []string{`scheme "mysql"`}},
		{"bad temporal", map[string]string{"DATABASE_URL": "sqlite:///x.db", "TEMPORAL_ADDRESS": "nohost", "WEIQUAN_BLOB_DIR": "/b"}, RoleWorker, []string{"TEMPORAL_ADDRESS"}},
		{"cert without key", map[string]string{"DATABASE_URL": "sqlite:///x.db", "TEMPORAL_TLS_CERT": "c.pem"}, RoleWorker, []string{"TEMPORAL_TLS_KEY"}},
		{"migrate only db", map[string]string{"DATABASE_URL": "sqlite:///x.db"}, RoleMigrate, nil},
		{"token needs key", nil, RoleToken, []string{"no signing key"}},
		{"bad level", map[string]string{"DATABASE_URL": "sqlite:///x.db", "WEIQUAN_LOG_LEVEL": "loud"}, RoleMigrate, []string{"WEIQUAN_LOG_LEVEL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromEnv(env(tt.vars))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(tt.role)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestSigningKeyForms(t *testing.T) {
	file := filepath.Join(t.TempDir(), "k")
	if err := os.WriteFile(file, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, vars := range map[string]map[string]string{
		"hex":    {"WEIQUAN_SIGNING_KEY": key},
		"base64": {"WEIQUAN_SIGNING_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="},
		"file":   {"WEIQUAN_SIGNING_KEY_FILE": file},
	} {
		c, err := FromEnv(env(vars))
		if err != nil || len(c.SigningKey) < 32 {
			t.Errorf("%s: key %d bytes, err %v", name, len(c.SigningKey), err)
		}
	}
	if _, err := FromEnv(env(map[string]string{"WEIQUAN_SIGNING_KEY": "short"})); err == nil || !strings.Contains(err.Error(), "32 random bytes") {
		t.Errorf("short key: %v", err)
	}
	if _, err := FromEnv(env(map[string]string{"WEIQUAN_SHUTDOWN_TIMEOUT": "soon"})); err == nil {
		t.Error("bad duration accepted")
	}
}

func TestNoticeSettings(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Font != DefaultFont || c.SMTP.TLS != SMTPStartTLS || c.SMTP.Addr != "" || c.SMTP.Validate() != nil {
		t.Fatalf("defaults: font %q smtp %+v", c.Font, c.SMTP)
	}
	tests := []struct {
		name string
		smtp SMTP
		want string // substring of the error; "" means valid
	}{
		{"relay", SMTP{Addr: "smtp.example:587", From: "weiquan@bicpa.example", User: "u", Password: "p", TLS: SMTPStartTLS}, ""},
		{"plain relay", SMTP{Addr: "127.0.0.1:25", From: "weiquan@bicpa.example", TLS: SMTPNoTLS}, ""},
		{"tls mode", SMTP{TLS: "ssl"}, "WEIQUAN_SMTP_TLS"},
		{"no port", SMTP{Addr: "smtp.example", From: "a@b.example", TLS: SMTPStartTLS}, "WEIQUAN_SMTP_ADDR"},
		{"no from", SMTP{Addr: "smtp.example:25", TLS: SMTPStartTLS}, "WEIQUAN_SMTP_FROM"},
		{"user without password", SMTP{Addr: "smtp.example:25", From: "a@b.example", User: "u", TLS: SMTPStartTLS}, "WEIQUAN_SMTP_PASSWORD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.smtp.Validate()
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	bad, _ := FromEnv(env(map[string]string{"DATABASE_URL": "sqlite:///x.db", "WEIQUAN_SMTP_ADDR": "nohost"}))
	if err := bad.Validate(RoleWorker); err == nil || !strings.Contains(err.Error(), "WEIQUAN_SMTP_ADDR") {
		t.Fatalf("worker with a bad relay: %v", err)
	}
}

func TestOIDCClaimNames(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"WEIQUAN_OIDC_ISSUER": "https://sso.cicpa.org.cn", "WEIQUAN_OIDC_AUDIENCE": "weiquan", "WEIQUAN_OIDC_CLAIM_ROLE": "weiquan_role",
		"WEIQUAN_OIDC_CLAIM_INSTITUTE": "org", "DATABASE_URL": "postgres://x@h/db", "WEIQUAN_BLOB_DIR": "/b", "WEIQUAN_PAYLOAD_KEYS": "none"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.OIDCClaims.Role != "weiquan_role" || c.OIDCClaims.Institute != "org" || c.OIDCClaims.MemberNo != "" {
		t.Fatalf("claims %+v", c.OIDCClaims)
	}
	if err := c.Validate(RoleAPI); err != nil {
		t.Fatalf("an OIDC issuer replaces the signing key: %v", err)
	}
}

func TestConsoleSettings(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"WEIQUAN_PUBLIC_URL": "https://weiquan.cicpa.org.cn/", "WEIQUAN_SESSION_KEY": key}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Console.SecureCookies() || c.Console.OIDCRedirectURL != "https://weiquan.cicpa.org.cn/auth/callback" || len(c.Console.SessionKey) != 32 {
		t.Fatalf("console %+v", c.Console)
	}
	d, _ := FromEnv(env(nil))
	if d.Console.SecureCookies() || d.Console.PublicURL != "http://localhost:8080" {
		t.Fatalf("defaults %+v", d.Console)
	}
	for _, bad := range []map[string]string{{"WEIQUAN_PUBLIC_URL": "weiquan.local"}, {"WEIQUAN_SESSION_KEY": "short"}} {
		if _, err := FromEnv(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestWorkerCacheSize(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil || c.WorkerCacheSize != 0 {
		t.Fatalf("unset: %d, %v (want 0: the worker's default)", c.WorkerCacheSize, err)
	}
	c, err = FromEnv(env(map[string]string{"WEIQUAN_WORKER_CACHE_SIZE": " 2000 "}))
	if err != nil || c.WorkerCacheSize != 2000 {
		t.Fatalf("2000: %d, %v", c.WorkerCacheSize, err)
	}
	for _, v := range []string{"0", "-5", "2k", "1e4", "1000001"} {
		c, err := FromEnv(env(map[string]string{"WEIQUAN_WORKER_CACHE_SIZE": v}))
		if err == nil || !strings.Contains(err.Error(), "WEIQUAN_WORKER_CACHE_SIZE: want a number of workflows") || c.WorkerCacheSize != 0 {
			t.Errorf("%q: size %d, err %v", v, c.WorkerCacheSize, err)
		}
	}
}
