package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// TestLoadYearThroughConsole: the operator uploads a year file that makes 1 December a day
// off; the page lists the member's deadline it moves and shows that every open case was told.
func TestLoadYearThroughConsole(t *testing.T) {
	sys := newSystem(t)
	member := sys.browser()
	member.signIn(article23.RoleMember, "BJ", "110000000001")
	number := member.submitCase().caseNumber()

	data, err := os.ReadFile("../calendar/data/2026.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	file["days"] = append(file["days"].([]any), map[string]any{"name": "测试假日", "date": "2026-12-01", "isOffDay": true})
	body, _ := json.Marshal(file)

	op := sys.browser()
	op.get("/signin?lang=en")
	op.signIn(article23.RoleAdmin, article23.NationalInstitute, "")
	op.get("/calendar").must(t, http.StatusOK, "Working-day calendar")
	p := op.postFile("/calendar", url.Values{"year": {"2026"}}, "2026.json", body).must(t, http.StatusOK,
		"1 days changed; among 1 open cases, 1 deadlines moved.", number, "2026-12-18", "2026-12-21",
		"Every open case has been told of this version: 1 signalled, 0 had just ended, 0 failed")
	if strings.Contains(p.body, `class="alert"`) {
		t.Errorf("a finished reload without failures shows an alert:\n%s", p.body)
	}
	if len(sys.engine.Signals()) != 1 || !strings.HasPrefix(sys.engine.Signals()[0], number+" ") {
		t.Fatalf("signals %v, want one for %s", sys.engine.Signals(), number)
	}
}
