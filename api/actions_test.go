package api

import (
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// TestLifecycle walks one case through every action to closure.
func TestLifecycle(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	if c.Stage != article23.StageAccepted || len(c.Clocks) != 4 {
		t.Fatalf("accepted case %+v", c)
	}
	n := "/api/v1/cases/" + c.Number
	a.setNow(shanghai("2027-01-20", 15, 0))
	a.do(secretaryBJ, "POST", n+"/committee-meeting", map[string]any{"held_on": "2027-01-20", "members_present": []string{"张", "赵"}, "expert_opinion": "欠薪成立"}).want(http.StatusOK).decode(&c)
	if c.Stage != article23.StageCommitteeHeld {
		t.Fatalf("stage %s", c.Stage)
	}
	a.do(secretaryBJ, "POST", n+"/extensions", map[string]any{"workdays": 80, "reason": "需补充调查"}).want(http.StatusOK).decode(&c)
	a.do(supervisorBJ, "POST", n+"/extensions/1/decision", map[string]any{"approve": true, "note": "同意"}).want(http.StatusOK).decode(&c)
	if c.Extensions[0].State != article23.ExtensionApproved {
		t.Fatalf("extension %+v", c.Extensions)
	}
	a.addStaff("u-li", "BJ", article23.RoleSecretary, "李秘书")
	a.do(secretaryBJ, "POST", n+"/assignment", map[string]any{"secretary": "u-li"}).want(http.StatusOK).decode(&c)
	if c.Assignee == nil || c.Assignee.Name != "李秘书" {
		t.Fatalf("assignee %+v", c.Assignee)
	}
	a.setNow(shanghai("2027-03-01", 10, 0))
	a.do(secretaryBJ, "POST", n+"/feedback", map[string]any{"given_on": "2027-03-01", "manner": "letter", "summary": "已书面反馈"}).want(http.StatusOK)
	a.do(secretaryBJ, "POST", n+"/closure", nil).want(http.StatusOK).decode(&c)
	if c.Stage != article23.StageClosed {
		t.Fatalf("stage %s", c.Stage)
	}
	var got wire.Case
	a.do(memberWang, "GET", n, nil).want(http.StatusOK).decode(&got)
	// the workflow's log: receipt, acceptance, committee, extension, hand-over, feedback and
	// closure, with every clock started, moved and met
	if got.Stage != article23.StageClosed || len(got.Events) != 17 {
		t.Errorf("read model: stage %s, %d events", got.Stage, len(got.Events))
	}
}

func TestActionRefusals(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	n := "/api/v1/cases/" + c.Number
	a.do(secretaryBJ, "POST", n+"/decision", map[string]any{"decision": "reject", "notice_served_on": "2026-11-27"}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "POST", n+"/decision", map[string]any{"decision": "maybe", "notice_served_on": "27/11/2026"}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "POST", n+"/decision", map[string]any{"decision": "accept", "notice_served_on": "2026-12-01"}).problem(http.StatusUnprocessableEntity, "date_in_future")
	a.do(secretaryBJ, "POST", n+"/committee-meeting", map[string]any{"held_on": "2026-11-27", "members_present": []string{"张"}, "expert_opinion": "x"}).problem(http.StatusConflict, "wrong_stage")
	a.do(secretaryBJ, "POST", n+"/supplement-request", map[string]any{"what": "劳动合同原件"}).problem(http.StatusConflict, "supplement_not_allowed")
	a.do(secretaryBJ, "POST", n+"/extensions", map[string]any{"reason": "x"}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "POST", n+"/extensions/x/decision", map[string]any{"approve": true}).problem(http.StatusForbidden, "forbidden")
	a.do(supervisorBJ, "POST", n+"/extensions/x/decision", map[string]any{"approve": true}).problem(http.StatusNotFound, "not_found")
	a.do(supervisorBJ, "POST", n+"/extensions/3/decision", map[string]any{"approve": true}).problem(http.StatusNotFound, "not_found")
	a.do(supervisorBJ, "POST", n+"/extensions/3/decision", map[string]any{}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "POST", n+"/closure", nil).problem(http.StatusConflict, "wrong_stage")
	a.do(memberWang, "POST", n+"/withdrawal", map[string]any{"reason": "已和解"}).want(http.StatusOK)
	a.do(secretaryBJ, "POST", n+"/decision", map[string]any{"decision": "accept", "notice_served_on": "2026-11-27"}).problem(http.StatusConflict, "withdrawn")
	a.do(memberWang, "POST", n+"/withdrawal", map[string]any{}).problem(http.StatusConflict, "withdrawn")
}

// TestActionIdempotent: a retried action with the same Idempotency-Key is applied once.
func TestActionIdempotent(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	body := map[string]any{"decision": "accept", "notice_served_on": "2026-11-27"}
	for range 2 {
		a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/decision", body, "Idempotency-Key", "d1").want(http.StatusOK)
	}
	if a.engine.Applied() != 1 {
		t.Fatalf("applied %d updates, want 1", a.engine.Applied())
	}
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/decision", body).problem(http.StatusConflict, "already_decided")
}

// TestActionKeyReusedWithAnotherBody: the same Idempotency-Key with another body, or on
// another case, is refused before the workflow sees it, instead of answering with the first
// request's result.
func TestActionKeyReusedWithAnotherBody(t *testing.T) {
	a := newTestAPI(t)
	c, other := a.submit(), a.submit()
	accept := map[string]any{"decision": "accept", "notice_served_on": "2026-11-27"}
	reject := map[string]any{"decision": "reject", "reasons": "不属于维权范围", "notice_served_on": "2026-11-27"}
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/decision", accept, "Idempotency-Key", "d1").want(http.StatusOK)
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/decision", reject, "Idempotency-Key", "d1").problem(http.StatusUnprocessableEntity, "idempotency_conflict")
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+other.Number+"/decision", accept, "Idempotency-Key", "d1").problem(http.StatusUnprocessableEntity, "idempotency_conflict")
	if a.engine.Applied() != 1 {
		t.Fatalf("applied %d updates, want 1", a.engine.Applied())
	}
	var v wire.Case
	a.do(secretaryBJ, "GET", "/api/v1/cases/"+other.Number, nil).want(http.StatusOK).decode(&v)
	if v.Stage != article23.StageReceived {
		t.Fatalf("the refused request changed %s: %s", other.Number, v.Stage)
	}
	a.do(memberWang, "POST", "/api/v1/cases/"+other.Number+"/decision", accept, "Idempotency-Key", "d1").problem(http.StatusForbidden, "forbidden")
}

