package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

func TestSubmitOnline(t *testing.T) {
	a := newTestAPI(t)
	r := a.do(memberWang, "POST", "/api/v1/cases", caseBody()).want(http.StatusCreated)
	var c wire.Case
	r.decode(&c)
	if c.Number != "BJ-2026-0001" || c.Stage != article23.StageReceived || c.ReceivedOn != "2026-11-27" || c.Channel != article23.ChannelOnline {
		t.Fatalf("case %+v", c)
	}
	if got := r.Header().Get("Location"); got != "/api/v1/cases/BJ-2026-0001" {
		t.Errorf("Location %q", got)
	}
	k := c.Clocks[0]
	// 15 working days after Friday 2026-11-27 (the receipt day not counted)
	if k.Name != article23.ClockDecision || k.DueDate != "2026-12-18" || k.RemainingWorkdays == nil || *k.RemainingWorkdays != 15 {
		t.Fatalf("clock %+v", k)
	}
	if !strings.HasSuffix(k.DeadlineAt.Format("2006-01-02T15:04:05Z07:00"), "+08:00") || !strings.Contains(r.Body.String(), `"deadline_at":"2026-12-19T00:00:00+08:00"`) {
		t.Errorf("deadline not at +08:00: %s", r.Body.String())
	}
	if c.Policy.DecisionWorkdays != 15 || c.SubmittedBy.MemberNo != "110000000001" {
		t.Errorf("policy or submitter not pinned: %+v", c)
	}
}

func TestSubmitPaperBySecretary(t *testing.T) {
	a := newTestAPI(t)
	body := caseBody()
	body["received_on"] = "2026-11-23"
	var c wire.Case
	a.do(secretaryBJ, "POST", "/api/v1/cases", body).want(http.StatusCreated).decode(&c)
	if c.ReceivedOn != "2026-11-23" || c.Channel != article23.ChannelPaper || c.Secretary != "secretary@BJ" {
		t.Fatalf("case %+v", c)
	}
	body["received_on"] = "2026-11-28"
	p := a.do(secretaryBJ, "POST", "/api/v1/cases", body).problem(http.StatusUnprocessableEntity, "invalid")
	if p.Errors[0].Field != "received_on" {
		t.Errorf("errors %+v", p.Errors)
	}
}

func TestSubmitRefusals(t *testing.T) {
	a := newTestAPI(t)
	bad := caseBody()
	bad["applicant"] = map[string]any{"member_no": "", "name": " ", "kind": "student"}
	bad["summary"] = ""
	p := a.do(memberWang, "POST", "/api/v1/cases", bad).problem(http.StatusUnprocessableEntity, "invalid")
	want := map[string]bool{"applicant.member_no": true, "applicant.name": true, "applicant.kind": true, "summary": true}
	for _, f := range p.Errors {
		delete(want, f.Field)
	}
	if len(want) > 0 {
		t.Errorf("missing field errors %v in %+v", want, p.Errors)
	}
	other := caseBody()
	other["applicant"] = map[string]any{"member_no": "110000000002", "name": "李", "kind": "practising"}
	a.do(memberWang, "POST", "/api/v1/cases", other).problem(http.StatusForbidden, "forbidden")
	paper := caseBody()
	paper["received_on"] = "2026-11-20"
	a.do(memberWang, "POST", "/api/v1/cases", paper).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretarySH, "POST", "/api/v1/cases", caseBody()).problem(http.StatusForbidden, "forbidden")
	a.do(admin, "POST", "/api/v1/cases", caseBody()).problem(http.StatusForbidden, "forbidden")
	unknown := caseBody()
	unknown["institute"] = "ZZ"
	a.do(secretaryBJ, "POST", "/api/v1/cases", unknown).problem(http.StatusForbidden, "forbidden")
	a.do(principal{article23.RoleSecretary, "ZZ", "", "", ""}, "POST", "/api/v1/cases", unknown).problem(http.StatusUnauthorized, "unauthenticated")
	a.do(memberWang, "POST", "/api/v1/cases", `{"institute": "BJ",`).problem(http.StatusBadRequest, "malformed_json")
	a.do(memberWang, "POST", "/api/v1/cases", `{"institute": 7}`).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(memberWang, "POST", "/api/v1/cases", `{"nickname": "x"}`).problem(http.StatusBadRequest, "unknown_field")
	a.do(memberWang, "POST", "/api/v1/cases", []byte(`institute=BJ`), "Content-Type", "application/x-www-form-urlencoded").
		problem(http.StatusUnsupportedMediaType, "unsupported_media_type")
	big := caseBody()
	big["summary"] = strings.Repeat("长", 400_000)
	a.do(memberWang, "POST", "/api/v1/cases", big).problem(http.StatusRequestEntityTooLarge, "too_large")
	a.do(principal{}, "POST", "/api/v1/cases", caseBody()).problem(http.StatusUnauthorized, "unauthenticated")
}

