package workflows

import "go.temporal.io/sdk/workflow"

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
	// PathsLatest is the version new cases take.
	PathsLatest = PathsFewerEvents
)

// choosePaths decides once per run, at start, every path the case runs on.
func (s *caseState) choosePaths(ctx workflow.Context) {
	if v := workflow.GetVersion(ctx, CasePathsChange, PathsOneByOne, PathsLatest); v >= PathsAtStart {
		s.path, s.notices, s.visibility = PathLocalRecords, NoticesAtAct, VisibilityUpserted
		s.realDates, s.realDatesChosen = RealDatesJudged, true
		s.fewerEvents = v >= PathsFewerEvents
		return
	}
	s.choosePath(ctx)
	s.chooseNotices(ctx)
	s.chooseVisibility(ctx)
	// RealDatesChange stays to be asked at the run's first act, as these cases always did
}
