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
// <name>.json were recorded before LocalDeadlinesChange (DefaultVersion: full activities),
// <name>.v2.json after it (version 1: local activities); both sets must replay.
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
			v2 := strings.HasSuffix(f, ".v2.json")
			// The one version marker is LocalDeadlinesChange's (its details are base64 payloads).
			require.Equal(t, v2, strings.Contains(string(raw), `"markerName": "Version"`), "only v2 histories carry the %s marker", LocalDeadlinesChange)
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflow(CaseWorkflow)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(slog.Default()), f))
		})
	}
}

// TestReplayCoversBothDeadlinePaths: every scenario is recorded on both sides of
// LocalDeadlinesChange, so neither branch of it loses its replay coverage.
func TestReplayCoversBothDeadlinePaths(t *testing.T) {
	for _, name := range []string{"rejected", "on-time", "extension-breach"} {
		for _, f := range []string{name + ".json", name + ".v2.json"} {
			_, err := os.Stat(filepath.Join("testdata", f))
			require.NoError(t, err, "recorded history %s", f)
		}
	}
}
