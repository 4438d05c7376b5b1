package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// VisibilityChange is the workflow.GetVersion change ID under which a case keeps its search
// attributes current, so the Temporal UI and CLI find an institute's cases by stage and by
// their next deadline (WeiquanInstitute = 'BJ' AND WeiquanStage = 'committee' ORDER BY
// WeiquanNextDue). Chosen once per run, at start; cases started before it set none.
const VisibilityChange = "search-attributes"

// The versions of VisibilityChange.
const (
	VisibilityNone                      = workflow.DefaultVersion
	VisibilityUpserted workflow.Version = 1
)

// The case workflow's search attributes. Temporal refuses a workflow task that sets one the
// namespace lacks, so every server registers SearchAttributes before a worker runs: the
// embedded server when it creates its namespace, `weiquan worker` and `weiquan temporal-setup`
// through the operator service, and deploy/temporal/register.sh in the compose.
var (
	InstituteAttr = temporal.NewSearchAttributeKeyKeyword("WeiquanInstitute")
	StageAttr     = temporal.NewSearchAttributeKeyKeyword("WeiquanStage")
	NextDueAttr   = temporal.NewSearchAttributeKeyTime("WeiquanNextDue")
)

// SearchAttributes are the names and types of the attributes above, for registering them.
var SearchAttributes = map[string]enumspb.IndexedValueType{
	InstituteAttr.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	StageAttr.GetName():     enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	NextDueAttr.GetName():   enumspb.INDEXED_VALUE_TYPE_DATETIME,
}

// shown is what the case last put in its search attributes.
type shown struct {
	institute bool
	stage     article23.Stage
	nextDue   time.Time
}

// chooseVisibility decides once per run whether the case keeps its search attributes.
func (s *caseState) chooseVisibility(ctx workflow.Context) {
	s.visibility = workflow.GetVersion(ctx, VisibilityChange, VisibilityNone, VisibilityUpserted)
}

// publish upserts the search attributes that changed since the last upsert: the institute
// once, the stage and the next running deadline (unset when no clock runs) when they move.
func (s *caseState) publish(ctx workflow.Context) error {
	if s.visibility < VisibilityUpserted {
		return nil
	}
	next := s.nextDue()
	if s.shown.institute && s.shown.stage == s.Case.Stage && s.shown.nextDue.Equal(next) {
		return nil
	}
	updates := []temporal.SearchAttributeUpdate{StageAttr.ValueSet(string(s.Case.Stage))}
	if !s.shown.institute {
		updates = append(updates, InstituteAttr.ValueSet(s.Case.Institute))
	}
	if next.IsZero() {
		updates = append(updates, NextDueAttr.ValueUnset())
	} else {
		updates = append(updates, NextDueAttr.ValueSet(next))
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		return err
	}
	s.shown = shown{institute: true, stage: s.Case.Stage, nextDue: next}
	return nil
}

// nextDue is the earliest deadline among the running clocks, zero when none runs.
func (s *caseState) nextDue() time.Time {
	var next time.Time
	for _, c := range s.Case.Clocks {
		if c.State == article23.ClockRunning && (next.IsZero() || c.DeadlineAt.Before(next)) {
			next = c.DeadlineAt
		}
	}
	return next
}
