package article23

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "前雇主拖欠三个月工资", "line one\nline two\r\n\tindented", "😀 émigré", "عربي\u200f mark"} {
		if err := CheckText(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"a\x00b", "\x00", "bell\a", "esc\x1b[31m", "del\x7f", "c1\u0085", "\xff", "x\uffff", "\u202e反转", "a\u2066b\u2069"} {
		if err := CheckText(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckTextFields(t *testing.T) {
	type inner struct {
		Names []string `json:"names"`
	}
	type Embedded struct { // its fields are its container's, as in JSON
		Note string `json:"note"`
	}
	v := struct {
		Title  string            `json:"title"`
		Inner  *inner            `json:"inner"`
		Notes  map[string]string `json:"notes"`
		hidden string
		Skip   string `json:"-"`
		Embedded
	}{Title: "ok", Inner: &inner{Names: []string{"张", "李\x00"}}, Notes: map[string]string{"k\x01": "v", "a": "b\x02"}, hidden: "\x00", Skip: "\x00",
		Embedded: Embedded{Note: "\x03"}}
	var got []string
	for _, p := range CheckTextFields(&v) {
		got = append(got, p.Field)
	}
	if want := "inner.names[1] notes.a notes.k\x01 note"; strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestNormalizeTextFields(t *testing.T) {
	type inner struct {
		Names []string `json:"names"`
	}
	decomposed := "Caf\u0065\u0301 王" // e + combining acute
	v := struct {
		Title string            `json:"title"`
		Inner *inner            `json:"inner"`
		Notes map[string]string `json:"notes"`
	}{Title: decomposed, Inner: &inner{Names: []string{decomposed}}, Notes: map[string]string{"k": decomposed}}
	NormalizeTextFields(&v)
	want := "Caf\u00e9 王"
	if v.Title != want || v.Inner.Names[0] != want || v.Notes["k"] != want {
		t.Fatalf("not NFC: %q %q %q", v.Title, v.Inner.Names[0], v.Notes["k"])
	}
}
