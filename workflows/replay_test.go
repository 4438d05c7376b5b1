package workflows

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays every history recorded by the e2e test
// (go test ./e2e -update-histories) with the current workflow code: a change that alters
// the commands of a running case fails here until it goes behind workflow.GetVersion.
// <name>.json were recorded on PathActivities (before LocalDeadlinesChange), <name>.v2.json on
// PathLocalDeadlines, <name>.v3.json on PathLocalRecords, <name>.v4.json with acts judged
// by their stated dates (RealDatesChange) and <name>.v5.json besides with notices taken at
// the act (NoticeFactsChange), <name>.v6.json besides keeping its search attributes
// (VisibilityChange), <name>.v7.json with all of those chosen by one marker (CasePathsChange),
// <name>.v8.json besides with a decision's calendar work in one local activity
// (PathsFewerEvents), <name>.v9.json with those paths given in the input (NewCaseInput) and
// no marker, <name>.v10.json started with their search attributes (PathsSearchableAtStart);
// every set must replay.
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
			// Version markers: LocalDeadlinesChange's from v2 on, RealDatesChange's from v4 on,
			// NoticeFactsChange's from v5 on, VisibilityChange's from v6 on, and from v7 only
			// CasePathsChange's, which stands for all four (their details are base64 payloads,
			// so they are counted); from v9 none.
			markers := map[string]int{".v2.json": 1, ".v3.json": 1, ".v4.json": 2, ".v5.json": 3, ".v6.json": 4, ".v7.json": 1, ".v8.json": 1}[filepath.Ext(strings.TrimSuffix(f, ".json"))+".json"]
			require.Equal(t, markers, strings.Count(string(raw), `"markerName": "Version"`), "version markers of %s", f)
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
		for _, v := range []string{".v3.json", ".v4.json", ".v5.json", ".v6.json", ".v7.json", ".v8.json", ".v9.json", ".v10.json"} {
			raw := recorded(t, name+v)
			require.Contains(t, string(raw), `"name": "`+OpenedUpdate+`"`, "%s%s was not opened by Update-With-Start", name, v)
		}
		for _, f := range []string{name + ".json", name + ".v2.json", name + ".v3.json", name + ".v4.json", name + ".v5.json", name + ".v6.json", name + ".v7.json", name + ".v8.json", name + ".v9.json", name + ".v10.json"} {
			_, err := os.Stat(filepath.Join("testdata", f))
			require.NoError(t, err, "recorded history %s", f)
		}
	}
}

// TestReplayCoversRealDates: recorded histories withdraw a breach by a decision's stated
// date, so RealDatesChange's branch is replayed (its activity inputs are base64 payloads,
// so the file is checked for the decision that does it).
func TestReplayCoversRealDates(t *testing.T) {
	for _, f := range []string{"backdated.v4.json", "backdated.v5.json"} {
		raw := recorded(t, f)
		require.Contains(t, string(raw), `"name": "`+DecideUpdate+`"`)
		require.Contains(t, string(raw), `"markerName": "Version"`)
	}
}

// TestReplayCoversNotices: a v5 history records acts with their notices (on-time: acceptance,
// committee told to the member, feedback) and an attachment added through the log.
func TestReplayCoversNotices(t *testing.T) {
	raw := recorded(t, "on-time.v5.json")
	require.Contains(t, string(raw), `"name": "`+RecordAttachmentsUpdate+`"`, "on-time.v5.json has no %s update", RecordAttachmentsUpdate)
}

// TestReplayCoversOwnership: a recorded history claims a case and reassigns it, so the
// ownership updates are replayed too.
func TestReplayCoversOwnership(t *testing.T) {
	raw := recorded(t, "assigned.v3.json")
	for _, u := range []string{ClaimUpdate, ReassignUpdate} {
		require.Contains(t, string(raw), `"name": "`+u+`"`, "assigned.v3.json has no %s update", u)
	}
}

// TestReplayReloadHistories replays the calendar reload's recorded histories (go test ./e2e
// -run TestCalendarReloadThroughAPI -update-histories) with the current CalendarReloadWorkflow:
// the API's reload, and a reload in small pages whose first run continues as new
// (calendar-reload-paged.json) and whose continuation finishes (calendar-reload-paged.continued.json).
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

// TestReplayCoversSearchAttributes: the v6 histories upsert the search attributes as the
// case moves, so VisibilityChange's branch is replayed.
func TestReplayCoversSearchAttributes(t *testing.T) {
	for _, name := range []string{"rejected", "on-time", "extension-breach", "backdated", "assigned"} {
		raw := recorded(t, name+".v6.json")
		require.Contains(t, string(raw), `"eventType": "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"`, "%s.v6.json", name)
	}
}

