package workflows

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays every history recorded by the e2e test
// (go test ./e2e -update-histories) with the current workflow code: a change that alters
// the commands of a running case fails here until it goes behind workflow.GetVersion.
// <name>.json were recorded on PathActivities (before LocalDeadlinesChange), <name>.v2.json on
// PathLocalDeadlines, <name>.v3.json on PathLocalRecords and <name>.v4.json with acts judged
// by their stated dates (RealDatesChange); every set must replay.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no recorded histories in testdata; run go test ./e2e -update-histories")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			versioned := strings.Contains(filepath.Base(f), ".v") // <name>.vN.json
			// Version markers are LocalDeadlinesChange's and RealDatesChange's (details are base64 payloads).
			require.Equal(t, versioned, strings.Contains(string(raw), `"markerName": "Version"`), "only v2, v3 and v4 histories carry version markers")
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflow(CaseWorkflow)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(slog.Default()), f))
		})
	}
}

// TestReplayCoversEveryPath: every scenario is recorded on every path of
// LocalDeadlinesChange, so no branch of it loses its replay coverage; the newest were
// opened with OpenedUpdate, as the API opens cases.
func TestReplayCoversEveryPath(t *testing.T) {
	for _, name := range []string{"rejected", "on-time", "extension-breach"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name+".v3.json"))
		require.NoError(t, err)
		require.Contains(t, string(raw), `"name": "`+OpenedUpdate+`"`, "%s.v3.json was not opened by Update-With-Start", name)
		for _, f := range []string{name + ".json", name + ".v2.json", name + ".v3.json", name + ".v4.json"} {
			_, err := os.Stat(filepath.Join("testdata", f))
			require.NoError(t, err, "recorded history %s", f)
		}
	}
}

// TestReplayCoversRealDates: a recorded history withdraws a breach by a decision's stated
// date, so RealDatesChange's branch is replayed (its activity inputs are base64 payloads,
// so the file is checked for the decision that does it).
func TestReplayCoversRealDates(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "backdated.v4.json"))
	require.NoError(t, err)
	require.Contains(t, string(raw), `"name": "`+DecideUpdate+`"`)
	require.Contains(t, string(raw), `"markerName": "Version"`)
}

// TestReplayCoversOwnership: a recorded history claims a case and reassigns it, so the
// ownership updates are replayed too.
func TestReplayCoversOwnership(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "assigned.v3.json"))
	require.NoError(t, err)
	for _, u := range []string{ClaimUpdate, ReassignUpdate} {
		require.Contains(t, string(raw), `"name": "`+u+`"`, "assigned.v3.json has no %s update", u)
	}
}

// TestReplayReloadHistories replays the calendar reload's recorded histories (go test ./e2e
// -run TestCalendarReloadThroughAPI -update-histories) with the current CalendarReloadWorkflow.
func TestReplayReloadHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "reload", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded reload history in testdata/reload")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflow(CalendarReloadWorkflow)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(slog.Default()), f))
		})
	}
}
