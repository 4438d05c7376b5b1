package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"

	"github.com/cicpa/weiquan/worker"
	"github.com/cicpa/weiquan/workflows"
)

// TestWorkerRegistersSearchAttributes: a namespace that lacks the case workflow's search
// attributes (a server set up before WeiquanNextDue, or by hand) gets them from the worker's
// start-up check, with their types; a second check adds nothing; one registered with another
// type is an error that names it.
func TestWorkerRegistersSearchAttributes(t *testing.T) {
	ctx := t.Context()
	c := dial(t, nsAttrs)
	_, err := c.OperatorService().RemoveSearchAttributes(ctx, &operatorservice.RemoveSearchAttributesRequest{
		Namespace: nsAttrs, SearchAttributes: []string{workflows.NextDueAttr.GetName(), workflows.StageAttr.GetName()}})
	require.NoError(t, err)

	added, err := worker.EnsureSearchAttributes(ctx, c, nsAttrs)
	require.NoError(t, err)
	require.Equal(t, []string{"WeiquanNextDue", "WeiquanStage"}, added)
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: nsAttrs})
	require.NoError(t, err)
	for name, typ := range workflows.SearchAttributes {
		require.Equal(t, typ, have.GetCustomAttributes()[name], name)
	}
	added, err = worker.EnsureSearchAttributes(ctx, c, nsAttrs)
	require.NoError(t, err)
	require.Empty(t, added)

	// Registered with another type: the worker cannot fix it and says so, naming both types.
	_, err = c.OperatorService().RemoveSearchAttributes(ctx, &operatorservice.RemoveSearchAttributesRequest{
		Namespace: nsAttrs, SearchAttributes: []string{workflows.StageAttr.GetName()}})
	require.NoError(t, err)
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: nsAttrs,
		SearchAttributes: map[string]enumspb.IndexedValueType{workflows.StageAttr.GetName(): enumspb.INDEXED_VALUE_TYPE_INT}})
	require.NoError(t, err)
	_, err = worker.EnsureSearchAttributes(ctx, c, nsAttrs)
	require.ErrorContains(t, err, "WeiquanStage")
	require.ErrorContains(t, err, "is Int; weiquan needs Keyword")
}