// TestReplayCoversWhatPeopleAndTheCalendarDo: recorded histories hold a supplement asked and
// received, a calendar reload's signal, a withdrawal, both escalation levels raised and
// acknowledged, a claim and a reassignment, so those handlers and the alarms' breach and
// escalation branches are replayed too.
func TestReplayCoversWhatPeopleAndTheCalendarDo(t *testing.T) {
	for f, want := range map[string][]string{
		"supplemented.v6.json": {`"name": "` + RequestSupplementUpdate + `"`, `"name": "` + ReceiveSupplementUpdate + `"`,
			`"name": "` + WithdrawUpdate + `"`, `"signalName": "` + CalendarUpdatedSignal + `"`},
		"escalated.v6.json": {`"name": "` + ClaimUpdate + `"`, `"name": "` + ReassignUpdate + `"`, `"name": "` + AcknowledgeEscalationUpdate + `"`},
	} {
		raw := recorded(t, f)
		for _, w := range want {
			require.Contains(t, string(raw), w, f)
		}
	}
	raw := recorded(t, "escalated.v6.json")
	require.Equal(t, 2, strings.Count(string(raw), `"name": "`+AcknowledgeEscalationUpdate+`"`), "both levels acknowledged")
}

// TestReplayCoversContinueAsNew: a recorded reload run continues as new and the run it
// continued into is recorded too, so both ends of the continuation are replayed.
func TestReplayCoversContinueAsNew(t *testing.T) {
	first := recorded(t, "reload", "calendar-reload-paged.json")
	require.Contains(t, string(first), `"eventType": "EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW"`)
	next := recorded(t, "reload", "calendar-reload-paged.continued.json")
	require.Contains(t, string(next), `"continuedExecutionRunId"`, "the continued run starts from a continuation")
	require.Contains(t, string(next), `"eventType": "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED"`)
}

// TestReplayCoversASleepThatWakes: in reminded.v6.json the case sleeps on its reminder's timer,
// the server fires it and the case is accepted after, so the wake-up from a fired timer is
// replayed (the breaches of the other histories are past on arrival and fire at once).
func TestReplayCoversASleepThatWakes(t *testing.T) {
	raw := recorded(t, "reminded.v6.json")
	fired := strings.Index(string(raw), `"eventType": "EVENT_TYPE_TIMER_FIRED"`)
	require.GreaterOrEqual(t, fired, 0, "reminded.v6.json has no fired timer")
	require.Contains(t, string(raw)[fired:], `"name": "`+DecideUpdate+`"`, "the case goes on after the timer fired")
}

// TestReplayCoversCasePaths: the v7 histories chose every path with CasePathsChange's one
// marker, so each paid one TemporalChangeVersion upsert where the v6 ones paid four, and they
// still keep the case's own search attributes and judge acts by their stated dates.
func TestReplayCoversCasePaths(t *testing.T) {
	for _, name := range []string{"rejected", "on-time", "extension-breach", "backdated", "assigned", "escalated", "supplemented", "reminded"} {
		v6 := recorded(t, name+".v6.json")
		v7 := recorded(t, name+".v7.json")
		upserts := func(raw []byte) int {
			return strings.Count(string(raw), `"eventType": "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"`)
		}
		require.Equal(t, upserts(v6)-3, upserts(v7), "%s: the v7 history upserts 3 times less than the v6 one", name)
		require.Positive(t, upserts(v7), name)
	}
	raw := recorded(t, "backdated.v7.json")
	require.Contains(t, string(raw), `"name": "`+DecideUpdate+`"`, "backdated.v7.json decides by a stated date")
}

// TestReplayCoversFewerEvents: the v8 histories ran on PathsFewerEvents. A decision's calendar
// work is one local activity: an accepted case has three local-activity markers fewer than its
// v7 history, a case not accepted as many. The alarm timer is kept across sleeps: no history
// starts more timers than its v7 one, a sleep woken early cancels its timer where the next
// wake moved, and reminded.v8.json wakes from its kept timer firing.
func TestReplayCoversFewerEvents(t *testing.T) {
	const marker = `"markerName": "LocalActivity"`
	const started, cancelled, fired = `"eventType": "EVENT_TYPE_TIMER_STARTED"`, `"eventType": "EVENT_TYPE_TIMER_CANCELED"`,
		`"eventType": "EVENT_TYPE_TIMER_FIRED"`
	cancels := 0
	for name, fewer := range map[string]int{"rejected": 0, "backdated": 0, "escalated": 0, "assigned": 3, "on-time": 3,
		"extension-breach": 3, "supplemented": 3, "reminded": 3} {
		v7 := recorded(t, name+".v7.json")
		v8 := recorded(t, name+".v8.json")
		require.Equal(t, count(v7, marker)-fewer, count(v8, marker), "%s: local-activity markers", name)
		require.LessOrEqual(t, count(v8, started), count(v7, started), "%s: timers started", name)
		require.Zero(t, count(v7, cancelled), "%s: v7 cancelled no timer", name)
		cancels += count(v8, cancelled)
	}
	require.Positive(t, cancels, "the v8 histories cancel timers")
	raw := recorded(t, "reminded.v8.json")
	require.Positive(t, count(raw, fired), "reminded.v8.json wakes from a fired timer")
}

