package e2e

import (
	"log/slog"
	"net/http/httptest"
	"testing"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/worker"
)

// Namespaces of the reliability suites (created by TestMain with the others).
const (
	nsCrypt     = "e2e-crypt"
	nsPGDown    = "e2e-pgdown"
	nsSupersede = "e2e-supersede"
)

var reliabilityNamespaces = []string{nsCrypt, nsPGDown, nsSupersede}

// dialCodec connects to namespace ns with payloads encrypted by cd (nil: no codec, so the
// client sees payloads as the server stores them).
func dialCodec(t *testing.T, ns string, cd *codec.Codec) client.Client {
	t.Helper()
	opts := client.Options{HostPort: server.HostPort(), Namespace: ns, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))}
	if cd != nil {
		opts.DataConverter = cd.DataConverter()
		opts.FailureConverter = temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
			DataConverter: opts.DataConverter, EncodeCommonAttributes: true})
	}
	c, err := client.Dial(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// startStack runs API and worker over client c and store st, like newStack, and returns a
// stop that ends both (so a test can replace them mid-way).
func startStack(t *testing.T, c client.Client, st *store.Store) (*stack, func()) {
	return startStackWith(t, c, st, worker.Options{})
}

// startStackWith is startStack with the worker's options.
func startStackWith(t *testing.T, c client.Client, st *store.Store, wo worker.Options) (*stack, func()) {
	t.Helper()
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	holder := calendar.NewHolder(cal)
	w := worker.New(c, &activities.Activities{Recorder: st, Marks: st, Calendar: holder, Cases: st}, wo)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	a := api.New(api.Deps{Logger: slog.New(slog.DiscardHandler), Store: st, Engine: api.TemporalEngine{Client: c},
		Calendar: holder, Verifier: auth.HS256Verifier{Key: signingKey}, BlobDir: t.TempDir(), RatePerSecond: 1000, Burst: 1000})
	srv := httptest.NewServer(a.Handler())
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			srv.Close()
			w.Stop()
		}
	}
	t.Cleanup(stop)
	return &stack{t: t, url: srv.URL, cal: cal, st: st, c: c}, stop
}
