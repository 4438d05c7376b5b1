package api

import (
	"errors"
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/calendar"
)

// FuzzDecodeCase: any body decodes to a request or a 400/422 problem, never a panic or a
// 500, and a request that validates has a stable fingerprint.
func FuzzDecodeCase(f *testing.F) {
	f.Add([]byte(`{"institute":"BJ","applicant":{"member_no":"1","name":"王","kind":"firm"},"counterparty":"x","category":"y","summary":"z","claims":"w"}`))
	f.Add([]byte(`{"institute":7}`))
	f.Add([]byte(`{"received_on":"2026-02-30"}`))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte(`{} {}`))
	today := calendar.NewDate(2026, 11, 27)
	f.Fuzz(func(t *testing.T, body []byte) {
		var r createCaseRequest
		if err := decodeBody(body, &r); err != nil {
			wantClientProblem(t, err)
			return
		}
		r = r.normalize()
		if err := r.validate(today); err != nil {
			wantClientProblem(t, err)
			return
		}
		if r.fingerprint() != r.normalize().fingerprint() {
			t.Fatal("fingerprint not stable")
		}
	})
}

// FuzzDecodeActions: every action body decodes and validates without a panic or a 500.
func FuzzDecodeActions(f *testing.F) {
	f.Add([]byte(`{"decision":"reject","notice_served_on":"2026-11-27"}`))
	f.Add([]byte(`{"held_on":"2026-11-27","members_present":["张",""],"expert_opinion":"x"}`))
	f.Add([]byte(`{"until":"2027-01-01","workdays":3,"reason":"x"}`))
	f.Add([]byte(`{"approve":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, r := range []actionRequest{&decisionRequest{}, &committeeRequest{}, &feedbackRequest{}, &extensionRequest{},
			&extensionDecisionRequest{}, &supplementRequest{}, &supplementReceivedRequest{}, &withdrawalRequest{}, &assignmentRequest{}} {
			if err := decodeBody(body, r); err != nil {
				wantClientProblem(t, err)
				continue
			}
			if err := r.validate(); err != nil {
				wantClientProblem(t, err)
			}
		}
	})
}

// FuzzCursor: a forged cursor is refused or accepted, never a panic.
func FuzzCursor(f *testing.F) {
	f.Add("eyJ0IjoxLCJuIjoiQkotMjAyNi0wMDAxIn0")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, s string) { _ = validCursor(s) })
}

func wantClientProblem(t *testing.T, err error) {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) || (p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity) {
		t.Fatalf("want a 400 or 422 problem, got %v", err)
	}
}
