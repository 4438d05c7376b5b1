package store

import (
	"context"
	"fmt"
	"net/mail"

	"gorm.io/gorm/clause"
)

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
