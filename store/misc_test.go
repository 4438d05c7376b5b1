package store

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestCompliance(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		run, met, br, cx := article23.ClockRunning, article23.ClockMet, article23.ClockBreached, article23.ClockCancelled
		d, f := article23.ClockDecision, article23.ClockFeedback
		cases := []article23.Case{
			caseOf("BJ-2026-0001", "BJ", article23.StageAccepted, clock(d, "2026-03-05", met, 3)),
			caseOf("BJ-2026-0002", "BJ", article23.StageAccepted, clock(d, "2026-03-06", met, 10)),
			caseOf("BJ-2026-0003", "BJ", article23.StageAccepted, clock(d, "2026-03-09", met, 5)),
			caseOf("BJ-2026-0004", "BJ", article23.StageAccepted, clock(d, "2026-03-10", br, 17)),
			caseOf("BJ-2026-0005", "BJ", article23.StageReceived, clock(d, "2026-03-20", run, 0)),
			caseOf("BJ-2026-0006", "BJ", article23.StageWithdrawn, clock(d, "2026-03-20", cx, 0)),
			caseOf("BJ-2026-0007", "BJ", article23.StageReceived, clock(d, "2026-04-20", run, 0)), // outside
			caseOf("SH-2026-0001", "SH", article23.StageFeedbackGiven, clock(d, "2026-01-20", met, 4),
				clock(f, "2026-03-30", met, 70), clock(article23.ClockCap, "2026-03-31", met, 70)), // the cap is no stage
			caseOf("BJ-2026-0008", "BJ", article23.StageAccepted, clock(d, "2026-03-11", met, 2)),
		}
		cases[8].Clocks[0].EnteredOn, cases[8].Clocks[0].EntryLagWorkdays = "2026-03-13", 4 // back-dated past its due date
		cases[7].Extensions = []article23.Extension{
			{ID: 1, State: article23.ExtensionApproved, RequestedAt: t0},
			{ID: 2, State: article23.ExtensionRefused, RequestedAt: t0},
		}
		for _, c := range cases {
			mustRecord(t, s, received(c))
		}
		got, err := s.Compliance(t.Context(), "2026-03-01", "2026-03-31", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []ComplianceRow{
			{Institute: "BJ", Clock: d, OnTime: 4, Late: 1, Open: 1, OnTimeRate: ptr(0.8), MedianWorkdaysUsed: ptr(5.0),
				P90WorkdaysUsed: ptr(17.0), LateEntries: 1},
			{Institute: "SH", Clock: f, OnTime: 1, OnTimeRate: ptr(1.0), MedianWorkdaysUsed: ptr(70.0), P90WorkdaysUsed: ptr(70.0), Extensions: 1},
		}
		gotJSON, wantJSON := toJSON(got), toJSON(want)
		if gotJSON != wantJSON {
			t.Fatalf("compliance\n got %s\nwant %s", gotJSON, wantJSON)
		}
		odd, _ := s.Compliance(t.Context(), "2026-03-01", "2026-03-09", []string{"BJ"})
		if len(odd) != 1 || *odd[0].MedianWorkdaysUsed != 5 || odd[0].Late != 0 {
			t.Fatalf("odd count median: %s", toJSON(odd))
		}
		if _, err := s.Compliance(t.Context(), "2026-3-1", "2026-03-31", nil); err == nil {
			t.Fatal("malformed date accepted")
		}
	})
}

func TestPolicy(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		p, err := s.Policy(ctx, "BJ")
		if err != nil || toJSON(p) != toJSON(article23.DefaultPolicy()) {
			t.Fatalf("default: %+v %v", p, err)
		}
		strict := article23.DefaultPolicy()
		strict.Version, strict.DecisionWorkdays, strict.CountFrom = 2, 10, article23.CountFromReceipt
		if err := s.SetPolicy(ctx, "BJ", strict); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Policy(ctx, "BJ"); toJSON(p) != toJSON(strict) {
			t.Fatalf("after set: %+v", p)
		}
		if p, _ := s.Policy(ctx, "SH"); p.DecisionWorkdays != 15 {
			t.Fatalf("SH changed with BJ: %+v", p)
		}
		lax := strict
		lax.DecisionWorkdays = 20
		if err := s.SetPolicy(ctx, "BJ", lax); err == nil {
			t.Fatal("a policy laxer than Article 23 was accepted")
		}
		if _, err := s.Policy(ctx, "XX"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown institute: %v", err)
		}
	})
}

