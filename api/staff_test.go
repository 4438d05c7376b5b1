package api

import (
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

var (
	adminBJ = principal{article23.RoleAdmin, "BJ", "", "", ""}
	li      = principal{article23.RoleSecretary, "BJ", "", "li@BJ", "李秘书"}
	ma      = principal{article23.RoleSecretary, "BJ", "", "ma@BJ", "马秘书"}
)

type staffList struct {
	Staff []store.StaffMember `json:"staff"`
}

func TestStaffDirectoryAPI(t *testing.T) {
	a := newTestAPI(t)
	a.do(li, "GET", "/api/v1/tasks", nil).want(http.StatusOK) // first use: li joins the directory
	var list staffList
	a.do(secretaryBJ, "GET", "/api/v1/staff", nil).want(http.StatusOK).decode(&list)
	if len(list.Staff) != 2 || list.Staff[1].Name != "李秘书" || list.Staff[1].LastSeenAt != nil || list.Staff[0].Name != "secretary@BJ" {
		t.Fatalf("a colleague's view of BJ's staff: %+v", list.Staff)
	}
	var added store.StaffMember
	r := a.do(admin, "POST", "/api/v1/staff", map[string]any{"id": "zhao@BJ", "institute": "BJ", "role": "supervisor", "name": "赵科长", "email": "zhao@bicpa.example"})
	r.want(http.StatusCreated).decode(&added)
	if r.Header().Get("Location") != "/api/v1/staff/zhao@BJ" || !added.Active || added.Email != "zhao@bicpa.example" {
		t.Fatalf("added %+v at %s", added, r.Header().Get("Location"))
	}
	a.do(admin, "POST", "/api/v1/staff", map[string]any{"id": "zhao@BJ", "institute": "BJ", "role": "supervisor", "name": "赵"}).problem(http.StatusConflict, "already_exists")
	for field, body := range map[string]map[string]any{
		"role":      {"id": "x", "institute": "BJ", "role": "member", "name": "x"},
		"email":     {"id": "x", "institute": "BJ", "role": "secretary", "name": "x", "email": "x@"},
		"institute": {"id": "x", "institute": "XX", "role": "secretary", "name": "x"},
		"id":        {"id": "a/b", "institute": "BJ", "role": "secretary", "name": "x"},
		"name":      {"id": "x", "institute": "BJ", "role": "secretary"},
	} {
		if p := a.do(admin, "POST", "/api/v1/staff", body).problem(http.StatusUnprocessableEntity, "invalid"); p.Errors[0].Field != field {
			t.Errorf("%s: %+v", field, p.Errors)
		}
	}
	if p := a.do(admin, "POST", "/api/v1/staff", map[string]any{"id": "a b", "institute": "BJ", "role": "member", "name": " ", "email": "x@"}).
		problem(http.StatusUnprocessableEntity, "invalid"); len(p.Errors) != 4 {
		t.Errorf("every bad field is named at once: %+v", p.Errors)
	}
	a.do(adminBJ, "POST", "/api/v1/staff", map[string]any{"id": "x@SH", "institute": "SH", "role": "secretary", "name": "x"}).problem(http.StatusForbidden, "forbidden")
	a.do(secretaryBJ, "POST", "/api/v1/staff", map[string]any{"id": "x@BJ", "institute": "BJ", "role": "secretary", "name": "x"}).problem(http.StatusForbidden, "forbidden")
	a.do(secretaryBJ, "PATCH", "/api/v1/staff/li@BJ", map[string]any{"active": false}).problem(http.StatusForbidden, "forbidden")
	a.addStaff("shen@SH", "SH", article23.RoleSecretary, "沈秘书")
	a.do(adminBJ, "PATCH", "/api/v1/staff/shen@SH", map[string]any{"active": false}).problem(http.StatusNotFound, "not_found")
	a.do(adminBJ, "PATCH", "/api/v1/staff/admin@BJ", map[string]any{"active": false}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(adminBJ, "PATCH", "/api/v1/staff/li@BJ", map[string]any{"institute": "SH"}).problem(http.StatusUnprocessableEntity, "invalid")

	var changed store.StaffMember
	a.do(adminBJ, "PATCH", "/api/v1/staff/li@BJ", map[string]any{"active": false, "email": "li@bicpa.example"}).want(http.StatusOK).decode(&changed)
	if changed.Active || changed.Email != "li@bicpa.example" || changed.Name != "李秘书" {
		t.Fatalf("changed %+v", changed)
	}
	a.do(li, "GET", "/api/v1/tasks", nil).problem(http.StatusForbidden, "account_deactivated")
	a.do(adminBJ, "PATCH", "/api/v1/staff/li@BJ", map[string]any{"active": true}).want(http.StatusOK)
	a.do(li, "GET", "/api/v1/tasks", nil).want(http.StatusOK)

	a.do(secretarySH, "GET", "/api/v1/staff?institute=BJ", nil).want(http.StatusOK).decode(&list)
	if len(list.Staff) != 0 {
		t.Fatalf("SH sees BJ's staff: %+v", list.Staff)
	}
	a.do(admin, "GET", "/api/v1/staff?institute=BJ&role=secretary", nil).want(http.StatusOK).decode(&list)
	if len(list.Staff) != 2 || list.Staff[0].ID != "secretary@BJ" || list.Staff[1].Email != "li@bicpa.example" {
		t.Fatalf("CICPA's admin, BJ's secretaries: %+v", list.Staff)
	}
	a.do(admin, "GET", "/api/v1/staff?role=member", nil).problem(http.StatusUnprocessableEntity, "invalid")
}

// Reassignment accepts only an active secretary of the case's institute, and a refused one
// changes nothing; the case then names its assignee, and the log names its people.
func TestAssignmentNeedsAnActiveSecretaryOfTheInstitute(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	if c.Assignee != nil || c.Secretary != "" {
		t.Fatalf("an online case starts in the queue: %+v %q", c.Assignee, c.Secretary)
	}
	a.addStaff("li@BJ", "BJ", article23.RoleSecretary, "李秘书")
	a.addStaff("shen@SH", "SH", article23.RoleSecretary, "沈秘书")
	a.addStaff("zhang@BJ", "BJ", article23.RoleSupervisor, "张处长")
	a.addStaff("gone@BJ", "BJ", article23.RoleSecretary, "离职的秘书")
	off := false
	if _, err := a.st.UpdateStaff(t.Context(), "gone@BJ", store.StaffPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	n := "/api/v1/cases/" + c.Number
	var before wire.Case
	a.do(secretaryBJ, "GET", n, nil).want(http.StatusOK).decode(&before)
	for who, detail := range map[string]string{
		"nobody-at-all": "no such person in the staff directory", "shen@SH": "is not of institute BJ",
		"zhang@BJ": "is not a secretary", "gone@BJ": "was deactivated",
	} {
		p := a.do(secretaryBJ, "POST", n+"/assignment", map[string]any{"secretary": who}).problem(http.StatusUnprocessableEntity, "invalid")
		if p.Errors[0].Field != "secretary" || p.Errors[0].Detail != detail {
			t.Errorf("%s: %+v", who, p.Errors)
		}
	}
	var got wire.Case
	a.do(secretaryBJ, "GET", n, nil).want(http.StatusOK).decode(&got)
	if got.Secretary != "" || len(got.Events) != len(before.Events) {
		t.Fatalf("a refused assignment changed the case: %q, %d events", got.Secretary, len(got.Events))
	}
	a.do(ma, "POST", n+"/assignment", map[string]any{"secretary": "li@BJ"}).want(http.StatusOK).decode(&got)
	if got.Assignee == nil || *got.Assignee != (wire.Person{ID: "li@BJ", Name: "李秘书"}) {
		t.Fatalf("assignee %+v", got.Assignee)
	}
	a.do(ma, "GET", n, nil).want(http.StatusOK).decode(&got)
	last := got.Events[len(got.Events)-1]
	if last.Type != article23.EventReassigned || last.Actor.Name != "马秘书" {
		t.Fatalf("the log names who reassigned: %+v", last)
	}
}

// A policy with round-robin routing hands new cases to the active secretaries in turn; the
// default leaves them in the queue.
func TestRoundRobinRouting(t *testing.T) {
	a := newTestAPI(t)
	a.addStaff("li@BJ", "BJ", article23.RoleSecretary, "李秘书")
	a.addStaff("ma@BJ", "BJ", article23.RoleSecretary, "马秘书")
	var st wire.Settings
	a.do(admin, "GET", "/api/v1/institutes/BJ/settings", nil).want(http.StatusOK).decode(&st)
	st.Policy.Routing = article23.RoutingRoundRobin
	a.do(admin, "PUT", "/api/v1/institutes/BJ/settings", map[string]any{"version": st.Version, "policy": st.Policy,
		"contacts": map[string]any{}}).want(http.StatusOK)
	var got []string
	for i := range 3 {
		body := caseBody()
		body["summary"] = "第 " + string(rune('1'+i)) + " 件"
		var c wire.Case
		a.do(memberWang, "POST", "/api/v1/cases", body).want(http.StatusCreated).decode(&c)
		got = append(got, c.Assignee.Name)
	}
	if got[0] != "李秘书" || got[1] != "马秘书" || got[2] != "李秘书" {
		t.Fatalf("round robin %v", got)
	}
}

func TestTasksAPI(t *testing.T) {
	a := newTestAPI(t)
	tasks := func(p principal, query string) []wire.Task {
		var r wire.Tasks
		a.do(p, "GET", "/api/v1/tasks"+query, nil).want(http.StatusOK).decode(&r)
		return r.Cases
	}
	first := a.submit() // Friday 2026-11-27, due 2026-12-18
	a.setNow(shanghai("2026-12-01", 10, 0))
	second := a.submit() // due 2026-12-22
	a.addStaff("li@BJ", "BJ", article23.RoleSecretary, "李秘书")
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+second.Number+"/assignment", map[string]any{"secretary": "li@BJ"}).want(http.StatusOK)
	all := tasks(secretaryBJ, "")
	if len(all) != 2 || all[0].Number != first.Number || all[0].Clock != article23.ClockDecision ||
		all[0].Due != "2026-12-18" || *all[0].RemainingWorkdays != 13 || all[0].Assignee != nil ||
		all[1].Assignee == nil || all[1].Assignee.Name != "李秘书" {
		t.Fatalf("tasks %+v", all)
	}
	if mine := tasks(li, "?mine=true"); len(mine) != 1 || mine[0].Number != second.Number {
		t.Fatalf("li's own %+v", mine)
	}
	if queue := tasks(secretaryBJ, "?unassigned=true"); len(queue) != 1 || queue[0].Number != first.Number {
		t.Fatalf("the queue %+v", queue)
	}
	a.do(secretaryBJ, "GET", "/api/v1/tasks?mine=true&unassigned=true", nil).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "GET", "/api/v1/tasks?mine=yes", nil).problem(http.StatusUnprocessableEntity, "invalid")
	a.setNow(shanghai("2026-12-22", 10, 0)) // two working days after the first's due date
	all = tasks(secretaryBJ, "")
	if all[0].OverdueWorkdays == nil || *all[0].OverdueWorkdays != 2 || all[0].RemainingWorkdays != nil ||
		all[1].RemainingWorkdays == nil || *all[1].RemainingWorkdays != 0 {
		t.Fatalf("overdue and due today: %+v", all)
	}
	if other := tasks(secretarySH, ""); len(other) != 0 {
		t.Fatalf("SH sees BJ's tasks: %+v", other)
	}
}

func TestSettingsAPI(t *testing.T) {
	a := newTestAPI(t)
	var st wire.Settings
	a.do(supervisorBJ, "GET", "/api/v1/institutes/BJ/settings", nil).want(http.StatusOK).decode(&st)
	if st.Version != 0 || st.Policy.DecisionWorkdays != 15 || st.Policy.Routing != article23.RoutingUnassigned || st.AppliesTo != "new_cases" {
		t.Fatalf("defaults %+v", st)
	}
	a.do(secretaryBJ, "GET", "/api/v1/institutes/BJ/settings", nil).problem(http.StatusForbidden, "forbidden")
	a.do(supervisorSH, "GET", "/api/v1/institutes/BJ/settings", nil).problem(http.StatusNotFound, "not_found")
	a.do(national, "GET", "/api/v1/institutes/BJ/settings", nil).want(http.StatusOK)
	a.do(supervisorBJ, "PUT", "/api/v1/institutes/BJ/settings", map[string]any{"version": 0, "policy": st.Policy, "contacts": map[string]any{}}).
		problem(http.StatusForbidden, "forbidden")

	p := st.Policy
	p.DecisionWorkdays, p.WorkingHoursStart = 16, "9am"
	bad := map[string]any{"version": 0, "policy": p, "contacts": map[string]any{
		"secretary":   map[string]any{"emails": []string{"office@bicpa.example", "not-an-address"}},
		"supervisors": map[string]any{"webhooks": []map[string]any{{"url": "https://127.0.0.1/hook", "secret": "0123456789abcdef"}, {"url": "https://hooks.example.com/x"}}},
	}}
	prob := a.do(adminBJ, "PUT", "/api/v1/institutes/BJ/settings", bad).problem(http.StatusUnprocessableEntity, "invalid")
	want := map[string]bool{"policy.decision_workdays": true, "policy.working_hours_start": true, "contacts.secretary.emails[1]": true,
		"contacts.supervisors.webhooks[0].url": true, "contacts.supervisors.webhooks[1].secret": true}
	for _, e := range prob.Errors {
		delete(want, e.Field)
	}
	if len(want) != 0 {
		t.Fatalf("missing field errors %v in %+v", want, prob.Errors)
	}
	a.do(admin, "GET", "/api/v1/institutes/BJ/settings", nil).want(http.StatusOK).decode(&st)
	if st.Version != 0 {
		t.Fatalf("an invalid setting was saved: %+v", st)
	}

	p = st.Policy
	p.AllowSupplement, p.ReminderWorkdays = true, []int{3, 1}
	good := map[string]any{"version": 0, "policy": p, "contacts": map[string]any{
		"supervisors": map[string]any{"emails": []string{"office@bicpa.example"},
			"webhooks": []map[string]any{{"url": "https://hooks.example.com/bj", "secret": "0123456789abcdef"}}}}}
	a.do(adminBJ, "PUT", "/api/v1/institutes/BJ/settings", good).want(http.StatusOK).decode(&st)
	if st.Version != 1 || !st.Policy.AllowSupplement || st.ChangedBy == nil || st.ChangedBy.ID != "admin@BJ" ||
		len(st.Contacts.Supervisors.Webhooks) != 1 || !st.Contacts.Supervisors.Webhooks[0].SecretSet {
		t.Fatalf("saved %+v", st)
	}
	a.do(admin, "PUT", "/api/v1/institutes/BJ/settings", good).problem(http.StatusConflict, "stale_version")
	// the webhook kept without its secret keeps the secret
	good["version"] = 1
	good["contacts"] = map[string]any{"supervisors": map[string]any{"webhooks": []map[string]any{{"url": "https://hooks.example.com/bj"}}}}
	a.do(admin, "PUT", "/api/v1/institutes/BJ/settings", good).want(http.StatusOK).decode(&st)
	saved, err := a.st.Settings(t.Context(), "BJ")
	if err != nil || saved.Contacts.Supervisors.Webhooks[0].Secret != "0123456789abcdef" || st.ChangedBy.ID != "admin@CICPA" {
		t.Fatalf("secret kept? %+v %v", saved.Contacts, err)
	}
	var hist struct {
		Versions []wire.Settings `json:"versions"`
	}
	a.do(supervisorBJ, "GET", "/api/v1/institutes/BJ/settings/history", nil).want(http.StatusOK).decode(&hist)
	if len(hist.Versions) != 2 || hist.Versions[1].ChangedBy.ID != "admin@BJ" {
		t.Fatalf("history %+v", hist.Versions)
	}
	// a case received now pins the new policy
	c := a.submit()
	if !c.Policy.AllowSupplement {
		t.Fatalf("new case policy %+v", c.Policy)
	}
}

// A token without a name (development tokens, issuers without a name claim) acts under the
// name the directory gives its subject, and that name is what the workflow records.
func TestActorsAreNamedFromTheDirectory(t *testing.T) {
	a := newTestAPI(t)
	a.addStaff("secretary@BJ", "BJ", article23.RoleSecretary, "李秘书")
	a.addStaff("ma@BJ", "BJ", article23.RoleSecretary, "马秘书")
	c := a.submit()
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/assignment", map[string]any{"secretary": "ma@BJ"}).want(http.StatusOK)
	v, err := a.st.Case(t.Context(), c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if last := v.Events[len(v.Events)-1]; last.Actor.ID != "secretary@BJ" || last.Actor.Name != "李秘书" {
		t.Fatalf("recorded actor %+v", last.Actor)
	}
}
