package article23

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CheckText reports why s cannot be text of a case: it is not UTF-8, or it holds a control
// character other than a tab or a line break (U+0000 above all: PostgreSQL cannot store it
// in text, so a case holding it could never be recorded). Every string that enters weiquan
// is checked with it at the edge (api), and again by the workflow's validators.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return &TextError{Format: "is not valid UTF-8"}
	}
	for i, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff || isBidiControl(r) {
			return &TextError{Format: "holds the control character U+%04X at byte %d; text may hold printable characters, tabs and line breaks only", Args: []any{r, i}}
		}
	}
	return nil
}

// TextError is why a string is not text, as a format and its arguments, so that a reader
// can say it in another language.
type TextError struct {
	Format string
	Args   []any
}

func (e *TextError) Error() string { return fmt.Sprintf(e.Format, e.Args...) }

// isBidiControl reports the embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069): they reorder how the text around them is displayed, so a name or a summary
// could read differently from what it holds ("Trojan Source"). The marks U+200E/U+200F stay.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// TextProblem is a string inside a value that is not plain text, by its path: JSON names of
// struct fields joined with dots, [i] for elements (applicant.name, members_present[1]).
type TextProblem struct {
	Field string
	Err   error
}

// CheckTextFields applies CheckText to every string v holds (through pointers, interfaces,
// structs by their JSON names, slices, and maps, whose keys are checked too), in field
// order, and reports each that fails. The API checks a decoded request with it, and the
// workflow's validators an update's argument.
func CheckTextFields(v any) []TextProblem {
	var out []TextProblem
	walkText(reflect.ValueOf(v), "", &out)
	return out
}

func walkText(v reflect.Value, at string, out *[]TextProblem) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), at, out)
		}
	case reflect.String:
		if err := CheckText(v.String()); err != nil {
			*out = append(*out, TextProblem{Field: at, Err: err})
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkText(v.Index(i), fmt.Sprintf("%s[%d]", at, i), out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			path := strings.TrimPrefix(at+"."+fmt.Sprint(k), ".")
			walkText(k, path, out)
			walkText(v.MapIndex(k), path, out)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" && t.Field(i).Anonymous && t.Field(i).Type.Kind() == reflect.Struct {
				walkText(v.Field(i), at, out) // an embedded struct's fields are its container's, as in JSON
				continue
			}
			if name == "" {
				name = t.Field(i).Name
			}
			walkText(v.Field(i), strings.TrimPrefix(at+"."+name, "."), out)
		}
	}
}

// NormalizeTextFields rewrites every string v points at into Unicode NFC, so that text typed
// on different systems (a decomposed é, a Korean name in jamo) is stored, compared and
// searched as one. v must be a pointer; the walk is CheckTextFields's.
func NormalizeTextFields(v any) {
	normalizeText(reflect.ValueOf(v))
}

func normalizeText(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normalizeText(v.Elem())
		}
	case reflect.String:
		if v.CanSet() && !norm.NFC.IsNormalString(v.String()) {
			v.SetString(norm.NFC.String(v.String()))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			normalizeText(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String {
			for _, k := range v.MapKeys() {
				v.SetMapIndex(k, reflect.ValueOf(norm.NFC.String(v.MapIndex(k).String())).Convert(v.Type().Elem()))
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				normalizeText(v.Field(i))
			}
		}
	}
}
