package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// decodeJSON reads the request body into v strictly: a JSON content type (415 otherwise),
// one well-formed object without unknown fields (400), values of the right types (422).
// An empty body is allowed only when emptyOK (actions without arguments).
func decodeJSON(c echo.Context, v any, emptyOK bool) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return problem(http.StatusRequestEntityTooLarge, "too_large", "the request body is larger than 1 MiB")
		}
		return err // an echo.HTTPError from the body limit, or a broken connection
	}
	if len(bytes.TrimSpace(body)) == 0 && emptyOK {
		return nil
	}
	if err := jsonContentType(c.Request().Header.Get(echo.HeaderContentType)); err != nil {
		return err
	}
	return decodeBody(body, v)
}

// jsonContentType accepts application/json and application/*+json.
func jsonContentType(ct string) error {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return problem(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json")
	}
	return nil
}

// decodeBody is the decoding half of decodeJSON, separate so it can be fuzzed.
func decodeBody(body []byte, v any) error {
	if !utf8.Valid(body) {
		return problem(http.StatusBadRequest, "malformed_json", "the body is not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return problem(http.StatusBadRequest, "malformed_json", "the body holds more than one JSON value")
	}
	var f fields
	for _, p := range article23.CheckTextFields(v) {
		f.addErr(p.Field, p.Err)
	}
	if err := f.err(); err != nil {
		return err
	}
	article23.NormalizeTextFields(v)
	return nil
}

func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return problem(http.StatusBadRequest, "malformed_json", "the body must be a JSON object")
		}
		return invalid([]FieldProblem{fieldProblem(field, "must be a %s", jsonKind(typeErr.Type.Kind().String()))})
	case errors.As(err, &syntaxErr):
		return problem(http.StatusBadRequest, "malformed_json", fmt.Sprintf("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return problem(http.StatusBadRequest, "unknown_field", strings.TrimPrefix(err.Error(), "json: "))
	}
	return problem(http.StatusBadRequest, "malformed_json", "malformed JSON: "+err.Error())
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// fields collects field problems of one request.
type fields []FieldProblem

func (f *fields) add(field, format string, args ...any) {
	*f = append(*f, fieldProblem(field, format, args...))
}

// text checks a required free-text field of at most max characters.
func (f *fields) text(field, v string, maxLen int) {
	switch n := utf8.RuneCountInString(v); {
	case strings.TrimSpace(v) == "":
		f.add(field, "is required")
	case n > maxLen:
		f.add(field, "is %d characters; at most %d", n, maxLen)
	}
}

// optText checks an optional free-text field.
func (f *fields) optText(field, v string, maxLen int) {
	if n := utf8.RuneCountInString(v); n > maxLen {
		f.add(field, "is %d characters; at most %d", n, maxLen)
	}
}

// date checks a required YYYY-MM-DD date.
func (f *fields) date(field, v string) {
	if _, err := calendar.ParseDate(v); err != nil {
		f.add(field, "must be a date YYYY-MM-DD, got %q", v)
	}
}

var codePattern = regexp.MustCompile(`^[A-Z]{2,5}$`)
var memberNoPattern = regexp.MustCompile(`^[0-9A-Za-z-]{1,32}$`)

// err returns the 422 listing the problems, or nil.
func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return invalid(f)
}

// queryInt parses an optional integer query parameter within [lo, hi].
func queryInt(c echo.Context, name string, lo, hi int, f *fields) (int, bool) {
	s := c.QueryParam(name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		f.add(name, "must be a whole number %d–%d", lo, hi)
		return 0, false
	}
	return n, true
}

// queryBool reads an optional true/false query parameter (absent is false).
func queryBool(c echo.Context, name string, f *fields) bool {
	switch c.QueryParam(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	f.add(name, "must be true or false")
	return false
}
