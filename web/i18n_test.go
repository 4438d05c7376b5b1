package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// TestCatalogues checks that both catalogues hold the same keys and that every key the
// templates and handlers use, literally or by prefix, is in them.
func TestCatalogues(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for k := range cat["zh"] {
		if _, ok := cat["en"][k]; !ok {
			t.Errorf("%s: in zh.json, not in en.json", k)
		}
	}
	for k := range cat["en"] {
		if _, ok := cat["zh"][k]; !ok {
			t.Errorf("%s: in en.json, not in zh.json", k)
		}
	}
	for _, k := range usedKeys(t) {
		if !cat.has(k) {
			t.Errorf("%s: used but in no catalogue", k)
		}
	}
}

// usedKeys are the literal keys in templates and Go files, and every value of the
// prefixes pages build keys from.
func usedKeys(t *testing.T) []string {
	literal := regexp.MustCompile(`(?:\.T|"label"|"hint" \(\.T|\bt\(\w+, ) ?"([a-z_]+\.[a-z_.]+)"|"((?:error|err|problem)\.[a-z_]+)"`)
	var keys []string
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html")) {
			return err
		}
		b, err := os.ReadFile(filepath.Clean(p))
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1]+m[2])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	add := func(prefix string, vs ...string) {
		for _, v := range vs {
			keys = append(keys, prefix+v)
		}
	}
	for _, s := range article23.Stages {
		add("stage.", string(s))
	}
	for _, c := range article23.ClockNames {
		add("clock.", string(c))
	}
	for _, r := range append(roles, article23.RoleSystem) {
		add("role.", string(r))
	}
	for code := range workflows.ErrorKinds {
		add("problem.", code)
	}
	for name := range caseActions {
		add("done.", strings.ReplaceAll(name, "-", "_"))
	}
	add("inst.", institutes...)
	add("category.", categories...)
	add("status.", "late", "soon", "ok", "met", "cancelled")
	add("kind.", "firm", "practising", "non_practising")
	add("manner.", "letter", "meeting", "phone", "email")
	add("extension.", "pending", "approved", "refused")
	add("channel.", "online", "paper")
	add("letter.", "acceptance", "non_acceptance", "extension", "feedback")
	add("calstatus.", "official", "official-unverified", "provisional")
	add("calsource.", "official-unverified", "provisional")
	add("weekday.", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
	add("event.", "case_received", "supplement_requested", "supplement_received", "accepted", "not_accepted", "committee_held",
		"feedback_given", "closed", "withdrawn", "reassigned", "extension_requested", "extension_approved", "extension_refused",
		"clock_started", "clock_moved", "clock_met", "reminder", "clock_breached", "escalated", "escalation_acknowledged", "calendar_updated",
		"claimed")
	for _, tab := range inboxTabs {
		add("inbox.tab_", tab.name)
	}
	add("routing.", "unassigned", "round_robin", "unassigned_hint", "round_robin_hint")
	add("countfrom.", "decision", "receipt")
	add("settings.audience_", audienceKeys...)
	add("done.", "staff_added", "staff_saved", "staff_deactivated", "staff_activated", "settings_saved")
	add("fielderr.", "id", "name", "email", "role", "institute", "active", "secretary", "version", "contacts.emails", "contacts.emails[]",
		"contacts.webhooks", "contacts.webhooks[].url", "contacts.webhooks[].secret")
	add("fielderr.policy.", policyNumbers...)
	add("fielderr.policy.", "count_from", "reminder_workdays", "working_hours_start", "working_hours_end", "routing")
	add("problem.", "invalid", "unauthenticated", "rate_limited", "unavailable", "internal", "too_large", "unsupported_media_type",
		"idempotency_conflict", "not_found", "forbidden", "bad_request", "account_deactivated", "already_exists", "stale_version")
	if len(keys) < 300 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", len(keys))
	}
	return keys
}

// TestEveryPageParses renders nothing but proves each page's template set parses.
func TestEveryPageParses(t *testing.T) {
	ps, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"signin", "cases", "newcase", "case", "withdraw", "inbox", "dashboard", "report", "calendar", "error", "notifications", "staff", "settings"} {
		if ps[name] == nil {
			t.Errorf("no page %s", name)
		}
	}
}