// TestReplayCoversPathsInInput: the v9 histories were started as the API started cases
// (NewCaseInput): their paths are PathsFewerEvents', given in the input, so they have no version
// marker and one TemporalChangeVersion upsert fewer than their v8 histories, and otherwise
// the same local activities and timers.
func TestReplayCoversPathsInInput(t *testing.T) {
	const upsert = `"eventType": "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"`
	for _, name := range []string{"rejected", "on-time", "extension-breach", "backdated", "assigned", "escalated", "supplemented", "reminded"} {
		v8 := recorded(t, name+".v8.json")
		v9 := recorded(t, name+".v9.json")
		require.Zero(t, count(v9, `"markerName": "Version"`), "%s.v9.json asks no version", name)
		require.Equal(t, count(v8, upsert)-1, count(v9, upsert), "%s: upserts", name)
		for _, s := range []string{`"markerName": "LocalActivity"`, `"eventType": "EVENT_TYPE_TIMER_STARTED"`} {
			require.Equal(t, count(v8, s), count(v9, s), "%s: %s", name, s)
		}
		in := startInput(t, v9)
		require.Equal(t, float64(PathsFewerEvents), in["paths"], "%s.v9.json names its paths", name)
	}
}

// TestReplayMarkerWithPathsInInput: a case the API started with Paths in its input that a
// worker older than NewCaseInput ran records CasePathsChange's marker; a newer worker
// replaying it asks no marker, and the SDK skips the marker and its upsert. Each v8 history,
// given the paths its marker chose in its input, replays.
func TestReplayMarkerWithPathsInInput(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.v8.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			var h map[string]any
			require.NoError(t, json.Unmarshal(raw, &h))
			payload := h["events"].([]any)[0].(map[string]any)["workflowExecutionStartedEventAttributes"].(map[string]any)["input"].(map[string]any)["payloads"].([]any)[0].(map[string]any)
			in := startInput(t, raw)
			require.NotContains(t, in, "paths")
			in["paths"] = int(PathsFewerEvents)
			data, err := json.Marshal(in)
			require.NoError(t, err)
			payload["data"] = base64.StdEncoding.EncodeToString(data)
			edited, err := json.Marshal(h)
			require.NoError(t, err)
			history, err := client.HistoryFromJSON(bytes.NewReader(edited), client.HistoryJSONOptions{})
			require.NoError(t, err)
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflow(CaseWorkflow)
			require.NoError(t, replayer.ReplayWorkflowHistory(log.NewStructuredLogger(slog.Default()), history))
		})
	}
}

// startInput is the CaseInput a recorded history started with, as JSON fields.
func startInput(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var h struct {
		Events []struct {
			Attrs struct {
				Input struct {
					Payloads []struct {
						Data []byte `json:"data"`
					} `json:"payloads"`
				} `json:"input"`
			} `json:"workflowExecutionStartedEventAttributes"`
		} `json:"events"`
	}
	require.NoError(t, json.Unmarshal(raw, &h))
	var in map[string]any
	require.NoError(t, json.Unmarshal(h.Events[0].Attrs.Input.Payloads[0].Data, &in))
	return in
}

// TestReplayCoversSearchAttributesAtStart: the v10 histories were started as the API starts
// cases now (CaseStart: paths PathsSearchableAtStart in the input, the institute, stage and
// decision's deadline in the start's search attributes). A case received today upserts once
// less than its v9 history: its first workflow task upserts nothing. One received so long ago
// that its decision's deadline has passed upserts as often: the breach in its first task
// unsets WeiquanNextDue (no clock runs on time).
func TestReplayCoversSearchAttributesAtStart(t *testing.T) {
	const upsert = `"eventType": "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES"`
	for name, fewer := range map[string]int{"rejected": 1, "on-time": 1, "assigned": 1, "supplemented": 1, "reminded": 1,
		"extension-breach": 0, "backdated": 0, "escalated": 0} {
		v9 := recorded(t, name+".v9.json")
		v10 := recorded(t, name+".v10.json")
		require.Equal(t, count(v9, upsert)-fewer, count(v10, upsert), "%s: upserts", name)
		require.Equal(t, float64(PathsSearchableAtStart), startInput(t, v10)["paths"], name)
		start := string(v10[:strings.Index(string(v10), `"eventId": "2"`)])
		for _, attr := range []string{InstituteAttr.GetName(), StageAttr.GetName(), NextDueAttr.GetName()} {
			require.Contains(t, start, `"`+attr+`"`, "%s.v10.json starts with %s", name, attr)
		}
	}
}

// recorded is the history at testdata/path..., as recorded.
func recorded(t *testing.T, path ...string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, path...)...))
	require.NoError(t, err)
	return raw
}

// count is how often s occurs in a recorded history.
func count(raw []byte, s string) int { return strings.Count(string(raw), s) }
