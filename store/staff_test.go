package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestStaffDirectory(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		li, err := s.SeeStaff(ctx, StaffMember{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书"})
		if err != nil || !li.Active || li.Name != "李秘书" || li.LastSeenAt == nil {
			t.Fatalf("first sign-in: %+v %v", li, err)
		}
		if again, err := s.SeeStaff(ctx, StaffMember{ID: "li", Institute: "BJ", Role: article23.RoleSecretary}); err != nil || again.Name != "李秘书" {
			t.Fatalf("a sign-in without a name keeps the name: %+v %v", again, err)
		}
		off := false
		if _, err := s.UpdateStaff(ctx, "li", StaffPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.SeeStaff(ctx, StaffMember{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书"}); again.Active {
			t.Fatal("a sign-in reactivated a deactivated account")
		}
		if _, err := s.AddStaff(ctx, StaffMember{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "x"}); !errors.Is(err, ErrExists) {
			t.Fatalf("add twice: %v", err)
		}
		for name, bad := range map[string]StaffMember{
			"id":        {ID: "a b", Institute: "BJ", Role: article23.RoleSecretary, Name: "x"},
			"role":      {ID: "m", Institute: "BJ", Role: article23.RoleMember, Name: "x"},
			"name":      {ID: "m", Institute: "BJ", Role: article23.RoleSecretary, Name: " "},
			"email":     {ID: "m", Institute: "BJ", Role: article23.RoleSecretary, Name: "x", Email: "nope"},
			"institute": {ID: "m", Institute: "XX", Role: article23.RoleSecretary, Name: "x"},
		} {
			var fe *StaffFieldError
			if _, err := s.AddStaff(ctx, bad); !errors.As(err, &fe) || fe.Field != name {
				t.Errorf("%s: %v", name, err)
			}
		}
		email := "bad"
		if _, err := s.UpdateStaff(ctx, "li", StaffPatch{Email: &email}); err == nil {
			t.Error("an invalid e-mail was saved")
		}
		if _, err := s.UpdateStaff(ctx, "nobody", StaffPatch{Email: &email}); !errors.Is(err, ErrNotFound) {
			t.Errorf("update unknown: %v", err)
		}
		for _, m := range []StaffMember{
			{ID: "wu", Institute: "BJ", Role: article23.RoleSecretary, Name: "吴秘书", Active: true},
			{ID: "chen", Institute: "BJ", Role: article23.RoleSecretary, Name: "陈秘书", Active: true},
			{ID: "shen", Institute: "SH", Role: article23.RoleSecretary, Name: "沈秘书", Active: true},
			{ID: "zhang", Institute: "BJ", Role: article23.RoleSupervisor, Name: "张处长", Active: true},
		} {
			if _, err := s.AddStaff(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		active, err := s.ActiveStaff(ctx, "BJ", article23.RoleSecretary)
		if err != nil || len(active) != 2 || active[0].ID != "chen" || active[1].ID != "wu" {
			t.Fatalf("active BJ secretaries %+v %v", active, err)
		}
		names, err := s.StaffNames(ctx, []string{"li", "zhang", "ghost"})
		if err != nil || names["li"] != "李秘书" || names["zhang"] != "张处长" || len(names) != 2 {
			t.Fatalf("names %v %v", names, err)
		}
		all, err := s.ListStaff(ctx, StaffFilter{Institutes: []string{"BJ"}})
		if err != nil || len(all) != 4 {
			t.Fatalf("BJ staff %+v %v", all, err)
		}
		var picks []string
		for range 5 {
			m, ok, err := s.NextRoundRobin(ctx, "BJ")
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			picks = append(picks, m.ID)
		}
		if want := []string{"chen", "wu", "chen", "wu", "chen"}; !slices.Equal(picks, want) {
			t.Fatalf("round robin %v, want %v (li is deactivated, zhang supervises)", picks, want)
		}
		if _, ok, err := s.NextRoundRobin(ctx, "TJ"); ok || err != nil {
			t.Fatalf("an institute without secretaries: %v %v", ok, err)
		}
	})
}

func TestSettingsVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		st, err := s.Settings(ctx, "BJ")
		if err != nil || st.Version != 0 || st.Policy.DecisionWorkdays != 15 {
			t.Fatalf("defaults: %+v %v", st, err)
		}
		st.Policy.AllowSupplement = true
		st.Contacts.Supervisors.Emails = []string{"office@bicpa.example"}
		saved, err := s.SaveSettings(ctx, st, "admin@BJ")
		if err != nil || saved.Version != 1 || saved.ChangedBy != "admin@BJ" {
			t.Fatalf("save: %+v %v", saved, err)
		}
		if _, err := s.SaveSettings(ctx, st, "admin2@BJ"); !errors.Is(err, ErrStale) {
			t.Fatalf("a save on version 0 after version 1: %v", err)
		}
		p, err := s.Policy(ctx, "BJ")
		if err != nil || !p.AllowSupplement {
			t.Fatalf("policy in force %+v %v", p, err)
		}
		bad := saved
		bad.Policy.DecisionWorkdays = 16
		var pe *article23.PolicyError
		if _, err := s.SaveSettings(ctx, bad, "admin@BJ"); !errors.As(err, &pe) || pe.Field != "decision_workdays" {
			t.Fatalf("Article 23 is a ceiling: %v", err)
		}
		if err := s.SetPolicy(ctx, "BJ", article23.DefaultPolicy()); err != nil {
			t.Fatal(err)
		}
		hist, err := s.SettingsHistory(ctx, "BJ", 10)
		if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[0].ChangedBy != "system" || hist[1].ChangedBy != "admin@BJ" {
			t.Fatalf("history %+v %v", hist, err)
		}
		if got := hist[0].Contacts.For(article23.AudienceSupervisors).Emails; len(got) != 1 {
			t.Fatalf("SetPolicy kept the contacts? %v", got)
		}
		if _, err := s.Settings(ctx, "XX"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown institute: %v", err)
		}
	})
}

func TestTasksLeadWithOverdue(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		soon := newCase("BJ-2026-0001", "BJ", "2026-03-10")
		later := newCase("BJ-2026-0002", "BJ", "2026-03-20")
		later.Secretary = ""
		overdue := newCase("BJ-2026-0003", "BJ", "2026-03-05")
		overdue.Clocks[0].State = article23.ClockBreached
		older := newCase("BJ-2026-0004", "BJ", "2026-03-04")
		older.Clocks[0].State = article23.ClockBreached
		// breached and then met late: the case needs its committee now, not its decision
		metLate := newCase("BJ-2026-0005", "BJ", "2026-03-03")
		metLate.Stage = article23.StageAccepted
		metLate.Clocks[0].State, metLate.Clocks[0].MetOn = article23.ClockBreached, "2026-03-06"
		metLate.Clocks = append(metLate.Clocks, article23.Clock{Name: article23.ClockCommittee, Due: "2026-04-20",
			DeadlineAt: endOf("2026-04-20"), State: article23.ClockRunning})
		given := newCase("BJ-2026-0006", "BJ", "2026-03-02") // Article 23 is done with it: not open
		given.Stage, given.Clocks[0].State = article23.StageFeedbackGiven, article23.ClockMet
		done := newCase("BJ-2026-0007", "BJ", "2026-03-01")
		done.Stage = article23.StageClosed
		other := newCase("SH-2026-0001", "SH", "2026-03-01")
		for _, c := range []article23.Case{soon, later, overdue, older, metLate, given, done, other} {
			mustRecord(t, s, received(c))
		}
		page, err := s.ListTasks(ctx, TaskFilter{Institutes: []string{"BJ"}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tk := range page.Tasks {
			got = append(got, tk.Number+":"+string(tk.Clock))
		}
		want := []string{"BJ-2026-0004:decision", "BJ-2026-0003:decision", "BJ-2026-0001:decision", "BJ-2026-0002:decision",
			"BJ-2026-0005:committee"}
		if !slices.Equal(got, want) {
			t.Fatalf("inbox order\n got %v\nwant %v", got, want)
		}
		if !page.Tasks[0].Overdue || page.Tasks[2].Overdue || page.Tasks[0].Due != "2026-03-04" || page.Tasks[4].DeadlineAt == nil {
			t.Fatalf("task fields %+v", page.Tasks)
		}
		queue, _ := s.ListTasks(ctx, TaskFilter{Institutes: []string{"BJ"}, Unassigned: true})
		mine, _ := s.ListTasks(ctx, TaskFilter{Institutes: []string{"BJ"}, Secretary: "li", Limit: 2})
		if len(queue.Tasks) != 1 || queue.Tasks[0].Number != "BJ-2026-0002" || len(mine.Tasks) != 2 || mine.Next == "" {
			t.Fatalf("queue %+v, mine %+v", queue, mine)
		}
		rest, err := s.ListTasks(ctx, TaskFilter{Institutes: []string{"BJ"}, Secretary: "li", Limit: 2, Cursor: mine.Next})
		if err != nil || len(rest.Tasks) != 2 || rest.Tasks[0].Number != "BJ-2026-0001" || rest.Next != "" {
			t.Fatalf("second page %+v %v", rest, err)
		}
		breached, _ := s.ListTasks(ctx, TaskFilter{Breached: true})
		if len(breached.Tasks) != 3 || breached.Tasks[2].Number != "BJ-2026-0005" {
			t.Fatalf("supervisors' breached cases, nationally %+v", breached.Tasks)
		}
	})
}

// Parallel uploads of one case cannot pass its cap together, and a request's files are
// recorded all or none.
func TestAttachmentsCapHoldsUnderParallelUploads(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		const mib = 1 << 20
		att := func(i int) Attachment {
			id := fmt.Sprintf("%016x", i)
			return Attachment{CaseNumber: "BJ-2026-0001", ID: id, Name: id + ".pdf", Size: 19 * mib, MediaType: "application/pdf",
				SHA256: id + strings.Repeat("0", 48), Location: "x/" + id}
		}
		errs := make(chan error, 8)
		for i := range 8 {
			go func() { errs <- s.AddAttachments(ctx, []Attachment{att(i)}, 100*mib) }()
		}
		full := 0
		for range 8 {
			if err := <-errs; errors.Is(err, ErrAttachmentsFull) {
				full++
			} else if err != nil {
				t.Fatal(err)
			}
		}
		have, err := s.Attachments(ctx, "BJ-2026-0001")
		if err != nil || len(have) != 5 || full != 3 {
			t.Fatalf("%d stored, %d refused (%v): want 5 and 3", len(have), full, err)
		}
		small := att(100)
		small.Size = mib
		if err := s.AddAttachments(ctx, []Attachment{small, att(101)}, 100*mib); !errors.Is(err, ErrAttachmentsFull) {
			t.Fatalf("over the cap: %v", err)
		}
		if again, _ := s.Attachments(ctx, "BJ-2026-0001"); len(again) != 5 {
			t.Fatalf("a refused request kept %d files", len(again)-5)
		}
		if err := s.AddAttachments(ctx, []Attachment{have[0], small}, 100*mib); err != nil {
			t.Fatalf("a retried file and a small one: %v", err)
		}
	})
}

func TestRevokedTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		if revoked, err := s.TokenRevoked(ctx, "abc"); revoked || err != nil {
			t.Fatalf("a fresh token: %v %v", revoked, err)
		}
		for range 2 {
			if err := s.RevokeToken(ctx, "abc", s.now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RevokeToken(ctx, "old", s.now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if kept, _ := s.TokenRevoked(ctx, "old"); !kept {
			t.Fatal("the token just revoked was purged")
		}
		if err := s.RevokeToken(ctx, "new", s.now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		abc, _ := s.TokenRevoked(ctx, "abc")
		old, _ := s.TokenRevoked(ctx, "old")
		if !abc || old {
			t.Fatalf("revoked: abc %v, expired old %v (purged)", abc, old)
		}
	})
}
