package web

import (
	"time"

	"github.com/cicpa/weiquan/article23"
)

// The API's staff directory and institute settings, as far as the pages read them (see
// api/staff.go and api/settings.go).

// staffDoc is a person of the staff directory; Email and LastSeenAt only reach admins.
type staffDoc struct {
	ID         string         `json:"id"`
	Institute  string         `json:"institute"`
	Role       article23.Role `json:"role"`
	Name       string         `json:"name"`
	Email      string         `json:"email"`
	Active     bool           `json:"active"`
	CreatedAt  time.Time      `json:"created_at"`
	LastSeenAt *time.Time     `json:"last_seen_at"`
}

type staffListDoc struct {
	Staff []staffDoc `json:"staff"`
}

// settingsDoc is an institute's settings at a version (0: the defaults, never saved).
type settingsDoc struct {
	Institute string           `json:"institute"`
	Version   int              `json:"version"`
	Policy    article23.Policy `json:"policy"`
	Contacts  struct {
		Secretary   pointsDoc `json:"secretary"`
		Supervisors pointsDoc `json:"supervisors"`
	} `json:"contacts"`
	ChangedBy *personDoc `json:"changed_by"`
	ChangedAt *time.Time `json:"changed_at"`
}

// pointsDoc are one audience's shared e-mail addresses and webhooks; a webhook's secret is
// never shown, only whether one is set.
type pointsDoc struct {
	Emails   []string `json:"emails"`
	Webhooks []struct {
		URL       string `json:"url"`
		SecretSet bool   `json:"secret_set"`
	} `json:"webhooks"`
}

type settingsHistoryDoc struct {
	Versions []settingsDoc `json:"versions"`
}
