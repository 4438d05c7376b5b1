package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cicpa/weiquan/article23"
)

// TestWithdrawAtEachStage: the member may withdraw from every open stage; every running
// clock is cancelled and no alarm stays armed.
func TestWithdrawAtEachStage(t *testing.T) {
	steps := []struct {
		stage article23.Stage
		send  func(h *harness)
	}{
		{article23.StageReceived, func(h *harness) {}},
		{article23.StageAwaitingSupplement, func(h *harness) {
			h.update(sh("2026-11-30", 10, 0), RequestSupplementUpdate, RequestSupplement{Actor: secretary, What: "bank statements"})
		}},
		{article23.StageAccepted, func(h *harness) {
			h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
		}},
		{article23.StageCommitteeHeld, func(h *harness) {
			h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
			h.update(sh("2026-12-11", 11, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-11", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
		}},
	}
	for _, st := range steps {
		t.Run(string(st.stage), func(t *testing.T) {
			h := newHarness(t, sh("2026-11-27", 20, 0))
			st.send(h)
			before := h.statusAt(sh("2026-12-14", 9, 0))
			stranger := h.update(sh("2026-12-14", 10, 0), WithdrawUpdate, Withdraw{Actor: secretary})
			w := h.update(sh("2026-12-14", 10, 1), WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"})
			after := h.statusAt(sh("2026-12-14", 10, 2))
			again := h.update(sh("2026-12-15", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
			c := newCase("2026-11-27")
			c.Policy.AllowSupplement = true
			h.run(c)

			require.Equal(t, st.stage, before.Case.Stage)
			refused(t, stranger, CodeForbidden)
			require.Equal(t, article23.StageWithdrawn, ok(t, w).Stage)
			refused(t, again, CodeWithdrawn)
			require.Empty(t, after.PendingAlarms)
			for _, clk := range after.Case.Clocks {
				require.NotEqual(t, article23.ClockRunning, clk.State, clk.Name)
			}
		})
	}
}

// TestFeedbackGivenCannotWithdraw: after feedback the case is no longer the member's to withdraw.
func TestFeedbackGivenCannotWithdraw(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2026-12-11", 11, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2026-12-11", MembersPresent: []string{"张"}, ExpertOpinion: "ok"})
	h.update(sh("2026-12-14", 11, 0), RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2026-12-14", Manner: article23.MannerPhone, Summary: "told"})
	w := h.update(sh("2026-12-15", 10, 0), WithdrawUpdate, Withdraw{Actor: member})
	h.update(sh("2026-12-15", 11, 0), CloseUpdate, Close{Actor: supervisor})
	h.run(newCase("2026-11-27"))
	refused(t, w, CodeWrongStage)
}
