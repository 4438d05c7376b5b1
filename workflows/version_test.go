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

// TestLocalDeadlinesChange: both sides of LocalDeadlinesChange compute the same dates; the
// version chosen at start decides, for the whole run, whether the calendar activities run
// as full or as local activities.
func TestLocalDeadlinesChange(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version workflow.Version
		local   bool
	}{
		{"DefaultVersion: full activities", workflow.DefaultVersion, false},
		{"version 1: local activities", 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, sh("2026-11-27", 20, 0))
			h.env.OnGetVersion(LocalDeadlinesChange, workflow.DefaultVersion, 1).Return(tc.version)
			kinds := map[bool]int{}
			h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				if info.ActivityType.Name != "RecordEvent" {
					kinds[false]++
				}
			})
			h.env.SetOnLocalActivityStartedListener(func(*activity.Info, context.Context, []any) { kinds[true]++ })
			d := h.update(sh("2026-12-03", 10, 1), DecideUpdate, Decide{Actor: secretary, Reasons: "not a member matter", NoticeServedOn: "2026-12-03"})
			h.run(newCase("2026-11-27"))

			c := ok(t, d)
			dc, _ := c.Clock(article23.ClockDecision)
			require.Equal(t, "2026-12-18", dc.Due)
			require.Equal(t, 4, dc.WorkdaysUsed)
			require.Equal(t, 2, kinds[tc.local], "ComputeDeadline at start and CountWorkdays in decide")
			require.Zero(t, kinds[!tc.local], "never the other path in the same run")
		})
	}
}
