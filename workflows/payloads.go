package workflows

import "github.com/cicpa/weiquan/article23"

// Decide is the argument of DecideUpdate. The decision date is NoticeServedOn: Article 23
// measures the decision by the written notice to the member.
type Decide struct {
	Actor          article23.Actor `json:"actor"`
	Accept         bool            `json:"accept"`
	Reasons        string          `json:"reasons,omitempty"` // mandatory when not accepting
	NoticeServedOn string          `json:"notice_served_on"`
}

// RequestSupplement is the argument of RequestSupplementUpdate.
type RequestSupplement struct {
	Actor article23.Actor `json:"actor"`
	What  string          `json:"what"`
}

// ReceiveSupplement is the argument of ReceiveSupplementUpdate.
type ReceiveSupplement struct {
	Actor      article23.Actor `json:"actor"`
	ReceivedOn string          `json:"received_on"`
}

// RecordCommittee is the argument of RecordCommitteeUpdate.
type RecordCommittee struct {
	Actor          article23.Actor `json:"actor"`
	HeldOn         string          `json:"held_on"`
	MembersPresent []string        `json:"members_present"`
	ExpertOpinion  string          `json:"expert_opinion"`
}

// RecordFeedback is the argument of RecordFeedbackUpdate.
type RecordFeedback struct {
	Actor   article23.Actor          `json:"actor"`
	GivenOn string                   `json:"given_on"`
	Manner  article23.FeedbackManner `json:"manner"`
	Summary string                   `json:"summary"`
}

// RequestExtension is the argument of RequestExtensionUpdate: the new feedback period,
// counted from the feedback clock's start, either as a last date (Until) or as a length.
type RequestExtension struct {
	Actor    article23.Actor `json:"actor"`
	Reason   string          `json:"reason"`
	Until    string          `json:"until,omitempty"`
	Workdays int             `json:"workdays,omitempty"`
}

// DecideExtension is the argument of DecideExtensionUpdate.
type DecideExtension struct {
	Actor       article23.Actor `json:"actor"`
	ExtensionID int             `json:"extension_id"`
	Approve     bool            `json:"approve"`
	Note        string          `json:"note,omitempty"`
}

// Withdraw is the argument of WithdrawUpdate.
type Withdraw struct {
	Actor  article23.Actor `json:"actor"`
	Reason string          `json:"reason"`
}

// Reassign is the argument of ReassignUpdate: the case goes to Secretary, whom the caller
// has checked is an active secretary of the case's institute (the workflow cannot read the
// staff directory); Name is their display name, for the log.
type Reassign struct {
	Actor     article23.Actor `json:"actor"`
	Secretary string          `json:"secretary"`
	Name      string          `json:"name,omitempty"`
}

// Claim is the argument of ClaimUpdate: the calling secretary takes an unassigned case.
type Claim struct {
	Actor article23.Actor `json:"actor"`
}

// Close is the argument of CloseUpdate.
type Close struct {
	Actor article23.Actor `json:"actor"`
}

// AcknowledgeEscalation is the argument of AcknowledgeEscalationUpdate.
type AcknowledgeEscalation struct {
	Actor        article23.Actor `json:"actor"`
	EscalationID int             `json:"escalation_id"`
}
