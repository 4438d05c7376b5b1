package workflows

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// TestExecutionPaths: every path of LocalDeadlinesChange computes the same dates and records
// the same log; the version chosen at start decides, for the whole run, which activities run
// as full and which as local activities.
func TestExecutionPaths(t *testing.T) {
	type counts struct{ fullCalendar, localCalendar, fullRecord, localRecord, localRecordCalls int }
	for _, tc := range []struct {
		name string
		path workflow.Version
		want counts
	}{
		// ComputeDeadline at start, CountWorkdays in decide; receipt, clock started, decision, clock met
		{"PathActivities", PathActivities, counts{fullCalendar: 2, fullRecord: 4}},
		{"PathLocalDeadlines", PathLocalDeadlines, counts{localCalendar: 2, fullRecord: 4}},
		// ... in two transactions: receipt and clock at start, decision and clock met in decide
		{"PathLocalRecords", PathLocalRecords, counts{localCalendar: 2, localRecord: 4, localRecordCalls: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, sh("2026-11-27", 20, 0))
			h.env.OnGetVersion(CasePathsChange, PathsOneByOne, PathsLatest).Return(PathsOneByOne) // each change on its own
			h.env.OnGetVersion(LocalDeadlinesChange, PathActivities, PathLocalRecords).Return(tc.path)
			var got counts
			h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				if info.ActivityType.Name == "RecordEvent" {
					got.fullRecord++
				} else {
					got.fullCalendar++
				}
			})
			h.env.SetOnLocalActivityStartedListener(func(_ *activity.Info, _ context.Context, args []any) {
				if rs, ok := args[0].([]article23.Record); ok {
					got.localRecord += len(rs)
					got.localRecordCalls++
				} else {
					got.localCalendar++
				}
			})
			d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
			h.run(newCase("2026-11-27"))

			c := ok(t, d)
			dc, _ := c.Clock(article23.ClockDecision)
			require.Equal(t, "2026-12-18", dc.Due)
			require.Equal(t, 4, dc.WorkdaysUsed)
			require.Equal(t, tc.want, got)
			require.Len(t, h.rec.records["BJ-2026-0042"], 4, "every event recorded once, on every path")
		})
	}
}
