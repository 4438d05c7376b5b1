package calendar

import "testing"

func TestHolderSwap(t *testing.T) {
	base, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(base)
	if h.Current() != base {
		t.Fatal("holder does not serve the calendar it was given")
	}
	next, err := base.WithYearFile([]byte(`{"year":2028,"days":[{"name":"元旦","date":"2028-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if old := h.Swap(next); old != base || h.Current() != next {
		t.Fatal("swap did not put the new calendar in force")
	}
	if next.Version() == base.Version() {
		t.Fatal("a new year file must change the calendar version")
	}
}
