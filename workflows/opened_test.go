package workflows

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/cicpa/weiquan/article23"
)

// TestOpenedAnswersOnceTheDecisionClockRuns: the update sent with the start (as the API's
// Update-With-Start does) answers with the status after start, never before: the decision
// clock is there and the receipt is logged. Sent again later it answers the case as it is
// then, and it never changes the case.
func TestOpenedAnswersOnceTheDecisionClockRuns(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	var first, later StatusResult
	var errs []error
	opened := func(into *StatusResult) func() {
		return func() {
			h.env.UpdateWorkflow(OpenedUpdate, "", &testsuite.TestUpdateCallback{
				OnReject: func(err error) { errs = append(errs, err) },
				OnAccept: func() {},
				OnComplete: func(r any, err error) {
					if err != nil {
						errs = append(errs, err)
						return
					}
					*into = r.(StatusResult)
				},
			})
		}
	}
	h.at(h.start, opened(&first))
	d := h.update(sh("2026-12-01", 10, 0), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-01"})
	h.at(sh("2026-12-02", 9, 0), opened(&later))
	h.run(newCase("2026-11-27"))

	require.Empty(t, errs)
	require.Equal(t, article23.StageReceived, first.Case.Stage)
	dc, ok1 := first.Case.Clock(article23.ClockDecision)
	require.True(t, ok1, "answered before the decision clock existed")
	require.Equal(t, "2026-12-18", dc.Due)
	require.Len(t, first.Events, 2)
	require.Equal(t, article23.EventReceived, first.Events[0].Type)
	require.NotEmpty(t, first.PendingAlarms)

	ok(t, d)
	require.Equal(t, article23.StageNotAccepted, later.Case.Stage)
	n := len(later.Events)
	require.Equal(t, h.events("BJ-2026-0042")[:n], later.Events, "opened changed nothing: the log is the recorded one")
}