func TestOutbox(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r1 := received(newCase("BJ-2026-0001", "BJ", "2026-03-23"))
		r1.Notifications = append(r1.Notifications, article23.Notification{Key: "stale", Audience: article23.AudienceSecretary,
			Kind: "reminder", NotAfter: t0.Add(-time.Minute)})
		mustRecord(t, s, r1)
		r2 := next(r1, article23.EventReminder, func(*article23.Case) {})
		r2.Notifications = []article23.Notification{{Key: r1.Notifications[0].Key, Audience: article23.AudienceMember, Kind: "dup"}}
		mustRecord(t, s, r2) // its only notification repeats a key: skipped

		claimed, err := s.ClaimDue(ctx, t0, 10, 0)
		if err != nil || len(claimed) != 2 || claimed[0].Attempts != 1 || claimed[0].Kind != "received" {
			t.Fatalf("claim: %+v %v", claimed, err)
		}
		var payload OutboxPayload
		if err := json.Unmarshal(claimed[0].Payload, &payload); err != nil || payload.Case.Secretary != "li" || payload.Event.Seq != 1 {
			t.Fatalf("payload %s: %v", claimed[0].Payload, err)
		}
		if again, _ := s.ClaimDue(ctx, t0.Add(time.Minute), 10, 0); len(again) != 0 {
			t.Fatalf("claimed twice within the lease: %+v", again)
		}
		if err := s.MarkDelivered(ctx, claimed[0].ID, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkFailed(ctx, claimed[1].ID, errors.New("smtp 451"), t0.Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		retry, _ := s.ClaimDue(ctx, t0.Add(time.Hour), 10, 0)
		if len(retry) != 1 || retry[0].ID != claimed[1].ID || retry[0].Attempts != 2 || retry[0].LastError != "smtp 451" {
			t.Fatalf("retry: %+v", retry)
		}
		_ = s.MarkFailed(ctx, retry[0].ID, errors.New("mailbox gone"), t0, true)
		all, _ := s.Outbox(ctx, "BJ-2026-0001")
		states := map[string]string{}
		for _, m := range all {
			states[m.Key] = m.State
		}
		want := map[string]string{"BJ-2026-0001/1/member": OutboxDelivered, "BJ-2026-0001/1/secretary": OutboxDead, "stale": OutboxDead}
		if toJSON(states) != toJSON(want) {
			t.Fatalf("states %v, want %v", states, want)
		}
		if err := s.MarkDelivered(ctx, 999, t0); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

func TestAttachments(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		a := Attachment{CaseNumber: "BJ-2026-0001", ID: "a1", Name: "劳动合同.pdf", Size: 1024, MediaType: "application/pdf",
			SHA256: "abc", Location: "blobs/abc", UploadedBy: article23.Actor{ID: "u1", Role: article23.RoleMember}, UploadedAt: t0}
		if err := s.AddAttachment(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAttachment(ctx, a); err != nil {
			t.Fatalf("retry: %v", err)
		}
		b := a
		b.SHA256 = "def"
		if err := s.AddAttachment(ctx, b); !errors.Is(err, ErrIdempotencyConflict) {
			t.Fatalf("other content under the same id: %v", err)
		}
		mustRecord(t, s, received(newCase("BJ-2026-0001", "BJ", "2026-03-23")))
		view, err := s.Case(ctx, "BJ-2026-0001")
		if err != nil || len(view.Attachments) != 1 || view.Attachments[0].Name != "劳动合同.pdf" || !view.Attachments[0].UploadedAt.Equal(t0) {
			t.Fatalf("attachments %+v %v", view.Attachments, err)
		}
	})
}
