package wire

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Staff is a person of the staff directory; Email and LastSeenAt reach only those who
// manage the institute's staff.
type Staff struct {
	ID         string         `json:"id"`
	Institute  string         `json:"institute"`
	Role       article23.Role `json:"role"`
	Name       string         `json:"name"`
	Email      string         `json:"email,omitempty"`
	Active     bool           `json:"active"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	LastSeenAt *time.Time     `json:"last_seen_at,omitempty"`
}

// StaffList is GET /staff.
type StaffList struct {
	Staff []Staff `json:"staff"`
}

// Settings are an institute's settings as the API shows them: webhook secrets are never
// shown, only whether one is set.
type Settings struct {
	Institute string           `json:"institute"`
	Version   int              `json:"version"` // 0: the defaults, never saved
	Policy    article23.Policy `json:"policy"`
	Contacts  Contacts         `json:"contacts"`
	ChangedBy *Person          `json:"changed_by"`
	ChangedAt *time.Time       `json:"changed_at"`
	// AppliesTo says which cases the policy governs: "new_cases" (those received from
	// changed_at on); running cases keep the policy they were received under.
	AppliesTo string `json:"applies_to"`
}

// Contacts are the contact points of each audience.
type Contacts struct {
	Secretary   Points `json:"secretary"`
	Supervisors Points `json:"supervisors"`
}

// Points are one audience's shared e-mail addresses and webhooks.
type Points struct {
	Emails   []string  `json:"emails"`
	Webhooks []Webhook `json:"webhooks"`
}

// Webhook is a webhook's address and whether it has a secret.
type Webhook struct {
	URL       string `json:"url"`
	SecretSet bool   `json:"secret_set"`
}

// SettingsHistory is every saved version of an institute's settings, newest first.
type SettingsHistory struct {
	Versions []Settings `json:"versions"`
}
