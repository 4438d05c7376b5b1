package article23

// Stage is where a case stands in the Article 23 lifecycle.
type Stage string

// The stages of a case, in lifecycle order.
const (
	StageReceived           Stage = "received"
	StageAwaitingSupplement Stage = "awaiting_supplement"
	StageAccepted           Stage = "accepted"
	StageNotAccepted        Stage = "not_accepted"
	StageCommitteeHeld      Stage = "committee_held"
	StageFeedbackGiven      Stage = "feedback_given"
	StageClosed             Stage = "closed"
	StageWithdrawn          Stage = "withdrawn"
)

// Stages lists every stage in lifecycle order.
var Stages = []Stage{
	StageReceived, StageAwaitingSupplement, StageAccepted, StageNotAccepted,
	StageCommitteeHeld, StageFeedbackGiven, StageClosed, StageWithdrawn,
}

// Valid reports whether s is one of the known stages.
func (s Stage) Valid() bool {
	for _, k := range Stages {
		if s == k {
			return true
		}
	}
	return false
}

// Open reports whether a case in stage s still awaits action by the institute or member.
// A case not accepted is finished for the institute: the member has been told the reasons.
func (s Stage) Open() bool {
	switch s {
	case StageReceived, StageAwaitingSupplement, StageAccepted, StageCommitteeHeld:
		return true
	}
	return false
}

// ClockName names one of the four Article 23 deadlines.
type ClockName string

// The Article 23 clocks.
const (
	ClockDecision  ClockName = "decision"  // accept or not, 15 working days from receipt
	ClockCommittee ClockName = "committee" // committee meeting and expert opinion, 30 working days
	ClockFeedback  ClockName = "feedback"  // feedback to the member, 60 working days, extendable
	ClockCap       ClockName = "cap"       // the absolute limit of any extension, 90 working days
)

// ClockNames lists the clocks in the order a case meets them.
var ClockNames = []ClockName{ClockDecision, ClockCommittee, ClockFeedback, ClockCap}

// Valid reports whether n is one of the four clocks.
func (n ClockName) Valid() bool {
	for _, k := range ClockNames {
		if n == k {
			return true
		}
	}
	return false
}

// ClockState is the state of one deadline.
type ClockState string

// Clock states. A breached clock stays breached even if the act is done later.
const (
	ClockRunning   ClockState = "running"
	ClockMet       ClockState = "met"
	ClockBreached  ClockState = "breached"
	ClockCancelled ClockState = "cancelled"
)

// Role is what a person may do in the system.
type Role string

// The roles.
const (
	RoleMember     Role = "member"
	RoleSecretary  Role = "secretary"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
	RoleSystem     Role = "system" // timers, calendar reloads: no person acted
)

// Valid reports whether r is a role a person can hold (system is not one).
func (r Role) Valid() bool {
	switch r {
	case RoleMember, RoleSecretary, RoleSupervisor, RoleAdmin:
		return true
	}
	return false
}

// NationalInstitute is the code of CICPA itself; its supervisors see every institute.
const NationalInstitute = "CICPA"

// Actor is who did something: a person with a role at an institute, or the system.
type Actor struct {
	ID        string `json:"id"`
	Role      Role   `json:"role"`
	Institute string `json:"institute,omitempty"`
	MemberNo  string `json:"member_no,omitempty"`
	Name      string `json:"name,omitempty"`
}

// SystemActor is the actor of timer-driven and operator-driven events.
var SystemActor = Actor{ID: "system", Role: RoleSystem}

// MemberKind is the kind of member (Art. 6–7).
type MemberKind string

// Member kinds.
const (
	MemberFirm          MemberKind = "firm"
	MemberPractising    MemberKind = "practising"
	MemberNonPractising MemberKind = "non_practising"
)

// Valid reports whether k is a known member kind.
func (k MemberKind) Valid() bool {
	return k == MemberFirm || k == MemberPractising || k == MemberNonPractising
}

// FeedbackManner is how the member was given feedback ("以适当方式").
type FeedbackManner string

// Feedback manners.
const (
	MannerLetter  FeedbackManner = "letter"
	MannerMeeting FeedbackManner = "meeting"
	MannerPhone   FeedbackManner = "phone"
	MannerEmail   FeedbackManner = "email"
)

// Valid reports whether m is a known manner.
func (m FeedbackManner) Valid() bool {
	return m == MannerLetter || m == MannerMeeting || m == MannerPhone || m == MannerEmail
}
