package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/activities"
)

// ReloadInputVersion is the ReloadInput schema CalendarReloadWorkflow understands.
const ReloadInputVersion = 1

// ReloadProgressQuery answers a ReloadProgress, while the reload runs and after it ended.
const ReloadProgressQuery = "progress"

// CalendarReloadWorkflowID is the workflow ID of the reload to calendar version v: one reload
// per version runs at a time, and uploading the same file again attaches to it.
func CalendarReloadWorkflowID(version string) string { return "calendar-reload-" + version }

// ReloadInput starts (or continues) the reload of Calendar: cases numbered after After are
// still to be signalled; Progress counts what earlier runs of the same reload did.
type ReloadInput struct {
	Version  int             `json:"version"`
	Calendar CalendarUpdated `json:"calendar"`
	After    string          `json:"after,omitempty"`
	Progress ReloadProgress  `json:"progress"`
	// PageSize and PagesPerRun, when set, replace reloadPage and reloadPagesPerRun for this
	// reload and its continuations. The API leaves them zero; the e2e test sets them small so
	// that a reload of a few cases continues as new and its history can be recorded.
	PageSize    int `json:"page_size,omitempty"`
	PagesPerRun int `json:"pages_per_run,omitempty"`
}

// pages is how many cases a page lists and how many pages a run signals.
func (in ReloadInput) pages() (size, perRun int) {
	size, perRun = reloadPage, reloadPagesPerRun
	if in.PageSize > 0 {
		size = in.PageSize
	}
	if in.PagesPerRun > 0 {
		perRun = in.PagesPerRun
	}
	return size, perRun
}

// ReloadProgress is what a calendar reload has done so far.
type ReloadProgress struct {
	Calendar  string `json:"calendar"`
	Signalled int    `json:"signalled"` // open cases told of the calendar
	// Ended counts cases listed as open whose workflow had ended by the time it was signalled
	// (a case finished meanwhile): there is nothing left to recompute.
	Ended int `json:"ended"`
	// Failures lists the first maxReloadFailures cases a signal failed for another reason;
	// FailureCount counts them all. Uploading the same file again signals every open case
	// again, and a case already on the version ignores it.
	Failures     []ReloadFailure `json:"failures"`
	FailureCount int             `json:"failure_count"`
	Done         bool            `json:"done"`
}

// ReloadFailure is a case a reload could not signal.
type ReloadFailure struct {
	Number string `json:"number"`
	Error  string `json:"error"`
}

const (
	// reloadPage is how many open cases one activity lists and one workflow task signals.
	reloadPage = 200
	// reloadPagesPerRun bounds a run's history: each signal adds two events, so a run ends
	// near 4,000 events and continues as new with its progress.
	reloadPagesPerRun = 10
	// maxReloadFailures bounds the failures a progress lists.
	maxReloadFailures = 100
)

// listOptions: the store may be down for a while; the listing is retried until it is back.
var listOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 0,
	},
}

// CalendarReloadWorkflow tells every open case that the calendar changed: it lists the open
// cases a page at a time in case-number order and signals each page's cases together. Being
// a workflow, a reload survives the API, the worker and Temporal restarting, and no open case
// is skipped: a case opened after the calendar was swapped already starts on the new one.
func CalendarReloadWorkflow(ctx workflow.Context, in ReloadInput) (ReloadProgress, error) {
	if in.Version != ReloadInputVersion {
		return ReloadProgress{}, refuse(CodeInvalidArgument, "reload input version %d, want %d", in.Version, ReloadInputVersion)
	}
	if in.Calendar.Version == "" {
		return ReloadProgress{}, refuse(CodeInvalidArgument, "calendar version is required")
	}
	p := in.Progress
	p.Calendar = in.Calendar.Version
	if err := workflow.SetQueryHandler(ctx, ReloadProgressQuery, func() (ReloadProgress, error) { return p, nil }); err != nil {
		return p, err
	}
	list := workflow.WithActivityOptions(ctx, listOptions)
	after := in.After
	size, perRun := in.pages()
	for range perRun {
		var numbers []string
		err := workflow.ExecuteActivity(list, acts.OpenCaseNumbers, activities.CasePage{After: after, Limit: size}).Get(ctx, &numbers)
		if err != nil {
			return p, err
		}
		if len(numbers) == 0 {
			p.Done = true
			return p, nil
		}
		signals := make([]workflow.Future, len(numbers))
		for i, n := range numbers {
			signals[i] = workflow.SignalExternalWorkflow(ctx, CaseWorkflowID(n), "", CalendarUpdatedSignal, in.Calendar)
		}
		for i, f := range signals {
			err := f.Get(ctx, nil)
			var gone *temporal.UnknownExternalWorkflowExecutionError
			switch {
			case err == nil:
				p.Signalled++
			case errors.As(err, &gone):
				p.Ended++
			default:
				p.FailureCount++
				if len(p.Failures) < maxReloadFailures {
					p.Failures = append(p.Failures, ReloadFailure{Number: numbers[i], Error: err.Error()})
				}
			}
		}
		after = numbers[len(numbers)-1]
	}
	return p, workflow.NewContinueAsNewError(ctx, CalendarReloadWorkflow,
		ReloadInput{Version: ReloadInputVersion, Calendar: in.Calendar, After: after, Progress: p,
			PageSize: in.PageSize, PagesPerRun: in.PagesPerRun})
}
