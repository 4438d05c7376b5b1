package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/workflows"
)

// TestCalendarReloadThroughAPI: the operator loads a year file that makes the next working
// day a day off. The API answers 202 at once; the reload workflow signals every open case on
// the embedded server, each case moves its decision deadline a working day later, and the
// read model follows. With -update-histories the reload's history is recorded for the replay
// test (workflows/testdata/reload/).
func TestCalendarReloadThroughAPI(t *testing.T) {
	s := newStack(t, nsReload, storetest.SQLite(t))
	member := s.token(article23.RoleMember, "BJ", "110000000001")
	admin := s.token(article23.RoleAdmin, article23.NationalInstitute, "")
	today := calendar.DateOf(time.Now())
	var numbers []string
	var before []string
	for range 3 {
		c := s.call(member, http.MethodPost, "/api/v1/cases", map[string]any{
			"institute": "BJ", "applicant": map[string]string{"member_no": "110000000001", "name": "王会计师", "kind": "practising"},
			"counterparty": "某会计师事务所", "category": "labour", "summary": "离职后被拖欠三个月工资", "claims": "支付欠薪",
		}, http.StatusCreated)
		s.due(c, article23.ClockDecision, today.String(), 15)
		numbers = append(numbers, c.Number)
		before = append(before, c.Clocks[0].DueDate)
	}

	// the first working day after today becomes a day off
	next, err := s.cal.Due(today, 1)
	require.NoError(t, err)
	off := next.Due
	raw, err := os.ReadFile(filepath.Join("..", "calendar", "data", fmt.Sprintf("%d.json", off.Year)))
	require.NoError(t, err)
	var file map[string]any
	require.NoError(t, json.Unmarshal(raw, &file))
	file["days"] = append(file["days"].([]any), map[string]any{"name": "测试假日", "date": off.String(), "isOffDay": true})
	body, _ := json.Marshal(file)
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/calendar/years/%d", s.url, off.Year), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s", raw)
	var loaded struct {
		Version string `json:"version"`
		Moved   []struct {
			Number string `json:"number"`
			NewDue string `json:"new_due"`
		} `json:"moved"`
		Reload string `json:"reload"`
	}
	require.NoError(t, json.Unmarshal(raw, &loaded))
	require.Len(t, loaded.Moved, 3, "every decision deadline moves: %s", raw)
	require.Equal(t, resp.Header.Get("Location"), loaded.Reload)

	var p workflows.ReloadProgress
	testenv.WaitFor(t, 100*time.Millisecond, func() bool {
		req, _ := http.NewRequest(http.MethodGet, s.url+loaded.Reload, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&p) == nil && p.Done
	}, "the reload never finished")
	require.Equal(t, workflows.ReloadProgress{Calendar: loaded.Version, Signalled: 3, Done: true, Failures: []workflows.ReloadFailure{}}, p)

	for i, number := range numbers {
		testenv.WaitFor(t, 100*time.Millisecond, func() bool {
			c := s.call(member, http.MethodGet, "/api/v1/cases/"+number, nil, http.StatusOK)
			return len(c.Clocks) > 0 && c.Clocks[0].DueDate == loaded.Moved[i].NewDue && c.Clocks[0].DueDate != before[i]
		}, "case %s kept its old deadline in the read model", number)
	}

	hist := (&env{t: t, c: s.c}).history(t.Context(), workflows.CalendarReloadWorkflowID(loaded.Version))
	replayer := worker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(workflows.CalendarReloadWorkflow)
	require.NoError(t, replayer.ReplayWorkflowHistory(log.NewStructuredLogger(slog.Default()), hist))
	if *updateHistories {
		raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join("..", "workflows", "testdata", "reload", "calendar-reload.json"), raw, 0o644))
	}
	reloadInSmallPages(t, s.c, loaded.Version)
}

// reloadInSmallPages reloads version again, now ended, a case per page and two pages per run:
// the first run signals two of the three open cases and continues as new, the second signals
// the third and finishes. Both runs' histories replay, and with -update-histories they are
// recorded (workflows/testdata/reload/calendar-reload-paged*.json).
func reloadInSmallPages(t *testing.T, c client.Client, version string) {
	ctx := t.Context()
	id := workflows.CalendarReloadWorkflowID(version)
	require.NoError(t, c.GetWorkflow(ctx, id, "").Get(ctx, nil), "the API's reload ends") // its progress says done just before
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue, WorkflowExecutionErrorWhenAlreadyStarted: true},
		workflows.CalendarReloadWorkflow, workflows.ReloadInput{Version: workflows.ReloadInputVersion,
			Calendar: workflows.CalendarUpdated{Version: version}, PageSize: 1, PagesPerRun: 2})
	require.NoError(t, err)
	firstRun := run.GetRunID() // Get follows the continuation, and the run's ID with it
	var p workflows.ReloadProgress
	require.NoError(t, run.Get(ctx, &p), "the reload and its continuation")
	require.Equal(t, workflows.ReloadProgress{Calendar: version, Signalled: 3, Done: true}, p)

	first := historyOfRun(ctx, t, c, id, firstRun)
	last := first.Events[len(first.Events)-1]
	require.Equal(t, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, last.GetEventType())
	next := historyOfRun(ctx, t, c, id, last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId())
	require.Equal(t, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, next.Events[len(next.Events)-1].GetEventType())
	for name, hist := range map[string]*historypb.History{"calendar-reload-paged.json": first, "calendar-reload-paged.continued.json": next} {
		replayer := worker.NewWorkflowReplayer()
		replayer.RegisterWorkflow(workflows.CalendarReloadWorkflow)
		require.NoError(t, replayer.ReplayWorkflowHistory(log.NewStructuredLogger(slog.Default()), hist), name)
		if *updateHistories {
			raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join("..", "workflows", "testdata", "reload", name), raw, 0o644))
		}
	}
}

// historyOfRun is the whole history of one run of workflow id.
func historyOfRun(ctx context.Context, t *testing.T, c client.Client, id, runID string) *historypb.History {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	hist := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		require.NoError(t, err)
		hist.Events = append(hist.Events, ev)
	}
	return hist
}
