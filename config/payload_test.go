package config

import (
	"strings"
	"testing"
)

func TestPayloadKeys(t *testing.T) {
	hex64 := strings.Repeat("0f", 32)
	base := map[string]string{"DATABASE_URL": "sqlite:///tmp/w.db", "WEIQUAN_BLOB_DIR": "/tmp/b", "WEIQUAN_SIGNING_KEY": hex64}
	for _, tc := range []struct {
		name, keys string
		role       Role
		loadErr    string
		validErr   string
		active     string
	}{
		{name: "api refuses no decision", role: RoleAPI, validErr: "WEIQUAN_PAYLOAD_KEYS: not set"},
		{name: "worker refuses no decision", role: RoleWorker, validErr: "WEIQUAN_PAYLOAD_KEYS: not set"},
		{name: "migrate needs none", role: RoleMigrate},
		{name: "explicit none", keys: "none", role: RoleAPI},
		{name: "two keys, first active", keys: "k2:" + hex64 + ",k1:" + strings.Repeat("1e", 32), role: RoleWorker, active: "k2"},
		{name: "short key", keys: "k1:abcd", role: RoleAPI, loadErr: "WEIQUAN_PAYLOAD_KEYS: key k1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"WEIQUAN_PAYLOAD_KEYS": tc.keys}
			for k, v := range base {
				env[k] = v
			}
			c, err := FromEnv(func(k string) string { return env[k] })
			if tc.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.loadErr) {
					t.Fatalf("load error %v, want %q", err, tc.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(tc.role)
			if (tc.validErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.validErr)) {
				t.Fatalf("validate: %v, want %q", err, tc.validErr)
			}
			cd, err := c.Temporal.Payload.Codec()
			if err != nil || (tc.active == "") != (cd == nil) || (cd != nil && cd.ActiveKeyID() != tc.active) {
				t.Fatalf("codec %v %v, want active %q", cd, err, tc.active)
			}
		})
	}
}
