package worker

import (
	"context"
	"fmt"
	"maps"
	"slices"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/workflows"
)

// EnsureSearchAttributes registers in namespace the search attributes the case workflow sets
// (workflows.SearchAttributes) that it lacks, and returns their names. Temporal fails every
// workflow task that sets an attribute its namespace does not know, so a worker makes sure of
// them before it polls; an attribute registered with another type is an error an operator
// must resolve.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) ([]string, error) {
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("list the search attributes of namespace %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, name := range slices.Sorted(maps.Keys(workflows.SearchAttributes)) {
		want := workflows.SearchAttributes[name]
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = want
		case got != want:
			return nil, fmt.Errorf("search attribute %s of namespace %s is %s; weiquan needs %s", name, namespace, got, want)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing}); err != nil {
		return nil, fmt.Errorf("register the search attributes %v in namespace %s (or run deploy/temporal/register.sh): %w",
			slices.Sorted(maps.Keys(missing)), namespace, err)
	}
	return slices.Sorted(maps.Keys(missing)), nil
}
