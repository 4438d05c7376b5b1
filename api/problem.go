package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

// Problem is the error a handler returns for the caller to read: the problem document
// (wire.Problem, RFC 9457, the one declaration of its fields) and the field problems with
// what it takes to say each in the caller's language (document).
type Problem struct {
	wire.Problem
	fields []FieldProblem
}

// FieldProblem points at one invalid field of a request body: its English detail and the
// catalogued format and arguments it was made from, to say it in Chinese too.
type FieldProblem struct {
	Field  string
	Detail string
	format string
	args   []any
}

// document is p as the caller reads it: in Chinese when zh, else as written.
func (p *Problem) document(zh bool) wire.Problem {
	if zh {
		return inChinese(*p)
	}
	doc := p.Problem
	doc.Errors = wireFields(p.fields, nil)
	return doc
}

// wireFields is fields as the document lists them, each said by say (as written when nil);
// nil when none.
func wireFields(fields []FieldProblem, say func(FieldProblem) FieldProblem) []wire.FieldProblem {
	if len(fields) == 0 {
		return nil
	}
	out := make([]wire.FieldProblem, len(fields))
	for i, e := range fields {
		if say != nil {
			e = say(e)
		}
		out[i] = wire.FieldProblem{Field: e.Field, Detail: e.Detail}
	}
	return out
}

// problem builds a Problem; its type URI names the code so clients can link documentation.
func problem(status int, code, detail string) *Problem {
	return &Problem{Problem: wire.Problem{Type: "https://weiquan.cicpa.org.cn/problems/" + code, Title: http.StatusText(status), Status: status, Code: code, Detail: detail}}
}

// invalid is a 422 listing the fields at fault.
func invalid(fields []FieldProblem) *Problem {
	p := problem(http.StatusUnprocessableEntity, "invalid", "the request has invalid fields")
	p.fields = fields
	return p
}

// kindStatus maps the kind of a workflow refusal to an HTTP status.
var kindStatus = map[string]int{
	workflows.KindConflict:  http.StatusConflict,
	workflows.KindInvalid:   http.StatusUnprocessableEntity,
	workflows.KindForbidden: http.StatusForbidden,
	workflows.KindNotFound:  http.StatusNotFound,
}

// toProblem maps any error a handler returns to the problem the client sees.
func toProblem(err error) *Problem {
	var p *Problem
	var he *echo.HTTPError
	var appErr *temporal.ApplicationError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &appErr) && workflows.ErrorKind(appErr.Type()) != "":
		return refusal(appErr)
	case errors.Is(err, auth.ErrInvalidToken):
		return problem(http.StatusUnauthorized, "unauthenticated", err.Error())
	case errors.Is(err, store.ErrNotFound):
		return problem(http.StatusNotFound, "not_found", "no such resource")
	case errors.Is(err, store.ErrIdempotencyConflict):
		return problem(http.StatusUnprocessableEntity, "idempotency_conflict", "this Idempotency-Key was used with a different request body")
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, ErrEngineUnavailable), errors.Is(err, context.DeadlineExceeded):
		return problem(http.StatusServiceUnavailable, "unavailable", "a dependency is not answering; retry with the same Idempotency-Key")
	case errors.As(err, &he):
		return problem(he.Code, httpCode(he.Code), fmt.Sprint(he.Message))
	}
	return problem(http.StatusInternalServerError, "internal", "an internal error occurred; the request ID identifies it in the logs")
}

// refusal is the problem of a workflow's refusal; a refused date names its field, as the
// workflow's date checks start their message with it ("given_on: …").
func refusal(appErr *temporal.ApplicationError) *Problem {
	p := problem(kindStatus[workflows.ErrorKind(appErr.Type())], appErr.Type(), appErr.Message())
	if shape, ok := refusedDates[appErr.Type()]; ok {
		if field, detail, ok := strings.Cut(appErr.Message(), ": "); ok && !strings.Contains(field, " ") {
			p.fields = []FieldProblem{{Field: field, Detail: detail}}
			if m := shape.re.FindStringSubmatch(detail); m != nil {
				args := make([]any, len(m)-1)
				for i, a := range m[1:] {
					args[i] = a
				}
				p.fields[0] = fieldProblem(field, shape.format, args...)
			}
		}
	}
	return p
}

// refusedDates are the sentences of the workflow's date checks (workflows/validate.go) with
// their catalogued format, so that they can be said in Chinese too.
var refusedDates = map[string]struct {
	re     *regexp.Regexp
	format string
}{
	workflows.CodeInvalidDate:     {regexp.MustCompile(`^"(.*)" is not a date \(YYYY-MM-DD\)$`), "%q is not a date (YYYY-MM-DD)"},
	workflows.CodeDateInFuture:    {regexp.MustCompile(`^(\S+) is after today \((\S+), Asia/Shanghai\)$`), "%s is after today (%s, Asia/Shanghai)"},
	workflows.CodeDateBeforeStage: {regexp.MustCompile(`^(\S+) is before (\S+), when the case's current stage began$`), "%s is before %s, when the case's current stage began"},
}

func httpCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "bad_request"
}

// errorHandler writes every error as application/problem+json and logs server faults.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err).document(prefersChinese(c.Request()))
	p.Instance = c.Request().URL.Path
	p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if p.Status >= 500 {
		s.log.Error("request failed", "request_id", p.RequestID, "path", p.Instance, "error", err)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_ = c.JSON(p.Status, p) // header already written; JSON only encodes the body
}
