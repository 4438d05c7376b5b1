package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/devserver"
)

// server is the package's one embedded Temporal server, started on free ports by TestMain.
// Each suite uses its own namespace so that workers on workflows.TaskQueue never take
// another suite's tasks.
var server *devserver.Server

// Namespaces of the suites.
const (
	nsHistory  = "history"
	nsSQLite   = "e2e-sqlite"
	nsPostgres = "e2e-postgres"
	nsNoWorker = "e2e-no-worker"
	nsReload   = "e2e-reload"
	nsOwner    = "e2e-owner"
	nsAttrs    = "e2e-attrs"
	nsBare     = "e2e-bare" // its search attributes are removed: no worker has registered them
	nsNotice   = "e2e-notice"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "e2e: skipped under -short (an embedded Temporal server and the whole system; go test ./e2e runs it)")
		os.Exit(0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	var err error
	server, err = devserver.Start(ctx, devserver.Options{ExtraNamespaces: append([]string{nsHistory, nsSQLite, nsPostgres, nsNoWorker, nsReload, nsOwner, nsAttrs, nsBare, nsNotice}, reliabilityNamespaces...)})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start the embedded Temporal server:", err)
		os.Exit(1)
	}
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// dial connects a client to namespace ns of the package's server.
func dial(t *testing.T, ns string) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: server.HostPort(), Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
