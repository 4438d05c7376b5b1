package wire

import "github.com/cicpa/weiquan/article23"

// The bodies clients send. api checks each field and names the ones at fault (422); the
// console builds them from its forms.

// CreateCaseRequest is the body of POST /cases.
type CreateCaseRequest struct {
	Institute    string              `json:"institute"`
	Applicant    article23.Applicant `json:"applicant"`
	Counterparty string              `json:"counterparty"`
	Category     string              `json:"category"`
	Summary      string              `json:"summary"`
	Claims       string              `json:"claims"`
	ReceivedOn   string              `json:"received_on,omitempty"` // paper materials only
}

// DecisionRequest is the body of POST /cases/{number}/decision.
type DecisionRequest struct {
	Decision       string `json:"decision"` // accept or reject
	Reasons        string `json:"reasons,omitempty"`
	NoticeServedOn string `json:"notice_served_on"`
}

// SupplementRequest is the body of POST /cases/{number}/supplement-request.
type SupplementRequest struct {
	What string `json:"what"`
}

// SupplementReceivedRequest is the body of POST /cases/{number}/supplement-received.
type SupplementReceivedRequest struct {
	ReceivedOn string `json:"received_on"`
}

// CommitteeRequest is the body of POST /cases/{number}/committee-meeting.
type CommitteeRequest struct {
	HeldOn         string   `json:"held_on"`
	MembersPresent []string `json:"members_present"`
	ExpertOpinion  string   `json:"expert_opinion"`
}

// FeedbackRequest is the body of POST /cases/{number}/feedback.
type FeedbackRequest struct {
	GivenOn string                   `json:"given_on"`
	Manner  article23.FeedbackManner `json:"manner"`
	Summary string                   `json:"summary"`
}

// ExtensionRequest is the body of POST /cases/{number}/extensions: a new due date or a
// number of working days, never both.
type ExtensionRequest struct {
	Until    string `json:"until,omitempty"`
	Workdays int    `json:"workdays,omitempty"`
	Reason   string `json:"reason"`
}

// ExtensionDecisionRequest is the body of POST /cases/{number}/extensions/{id}/decision.
type ExtensionDecisionRequest struct {
	Approve *bool  `json:"approve"`
	Note    string `json:"note,omitempty"`
}

// WithdrawalRequest is the body of POST /cases/{number}/withdrawal.
type WithdrawalRequest struct {
	Reason string `json:"reason,omitempty"`
}

// AssignmentRequest is the body of POST /cases/{number}/assignment.
type AssignmentRequest struct {
	Secretary string `json:"secretary"`
}

// ServedRequest is the body of POST /cases/{number}/documents/{id}/served: the date a
// letter was served on the member.
type ServedRequest struct {
	ServedOn string `json:"served_on"`
}

// StaffRequest is the body of POST /staff and PATCH /staff/{id} (absent fields stay).
type StaffRequest struct {
	ID        string          `json:"id,omitempty"`
	Institute string          `json:"institute,omitempty"`
	Role      *article23.Role `json:"role,omitempty"`
	Name      *string         `json:"name,omitempty"`
	Email     *string         `json:"email,omitempty"`
	Active    *bool           `json:"active,omitempty"`
}

// SettingsRequest is the body of PUT /institutes/{code}/settings: the whole settings, and
// the version they replace.
type SettingsRequest struct {
	Version  *int              `json:"version"`
	Policy   *article23.Policy `json:"policy"`
	Contacts *ContactsRequest  `json:"contacts"`
}

// ContactsRequest are each audience's contact points as an admin sends them.
type ContactsRequest struct {
	Secretary   PointsRequest `json:"secretary"`
	Supervisors PointsRequest `json:"supervisors"`
}

// PointsRequest are one audience's shared e-mail addresses and webhooks.
type PointsRequest struct {
	Emails   []string         `json:"emails"`
	Webhooks []WebhookRequest `json:"webhooks"`
}

// WebhookRequest is a webhook's address and secret; without a secret, a webhook keeps the
// secret saved for its address.
type WebhookRequest struct {
	URL    string `json:"url"`
	Secret string `json:"secret,omitempty"`
}
