package store

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"

	"gorm.io/gorm/clause"
)

// Contact roles at an institute.
const (
	ContactSecretary  = "secretary"
	ContactSupervisor = "supervisor"
)

// Contact is a person of an institute who receives notifications, and where: the in-app inbox
// of UserID always, plus e-mail and a webhook when set.
type Contact struct {
	Institute     string `json:"institute"`
	Role          string `json:"role"` // ContactSecretary or ContactSupervisor
	UserID        string `json:"user_id"`
	Name          string `json:"name"`
	Email         string `json:"email,omitempty"`
	WebhookURL    string `json:"webhook_url,omitempty"`
	WebhookSecret string `json:"-"` // HMAC-SHA256 key of the webhook's X-Weiquan-Signature
}

type contactRow struct {
	Institute     string `gorm:"primaryKey"`
	Role          string `gorm:"primaryKey"`
	UserID        string `gorm:"primaryKey"`
	Name          string
	Email         string
	WebhookURL    string
	WebhookSecret string
}

func (contactRow) TableName() string { return "institute_contacts" }

// MemberContact is where a member is told about their case.
type MemberContact struct {
	MemberNo string `json:"member_no"`
	UserID   string `json:"user_id"` // the member's login subject: their in-app inbox
	Email    string `json:"email,omitempty"`
}

type memberContactRow struct {
	MemberNo string `gorm:"primaryKey"`
	UserID   string
	Email    string
}

func (memberContactRow) TableName() string { return "member_contacts" }

// Validate reports what makes c unusable.
func (c Contact) Validate() error {
	switch {
	case c.Role != ContactSecretary && c.Role != ContactSupervisor:
		return fmt.Errorf("role must be %s or %s, got %q", ContactSecretary, ContactSupervisor, c.Role)
	case c.UserID == "":
		return fmt.Errorf("user_id is empty")
	case c.WebhookURL != "" && c.WebhookSecret == "":
		return fmt.Errorf("a webhook needs a secret to sign with")
	}
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil {
			return fmt.Errorf("email %q: %w", c.Email, err)
		}
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("webhook_url must be an http(s) URL, got %q", c.WebhookURL)
		}
	}
	return nil
}

// SetContact creates or replaces the contact (institute, role, user id).
func (s *Store) SetContact(ctx context.Context, c Contact) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("set contact: %w", err)
	}
	if _, err := s.Institute(ctx, c.Institute); err != nil {
		return fmt.Errorf("set contact: %w", err)
	}
	row := contactRow(c)
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	return wrap("set contact", err)
}

// DeleteContact removes a contact; removing one that does not exist is ErrNotFound.
func (s *Store) DeleteContact(ctx context.Context, institute, role, userID string) error {
	res := s.db.WithContext(ctx).Where("institute = ? AND role = ? AND user_id = ?", institute, role, userID).Delete(&contactRow{})
	if res.Error != nil {
		return wrap("delete contact", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("delete contact %s/%s/%s: %w", institute, role, userID, ErrNotFound)
	}
	return nil
}

// Contacts returns the institute's contacts with role ("" for every role), by role and user id.
func (s *Store) Contacts(ctx context.Context, institute, role string) ([]Contact, error) {
	q := s.db.WithContext(ctx).Where("institute = ?", institute)
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var rows []contactRow
	if err := q.Order("role, user_id").Find(&rows).Error; err != nil {
		return nil, wrap("contacts "+institute, err)
	}
	out := make([]Contact, len(rows))
	for i, r := range rows {
		out[i] = Contact(r)
	}
	return out, nil
}

// SetMemberContact creates or replaces where member m.MemberNo is told about their cases.
func (s *Store) SetMemberContact(ctx context.Context, m MemberContact) error {
	if m.MemberNo == "" {
		return fmt.Errorf("set member contact: member_no is empty")
	}
	if m.Email != "" {
		if _, err := mail.ParseAddress(m.Email); err != nil {
			return fmt.Errorf("set member contact: email %q: %w", m.Email, err)
		}
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(ptr(memberContactRow(m))).Error
	return wrap("set member contact", err)
}

// MemberContactFor returns the member's contact, or ErrNotFound when none was set.
func (s *Store) MemberContactFor(ctx context.Context, memberNo string) (MemberContact, error) {
	var row memberContactRow
	if err := s.db.WithContext(ctx).Where("member_no = ?", memberNo).Take(&row).Error; err != nil {
		return MemberContact{}, wrap("member contact "+memberNo, err)
	}
	return MemberContact(row), nil
}
