package api

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

// TestWireCarriesEveryField: where api copies a store row or a workflow's result into its
// wire body field by field (no conversion holds the two together), the body has every JSON
// field of the source, of the same kind, so a field added to the source is not dropped.
func TestWireCarriesEveryField(t *testing.T) {
	for _, c := range []struct{ from, to any }{
		{store.ComplianceRow{}, wire.ComplianceRow{}},
		{store.Correction{}, wire.Correction{}},
		{workflows.ReloadProgress{}, wire.ReloadProgress{}},
		{workflows.ReloadFailure{}, wire.ReloadFailure{}},
	} {
		to := jsonFields(reflect.TypeOf(c.to))
		for name, kind := range jsonFields(reflect.TypeOf(c.from)) {
			if got, ok := to[name]; !ok || got != kind {
				t.Errorf("%T.%s (%s): %T has %v", c.from, name, kind, c.to, got)
			}
		}
	}
}

// jsonFields are t's fields by JSON name, with embedded structs' fields as their own.
func jsonFields(t reflect.Type) map[string]reflect.Kind {
	out := map[string]reflect.Kind{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "" && f.Anonymous:
			for n, k := range jsonFields(f.Type) {
				out[n] = k
			}
		case name != "-" && f.IsExported():
			out[name] = f.Type.Kind()
		}
	}
	return out
}
