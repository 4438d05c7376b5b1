package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/workflows"
)

// TestTemporalSetupRegistersTheSearchAttributes: `weiquan temporal-setup`, configured as the
// worker is (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), puts back the search attributes a
// namespace lacks and says which.
func TestTemporalSetupRegistersTheSearchAttributes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded Temporal server")
	}
	srv, err := devserver.Start(t.Context(), devserver.Options{LogFile: filepath.Join(t.TempDir(), "temporal.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.OperatorService().RemoveSearchAttributes(t.Context(), &operatorservice.RemoveSearchAttributesRequest{
		Namespace: srv.Namespace(), SearchAttributes: []string{workflows.NextDueAttr.GetName()}}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_ADDRESS", srv.HostPort())
	t.Setenv("TEMPORAL_NAMESPACE", srv.Namespace())
	var out, errb bytes.Buffer
	if err := run(t.Context(), []string{"temporal-setup"}, &out, &errb); err != nil {
		t.Fatalf("temporal-setup: %v\n%s", err, errb.String())
	}
	if want := "(added now: [WeiquanNextDue])"; !bytes.Contains(out.Bytes(), []byte(want)) {
		t.Errorf("output %q lacks %q", out.String(), want)
	}
	have, err := c.OperatorService().ListSearchAttributes(t.Context(), &operatorservice.ListSearchAttributesRequest{Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range workflows.SearchAttributes {
		if got := have.GetCustomAttributes()[name]; got != typ {
			t.Errorf("%s is %v, want %v", name, got, typ)
		}
	}
}
