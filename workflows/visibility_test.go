package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// TestSearchAttributesFollowTheCase: a case puts its institute in WeiquanInstitute once, and
// WeiquanStage and WeiquanNextDue (the earliest running deadline, unset once none runs) each
// time they move, and upserts nothing when neither moved. (On PathsFewerEvents, where the case
// takes nothing from its start; TestSearchAttributesFromStart for what changes after.)
func TestSearchAttributesFollowTheCase(t *testing.T) {
	h := newHarness(t, sh("2026-11-27", 20, 0))
	h.onPaths(PathsFewerEvents)
	upserts := h.upserts()
	acc := h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
	h.update(sh("2027-01-20", 15, 0), RecordCommitteeUpdate, RecordCommittee{Actor: secretary, HeldOn: "2027-01-20",
		MembersPresent: []string{"张", "赵"}, ExpertOpinion: "the firm owes the pay"})
	h.update(sh("2027-03-01", 10, 0), RecordFeedbackUpdate, RecordFeedback{Actor: secretary, GivenOn: "2027-03-01",
		Manner: article23.MannerLetter, Summary: "letter sent"})
	h.update(sh("2027-03-02", 10, 0), CloseUpdate, Close{Actor: secretary})
	final := h.run(newCase("2026-11-27"))
	require.Equal(t, article23.StageClosed, final.Stage)

	decision := h.due("2026-11-27", 15).Due
	c := ok(t, acc)
	committee, _ := c.Clock(article23.ClockCommittee)
	got := *upserts
	require.NotEmpty(t, got)
	first := got[0]
	require.Equal(t, "BJ", first.institute)
	require.Equal(t, string(article23.StageReceived), first.stage)
	require.Equal(t, decision.End().UTC(), first.nextDue.UTC(), "the decision's deadline, 24:00 Asia/Shanghai")
	for _, u := range got[1:] {
		require.Empty(t, u.institute, "the institute is set once")
	}
	stages := []string{}
	for _, u := range got {
		stages = append(stages, u.stage)
	}
	require.Equal(t, []string{"received", "accepted", "committee_held", "feedback_given", "closed"}, stages, "one upsert per move: %+v", got)
	require.Equal(t, committee.DeadlineAt.UTC(), got[1].nextDue.UTC(), "accepted: the committee's deadline is the nearer")
	last := got[len(got)-1]
	require.True(t, got[3].nextUnset, "no clock runs after the feedback: %+v", got[3])
	require.True(t, last.nextUnset, "%+v", last)
}

// TestSearchAttributesFromStart: on PathsSearchableAtStart a case started with the search
// attributes its input names (StartAttributes, as the API starts it) upserts nothing until
// its stage or deadline moves, and never its institute again. A start whose deadline the
// workflow does not make (a calendar reloaded in between) is corrected in the first task. A
// case on an older path takes nothing from its input.
func TestSearchAttributesFromStart(t *testing.T) {
	decision := func(h *harness) time.Time { return h.due("2026-11-27", 15).Due.End().UTC() }
	run := func(input func(h *harness) CaseInput, paths workflow.Version) []upsert {
		h := newHarness(t, sh("2026-11-27", 20, 0))
		if paths != 0 {
			h.onPaths(paths)
		}
		upserts := h.upserts()
		in := input(h)
		require.NoError(t, h.env.SetTypedSearchAttributesOnStart(in.StartAttributes()))
		h.update(sh("2026-12-10", 11, 0), DecideUpdate, Decide{Actor: secretary, Accept: true, NoticeServedOn: "2026-12-10"})
		h.update(sh("2026-12-11", 10, 0), WithdrawUpdate, Withdraw{Actor: member, Reason: "settled"})
		h.env.ExecuteWorkflow(CaseWorkflow, in)
		require.True(t, h.env.IsWorkflowCompleted())
		require.NoError(t, h.env.GetWorkflowError())
		return *upserts
	}
	stages := func(us []upsert) []string {
		var s []string
		for _, u := range us {
			s = append(s, u.stage)
		}
		return s
	}
	withDue := func(in CaseInput, due time.Time) CaseInput { in.DecisionDue = due; return in }

	right := run(func(h *harness) CaseInput { return withDue(NewCaseInput(newCase("2026-11-27")), decision(h)) }, 0)
	require.Equal(t, []string{"accepted", "withdrawn"}, stages(right), "the start said received and the decision's deadline: %+v", right)
	for _, u := range right {
		require.Empty(t, u.institute, "the start gave the institute")
	}

	var want time.Time
	wrong := run(func(h *harness) CaseInput {
		want = decision(h)
		return withDue(NewCaseInput(newCase("2026-11-27")), want.AddDate(0, 0, -1))
	}, 0)
	require.Equal(t, []string{"received", "accepted", "withdrawn"}, stages(wrong))
	require.Equal(t, want, wrong[0].nextDue.UTC(), "the workflow's own deadline replaces the start's")
	require.Empty(t, wrong[0].institute)

	older := run(func(h *harness) CaseInput {
		return withDue(CaseInput{Version: CaseInputVersion, Case: newCase("2026-11-27")}, decision(h))
	}, PathsFewerEvents)
	require.Equal(t, []string{"received", "accepted", "withdrawn"}, stages(older), "PathsFewerEvents upserts as it always did")
	require.Equal(t, "BJ", older[0].institute)
}

// upsert is one UpsertTypedSearchAttributes of a case.
type upsert struct {
	institute, stage string
	nextDue          time.Time
	nextUnset        bool
}

// upserts collects the case's search-attribute upserts as they are made.
func (h *harness) upserts() *[]upsert {
	got := &[]upsert{}
	h.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		u := upsert{}
		u.institute, _ = sa.GetKeyword(InstituteAttr)
		u.stage, _ = sa.GetKeyword(StageAttr)
		var ok bool
		u.nextDue, ok = sa.GetTime(NextDueAttr)
		u.nextUnset = !ok
		*got = append(*got, u)
	}).Return()
	return got
}
