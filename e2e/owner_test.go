package e2e

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/reconcile"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestOwnershipThroughAPI: the real workflow behind the real API. A member's online case waits
// in the BJ queue; 李秘书 claims it, 马秘书 cannot claim it again, a reassignment to
// another institute's secretary is refused and changes nothing, a reassignment to 马秘书 is
// recorded with both names, and each inbox shows what it should.
func TestOwnershipThroughAPI(t *testing.T) {
	s := newStack(t, nsOwner, storetest.SQLite(t))
	li := s.person("li@BJ", "李秘书", article23.RoleSecretary, "BJ")
	ma := s.person("ma@BJ", "马秘书", article23.RoleSecretary, "BJ")
	s.person("shen@SH", "沈秘书", article23.RoleSecretary, "SH")
	member := s.token(article23.RoleMember, "BJ", "110000000001")
	c := s.call(member, "POST", "/api/v1/cases", map[string]any{"institute": "BJ",
		"applicant":    map[string]any{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
		"counterparty": "某会计师事务所", "category": "labour", "summary": "前雇主拖欠三个月工资", "claims": "支付拖欠工资"}, http.StatusCreated)
	n := "/api/v1/cases/" + c.Number
	s.waitTasks(li, "?unassigned=true", func(q []taskJSON) bool { return len(q) == 1 && q[0].Number == c.Number && q[0].Assignee == nil })
	s.call(li, "POST", n+"/claim", nil, http.StatusOK)
	s.call(ma, "POST", n+"/claim", nil, http.StatusConflict)
	s.call(li, "POST", n+"/assignment", map[string]any{"secretary": "shen@SH"}, http.StatusUnprocessableEntity)
	s.waitTasks(li, "?mine=true", func(q []taskJSON) bool { return len(q) == 1 && q[0].Assignee.Name == "李秘书" })
	s.call(li, "POST", n+"/assignment", map[string]any{"secretary": "ma@BJ"}, http.StatusOK)
	s.waitTasks(ma, "?mine=true", func(q []taskJSON) bool { return len(q) == 1 && q[0].Assignee.Name == "马秘书" })
	if mine := s.tasks(li, "?mine=true"); len(mine) != 0 {
		t.Fatalf("李秘书 still has it: %+v", mine)
	}
	events := s.call(li, "GET", n, nil, http.StatusOK).Events
	claimed, reassigned := events[len(events)-2], events[len(events)-1]
	var data article23.EventData
	if err := json.Unmarshal(reassigned.Data, &data); err != nil {
		t.Fatal(err)
	}
	if claimed.Type != article23.EventClaimed || claimed.Actor.Name != "李秘书" || reassigned.Type != article23.EventReassigned ||
		!reflect.DeepEqual(data, article23.EventData{Secretary: "ma@BJ", Name: "马秘书", Previous: "li@BJ"}) {
		t.Fatalf("log %+v / %+v", claimed, reassigned)
	}
	// the store and the workflows agree: what weiquan reconcile checks
	running, err := reconcile.Running(t.Context(), s.c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := reconcile.Check(t.Context(), s.st, api.TemporalEngine{Client: s.c}, running)
	if err != nil || r.Checked != 1 || r.Differ != 0 {
		t.Fatalf("reconcile %+v %v", r, err)
	}
}

// person adds someone to the staff directory and returns their token.
func (s *stack) person(id, name string, role article23.Role, institute string) string {
	s.t.Helper()
	if _, err := s.st.AddStaff(s.t.Context(), storeMember(id, name, role, institute)); err != nil {
		s.t.Fatal(err)
	}
	tok, err := auth.Mint(signingKey, auth.MintOptions{Subject: id, Name: name, Role: role, Institute: institute, Now: time.Now()})
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

type taskJSON struct {
	Number   string `json:"number"`
	Assignee *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"assignee"`
}

// tasks reads an inbox.
func (s *stack) tasks(tok, query string) []taskJSON {
	s.t.Helper()
	var out struct {
		Cases []taskJSON `json:"cases"`
	}
	req, _ := http.NewRequest(http.MethodGet, s.url+"/api/v1/tasks"+query, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil {
		s.t.Fatalf("GET /tasks%s: %d", query, resp.StatusCode)
	}
	return out.Cases
}

// waitTasks reads an inbox until ok holds: the read model follows the workflow, so each act
// shows there once its events are recorded (the event is the signal waited for).
func (s *stack) waitTasks(tok, query string, ok func([]taskJSON) bool) {
	s.t.Helper()
	var got []taskJSON
	testenv.WaitFor(s.t, 50*time.Millisecond, func() bool { got = s.tasks(tok, query); return ok(got) },
		"GET /tasks%s never showed what was expected: %+v", query, &got)
}

func storeMember(id, name string, role article23.Role, institute string) store.StaffMember {
	return store.StaffMember{ID: id, Name: name, Role: role, Institute: institute, Active: true}
}