func TestSubmitIdempotent(t *testing.T) {
	a := newTestAPI(t)
	var first, again wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k1").want(http.StatusCreated).decode(&first)
	a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k1").want(http.StatusOK).decode(&again)
	if first.Number != again.Number || again.Clocks[0].DueDate != first.Clocks[0].DueDate {
		t.Fatalf("retry gave %s, first %s", again.Number, first.Number)
	}
	changed := caseBody()
	changed["summary"] = "另一件事"
	a.do(memberWang, "POST", "/api/v1/cases", changed, "Idempotency-Key", "k1").problem(http.StatusUnprocessableEntity, "idempotency_conflict")
	// the same key from another caller is another request
	var other wire.Case
	a.do(memberOther, "POST", "/api/v1/cases", withApplicant(caseBody(), "110000000002"), "Idempotency-Key", "k1").want(http.StatusCreated).decode(&other)
	if other.Number != "BJ-2026-0002" {
		t.Errorf("other caller's case %s", other.Number)
	}
}

func withApplicant(b map[string]any, memberNo string) map[string]any {
	b["applicant"] = map[string]any{"member_no": memberNo, "name": "李会计师", "kind": "practising"}
	return b
}

// TestSubmitHealsLostStart: Temporal fails after the number was reserved; the client's retry
// with the same key reuses the number and starts the workflow once.
func TestSubmitHealsLostStart(t *testing.T) {
	a := newTestAPI(t)
	a.engine.FailOpen(1)
	a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k2").problem(http.StatusServiceUnavailable, "unavailable")
	var c wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k2").want(http.StatusOK).decode(&c)
	if c.Number != "BJ-2026-0001" || len(c.Clocks) != 1 {
		t.Fatalf("healed case %+v", c)
	}
	var next wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", caseBody()).want(http.StatusCreated).decode(&next)
	if next.Number != "BJ-2026-0002" {
		t.Errorf("a number was lost or reused: next is %s", next.Number)
	}
}

// TestSubmitSlowStartAnswers202: the workflow started but did not answer within SubmitWait;
// the member gets 202 with the number and Location, and the retry with the same key 200.
func TestSubmitSlowStartAnswers202(t *testing.T) {
	a := newTestAPI(t)
	a.engine.HangOpen(true)
	var c wire.Case
	r := a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k3").want(http.StatusAccepted)
	r.decode(&c)
	if c.Number != "BJ-2026-0001" || r.Header().Get("Location") != "/api/v1/cases/BJ-2026-0001" {
		t.Fatalf("202 case %+v, Location %q", c, r.Header().Get("Location"))
	}
	a.engine.HangOpen(false)
	var again wire.Case
	a.do(memberWang, "POST", "/api/v1/cases", caseBody(), "Idempotency-Key", "k3").want(http.StatusOK).decode(&again)
	if again.Number != c.Number || len(again.Clocks) != 1 {
		t.Fatalf("retried case %+v", again)
	}
}

func TestGetCase(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	a.setNow(shanghai("2026-12-01", 9, 0))
	var got wire.Case
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number, nil).want(http.StatusOK).decode(&got)
	if got.Number != c.Number || len(got.Events) != 2 || got.Events[0].Type != article23.EventReceived || got.Events[1].Type != article23.EventClockStarted {
		t.Fatalf("case %+v", got)
	}
	if k := got.Clocks[0]; *k.RemainingWorkdays != 13 || k.Explanation == "" {
		t.Errorf("clock %+v: want 13 working days left on 2026-12-01", k)
	}
	a.do(secretaryBJ, "GET", "/api/v1/cases/"+c.Number, nil).want(http.StatusOK)
	a.do(national, "GET", "/api/v1/cases/"+c.Number, nil).want(http.StatusOK)
	a.do(memberOther, "GET", "/api/v1/cases/"+c.Number, nil).problem(http.StatusNotFound, "not_found")
	a.do(secretarySH, "GET", "/api/v1/cases/"+c.Number, nil).problem(http.StatusNotFound, "not_found")
	a.do(memberWang, "GET", "/api/v1/cases/BJ-2026-9999", nil).problem(http.StatusNotFound, "not_found")
}
