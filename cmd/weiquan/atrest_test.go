package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
)

// atRest is personal data of a member and a dispute that must never sit in Temporal's files.
var atRest = map[string]string{
	"member name": "落盘测试员", "member number": "990000000456",
	"counterparty": "COUNTERPARTY-7QX 某某会计师事务所", "summary": "SUMMARY-7QX 离职后被拖欠三个月工资",
	"claims": "CLAIMS-7QX 支付欠薪", "reasons": "REASONS-7QX 不属于维权范围",
}

// TestDevTemporalFilesHoldNoPersonalData runs `weiquan dev` on its embedded defaults, opens
// two cases through the API with a member's personal data, accepts one and refuses the other
// with reasons, stops the process, and then reads every file the embedded Temporal server
// wrote in the data dir (its SQLite database with WAL and shared memory, its log) byte by
// byte: no name, member number, counterparty, summary, claims or reasons is there in UTF-8,
// while the case workflows' IDs are (the scan reads what the server stored). The store
// (weiquan.db) and the letters hold them by design: they are weiquan's system of record.
// With WEIQUAN_PAYLOAD_KEYS=none the same scan finds every one of them in temporal.db and its
// WAL (tried by hand when the test was written).
func TestDevTemporalFilesHoldNoPersonalData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole system")
	}
	t.Setenv("WEIQUAN_PAYLOAD_KEYS", "") // dev's own key, whatever the caller's environment says
	dir := t.TempDir()
	port, tport := freePort(t), freePort(t)
	p := startDev(t, dir, port, tport)
	p.waitReady(t, time.Now())
	key, err := readDevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	member, _ := auth.Mint(key, auth.MintOptions{Role: article23.RoleMember, Institute: "BJ", MemberNo: atRest["member number"], Now: time.Now()})
	secretary, _ := auth.Mint(key, auth.MintOptions{Role: article23.RoleSecretary, Institute: "BJ", Now: time.Now()})
	today := calendar.DateOf(time.Now()).String()
	var numbers []string
	for i, decision := range []map[string]any{
		{"decision": "accept", "notice_served_on": today},
		{"decision": "reject", "reasons": atRest["reasons"], "notice_served_on": today},
	} {
		var c struct{ Number string }
		postJSON(t, p.api+"/api/v1/cases", member, fmt.Sprintf("at-rest-%d", i), map[string]any{"institute": "BJ", "applicant": map[string]string{
			"member_no": atRest["member number"], "name": atRest["member name"], "kind": "practising"},
			"counterparty": atRest["counterparty"], "category": "labour", "summary": atRest["summary"], "claims": atRest["claims"],
		}, &c, http.StatusCreated)
		postJSON(t, p.api+"/api/v1/cases/"+c.Number+"/decision", secretary, "at-rest-decide-"+c.Number, decision, nil, http.StatusOK)
		numbers = append(numbers, c.Number)
		t.Logf("case %d: %s, %s", i, c.Number, decision["decision"])
	}
	// a member's own action with a key: its Update ID must not carry the member number
	postJSON(t, p.api+"/api/v1/cases/"+numbers[0]+"/withdrawal", member, "at-rest-withdraw", map[string]any{"reason": atRest["reasons"]}, nil, http.StatusOK)
	p.stop(t)

	files, err := filepath.Glob(filepath.Join(dir, "temporal*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Temporal files in the data dir %s: %v", dir, err)
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for what, v := range atRest {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s %q in plain text in %s", what, v, filepath.Base(f))
			}
		}
		all = append(all, b...)
	}
	for _, n := range numbers {
		if !bytes.Contains(all, []byte("case-"+n)) {
			t.Fatalf("the scan of %v did not find workflow ID case-%s: it is not reading what the server stored", files, n)
		}
	}
	t.Logf("scanned %d bytes in %d files", len(all), len(files))
}

// postJSON posts body with a bearer token and an Idempotency-Key and decodes the answer,
// which must have status want.
func postJSON(t *testing.T, url, token, idem string, body, out any, want int) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idem)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		var p bytes.Buffer
		_, _ = p.ReadFrom(resp.Body)
		t.Fatalf("POST %s: %s, want %d: %s", url, resp.Status, want, p.String())
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}
