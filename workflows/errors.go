package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
)

// Error codes: the Type of the non-retryable ApplicationError an update is refused with.
// They are stable API; each names one reason.
const (
	CodeWrongStage             = "wrong_stage"              // the action does not fit the case's stage
	CodeAlreadyDecided         = "already_decided"          // accept / not-accept was already decided
	CodeWithdrawn              = "withdrawn"                // the member withdrew the case
	CodeReasonsRequired        = "reasons_required"         // not accepting needs reasons
	CodeCommitteeRequired      = "committee_required"       // feedback before the committee's expert opinion
	CodeBeyondCap              = "beyond_cap"               // an extension past the cap (90 working days)
	CodeExtensionNotPending    = "extension_not_pending"    // the extension was already decided
	CodeExtensionPending       = "extension_pending"        // one extension request at a time
	CodeExtensionTooShort      = "extension_too_short"      // the new feedback due date is not later
	CodeClockBreached          = "clock_breached"           // the feedback deadline passed: no extension undoes a breach
	CodeSupplementNotAllowed   = "supplement_not_allowed"   // the institute's policy allows no supplement
	CodeSupplementRequested    = "supplement_requested"     // the one supplement was already requested
	CodeSupplementWindowClosed = "supplement_window_closed" // too late to request a supplement
	CodeAlreadyAcknowledged    = "already_acknowledged"     // the escalation was acknowledged
	CodeAlreadyAssigned        = "already_assigned"         // claimed by or assigned to someone already
	CodeForbidden              = "forbidden"                // the actor may not do this on this case
	CodeInvalidDate            = "invalid_date"             // not YYYY-MM-DD, or outside the calendar
	CodeDateInFuture           = "date_in_future"           // after today in Asia/Shanghai
	CodeDateBeforeStage        = "date_before_stage"        // before the current stage began
	CodeInvalidArgument        = "invalid_argument"         // a missing or malformed field
	CodeNotFound               = "not_found"                // no such extension or escalation
)

// Error kinds: how the API maps a code to HTTP (409, 422, 403, 404).
const (
	KindConflict  = "conflict"
	KindInvalid   = "invalid"
	KindForbidden = "forbidden"
	KindNotFound  = "not_found"
)

// ErrorKinds maps every error code to its kind.
var ErrorKinds = map[string]string{
	CodeWrongStage: KindConflict, CodeAlreadyDecided: KindConflict, CodeWithdrawn: KindConflict,
	CodeCommitteeRequired: KindConflict, CodeExtensionNotPending: KindConflict, CodeExtensionPending: KindConflict,
	CodeClockBreached: KindConflict, CodeSupplementNotAllowed: KindConflict, CodeSupplementRequested: KindConflict,
	CodeSupplementWindowClosed: KindConflict, CodeAlreadyAcknowledged: KindConflict, CodeAlreadyAssigned: KindConflict,
	CodeReasonsRequired: KindInvalid, CodeBeyondCap: KindInvalid, CodeExtensionTooShort: KindInvalid,
	CodeInvalidDate: KindInvalid, CodeDateInFuture: KindInvalid, CodeDateBeforeStage: KindInvalid,
	CodeInvalidArgument: KindInvalid,
	CodeForbidden:       KindForbidden,
	CodeNotFound:        KindNotFound,
}

// ErrorKind returns the kind of error code, or "" for a code that is not one of ours.
func ErrorKind(code string) string { return ErrorKinds[code] }

// CodeOf returns the error code of err (an update's refusal), or "" if err carries none.
func CodeOf(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		if _, ok := ErrorKinds[app.Type()]; ok {
			return app.Type()
		}
	}
	return ""
}

// refuse builds the refusal of an update: a non-retryable ApplicationError typed with code.
func refuse(code, format string, args ...any) error {
	return temporal.NewApplicationErrorWithOptions(fmt.Sprintf(format, args...), code,
		temporal.ApplicationErrorOptions{NonRetryable: true})
}
