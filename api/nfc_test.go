package api

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/cicpa/weiquan/wire"
)

// TestTextIsStoredInNFC: a summary typed decomposed (e + U+0301) is kept composed, and a search
// typed either way finds it.
func TestTextIsStoredInNFC(t *testing.T) {
	a := newTestAPI(t)
	body := caseBody()
	body["summary"] = "Cafe\u0301 拖欠工资"
	var c wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", body).want(http.StatusCreated).decode(&c)
	if c.Summary != "Caf\u00e9 拖欠工资" {
		t.Fatalf("summary %q, want it in NFC", c.Summary)
	}
	for _, q := range []string{"Caf\u00e9", "Cafe\u0301"} {
		var page wire.CaseList
		a.do(secretaryBJ, "GET", "/api/v1/cases?q="+url.QueryEscape(q), nil).want(http.StatusOK).decode(&page)
		if len(page.Cases) != 1 {
			t.Errorf("q=%q found %d cases, want 1", q, len(page.Cases))
		}
	}
}
