package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// CasePathsChange is the workflow.GetVersion change ID that chooses, with one marker at start,
// every path the changes before it chose one by one: LocalDeadlinesChange, NoticeFactsChange,
// VisibilityChange and RealDatesChange. Each GetVersion that records a marker also makes the
// SDK upsert the TemporalChangeVersion search attribute, a visibility write on the server: a
// new case paid three of them in its first workflow task and a fourth at its first act. Cases
// started before it ask each change as they did and replay unchanged.
const CasePathsChange = "case-paths"

// The versions of CasePathsChange.
const (
	// PathsOneByOne: each change is asked on its own (cases started before CasePathsChange).
	PathsOneByOne = workflow.DefaultVersion
	// PathsAtStart: PathLocalRecords, NoticesAtAct, VisibilityUpserted and RealDatesJudged.
	PathsAtStart workflow.Version = 1
	// PathsFewerEvents: PathsAtStart, with fewer history events per act: a decision's
	// calendar work (how long it took, the clocks an acceptance starts) in one local
	// ActCalendar, one marker where there were four; and one alarm timer kept across the
	// main loop's sleeps (keptTimer), cancelled when the next wake moves, where each sleep
	// woken early left its timer to fire later for nothing.
	PathsFewerEvents workflow.Version = 2
	// PathsSearchableAtStart: PathsFewerEvents, and a case given these paths in its input
	// was started with the search attributes its input names (CaseInput.StartAttributes):
	// its first workflow task upserts only what the start did not already say, so a case
	// started with its decision's deadline upserts nothing until an act moves its stage or
	// deadline.
	PathsSearchableAtStart workflow.Version = 3
	// PathsLatest is the version new cases take.
	PathsLatest = PathsSearchableAtStart
)

// StartAttributes are the search attributes to start the case of in with: when
// in.DecisionDue is set, its institute, its stage (received) and that deadline; none when it
// is not. The starter must start the case with them (TemporalEngine.Open does): on
// PathsSearchableAtStart the workflow takes what in says the start wrote as what its search
// attributes say, and upserts only what it makes differently. It reads the input, not the
// attributes: a history read back from the server shows the start event with the
// attributes the case has now, not those it started with, so a replay would not choose as
// the run did.
func (in CaseInput) StartAttributes() temporal.SearchAttributes {
	if in.DecisionDue.IsZero() {
		return temporal.NewSearchAttributes()
	}
	return temporal.NewSearchAttributes(InstituteAttr.ValueSet(in.Case.Institute),
		StageAttr.ValueSet(string(article23.StageReceived)), NextDueAttr.ValueSet(in.DecisionDue.UTC()))
}

// NewCaseInput is the input a case starts with: the current schema, and the paths of
// PathsLatest given in the input. A version given in the input costs nothing in history,
// where GetVersion's costs a marker and the SDK's TemporalChangeVersion upsert, a visibility
// write, in every case's first workflow task. The price: TemporalChangeVersion does not say
// which paths such a case runs on; its input does.
func NewCaseInput(c article23.Case) CaseInput {
	return CaseInput{Version: CaseInputVersion, Paths: int(PathsLatest), Case: c}
}

// choosePaths decides once per run, at start, every path the case runs on: the input's
// Paths when it is set, else CasePathsChange's marker. The input is in the history, so a
// replay chooses as the run did. A Paths this code does not know fails the workflow task
// (a panic, which the worker retries) rather than the case: a worker older than the API
// that started the case leaves it to a newer one.
func (s *caseState) choosePaths(ctx workflow.Context, in CaseInput) {
	given := in.Paths
	v := workflow.Version(given)
	switch {
	case given == 0:
		v = workflow.GetVersion(ctx, CasePathsChange, PathsOneByOne, PathsLatest)
	case v < PathsAtStart || v > PathsLatest:
		panic(fmt.Sprintf("case input paths %d: this worker runs %d to %d", given, PathsAtStart, PathsLatest))
	}
	if v >= PathsAtStart {
		s.path, s.notices, s.visibility = PathLocalRecords, NoticesAtAct, VisibilityUpserted
		s.realDates, s.realDatesChosen = RealDatesJudged, true
		s.fewerEvents = v >= PathsFewerEvents
		if given >= int(PathsSearchableAtStart) && !in.DecisionDue.IsZero() {
			s.shown = shown{institute: true, stage: article23.StageReceived, nextDue: in.DecisionDue.UTC()}
		}
		return
	}
	s.choosePath(ctx)
	s.chooseNotices(ctx)
	s.chooseVisibility(ctx)
	// RealDatesChange stays to be asked at the run's first act, as these cases always did
}
