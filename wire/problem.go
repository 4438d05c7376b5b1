package wire

import "fmt"

// Problem is every error the API answers: an RFC 9457 problem document
// (application/problem+json) with weiquan's stable machine Code, in the caller's language
// (Title, Detail and each field's Detail; Code never changes with it).
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Code      string         `json:"code"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem points at one invalid field of a request body.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// Error lets a *Problem travel as an error.
func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Code, p.Detail) }

// Add records a problem with field.
func (p *Problem) Add(field, detail string) {
	p.Errors = append(p.Errors, FieldProblem{Field: field, Detail: detail})
}