func TestEscalationAcknowledgement(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	escalate(t, a.engine, c.Number, 1)
	escalate(t, a.engine, c.Number, 2)
	var list struct{ Escalations []wire.EscalationTask }
	a.do(supervisorBJ, "GET", "/api/v1/escalations", nil).want(http.StatusOK).decode(&list)
	if len(list.Escalations) != 1 || list.Escalations[0].Escalation.Level != 1 {
		t.Fatalf("BJ supervisor sees %+v", list.Escalations)
	}
	a.do(national, "GET", "/api/v1/escalations", nil).want(http.StatusOK).decode(&list)
	if len(list.Escalations) != 2 {
		t.Fatalf("CICPA sees %d escalations", len(list.Escalations))
	}
	ack := "/api/v1/escalations/" + c.Number
	a.do(supervisorBJ, "POST", ack+"/2/acknowledgement", nil).problem(http.StatusForbidden, "forbidden")
	a.do(supervisorBJ, "POST", ack+"/1/acknowledgement", nil).want(http.StatusOK)
	a.do(supervisorBJ, "POST", ack+"/1/acknowledgement", nil).problem(http.StatusConflict, "already_acknowledged")
	a.do(supervisorBJ, "POST", ack+"/9/acknowledgement", nil).problem(http.StatusNotFound, "not_found")
	a.do(secretaryBJ, "GET", "/api/v1/escalations", nil).problem(http.StatusForbidden, "forbidden")
}
