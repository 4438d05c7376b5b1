package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// ErrStale is returned when a change is made against a version that is no longer current.
var ErrStale = errors.New("changed by someone else since it was read")

// Webhook is an HTTPS endpoint that receives an audience's messages, signed with Secret
// (HMAC-SHA256 in X-Weiquan-Signature).
type Webhook struct {
	URL    string `json:"url"`
	Secret string `json:"secret,omitempty"`
}

// ContactPoints are where an audience is reached besides each person's own inbox and e-mail:
// shared mailboxes and webhooks (a ticket system, a chat room).
type ContactPoints struct {
	Emails   []string  `json:"emails"`
	Webhooks []Webhook `json:"webhooks"`
}

// InstituteContacts are an institute's contact points per audience: the case's secretary
// (every message about the work of a case) and its supervisors (breaches, escalations,
// extension requests). CICPA's supervisors' points serve the national escalations.
type InstituteContacts struct {
	Secretary   ContactPoints `json:"secretary"`
	Supervisors ContactPoints `json:"supervisors"`
}

// For returns the points of audience a (none for the member).
func (c InstituteContacts) For(a article23.Audience) ContactPoints {
	switch a {
	case article23.AudienceSecretary:
		return c.Secretary
	case article23.AudienceSupervisors, article23.AudienceNationalSupervisors:
		return c.Supervisors
	}
	return ContactPoints{}
}

// Settings are an institute's policy (pinned into each case at intake: a change applies to
// new cases only) and contact points, at a version. Version 0 is the defaults, never saved.
type Settings struct {
	Institute string            `json:"institute"`
	Version   int               `json:"version"`
	Policy    article23.Policy  `json:"policy"`
	Contacts  InstituteContacts `json:"contacts"`
	ChangedBy string            `json:"changed_by,omitempty"`
	ChangedAt *time.Time        `json:"changed_at,omitempty"`
}

type settingsRow struct {
	Institute string `gorm:"primaryKey"`
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Policy    string
	Contacts  string
	ChangedBy string
	ChangedAt time.Time `gorm:"autoCreateTime:false"`
}

func (settingsRow) TableName() string { return "institute_settings" }

func (r settingsRow) toSettings() (Settings, error) {
	at := r.ChangedAt.UTC()
	out := Settings{Institute: r.Institute, Version: r.Version, ChangedBy: r.ChangedBy, ChangedAt: &at}
	if err := json.Unmarshal([]byte(r.Policy), &out.Policy); err != nil {
		return Settings{}, fmt.Errorf("settings %s v%d: stored policy: %w", r.Institute, r.Version, err)
	}
	if err := json.Unmarshal([]byte(r.Contacts), &out.Contacts); err != nil {
		return Settings{}, fmt.Errorf("settings %s v%d: stored contacts: %w", r.Institute, r.Version, err)
	}
	return out, nil
}

// Settings returns the institute's settings in force: the newest version, or the defaults
// (version 0) when none was saved; an unknown institute is ErrNotFound.
func (s *Store) Settings(ctx context.Context, code string) (Settings, error) {
	if _, err := s.Institute(ctx, code); err != nil {
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	var rows []settingsRow
	err := s.db.WithContext(ctx).Where("institute = ?", code).Order("version DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return Settings{}, wrap("settings "+code, err)
	}
	if len(rows) == 0 {
		return Settings{Institute: code, Policy: article23.DefaultPolicy()}, nil
	}
	return rows[0].toSettings()
}

// SaveSettings makes next the institute's settings, as version next.Version+1: next.Version
// must be the version in force (ErrStale otherwise), so two admins editing at once cannot
// overwrite each other unseen. by is who changed them; every version stays as the audit trail.
func (s *Store) SaveSettings(ctx context.Context, next Settings, by string) (Settings, error) {
	if err := next.Policy.Validate(); err != nil {
		return Settings{}, fmt.Errorf("save settings %s: %w", next.Institute, err)
	}
	cur, err := s.Settings(ctx, next.Institute)
	if err != nil {
		return Settings{}, err
	}
	if cur.Version != next.Version {
		return Settings{}, fmt.Errorf("save settings %s: version %d is not the current %d: %w", next.Institute, next.Version, cur.Version, ErrStale)
	}
	row := settingsRow{Institute: next.Institute, Version: next.Version + 1, Policy: toJSON(next.Policy),
		Contacts: toJSON(next.Contacts), ChangedBy: by, ChangedAt: s.now()}
	err = s.transaction(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error })
	if isDuplicate(err) {
		return Settings{}, fmt.Errorf("save settings %s: version %d was saved meanwhile: %w", next.Institute, row.Version, ErrStale)
	}
	if err != nil {
		return Settings{}, wrap("save settings "+next.Institute, err)
	}
	return row.toSettings()
}

// SettingsHistory returns the institute's saved versions, newest first (at most limit).
func (s *Store) SettingsHistory(ctx context.Context, code string, limit int) ([]Settings, error) {
	var rows []settingsRow
	err := s.db.WithContext(ctx).Where("institute = ?", code).Order("version DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, wrap("settings history "+code, err)
	}
	out := make([]Settings, 0, len(rows))
	for _, r := range rows {
		st, err := r.toSettings()
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}
