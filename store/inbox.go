package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// InboxItem is one notification in a user's in-app list, as the console shows it.
type InboxItem struct {
	ID         int64      `json:"id"`
	UserID     string     `json:"user_id"`
	DedupKey   string     `json:"-"`
	CaseNumber string     `json:"case_number"`
	Kind       string     `json:"kind"`
	Text       string     `json:"text"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at,omitempty"`
}

type inboxRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     string
	DedupKey   string
	CaseNumber string
	Kind       string
	Text       string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	ReadAt     *time.Time
}

func (inboxRow) TableName() string { return "inbox_items" }

func (r inboxRow) toItem() InboxItem {
	return InboxItem{ID: r.ID, UserID: r.UserID, DedupKey: r.DedupKey, CaseNumber: r.CaseNumber, Kind: r.Kind,
		Text: r.Text, CreatedAt: r.CreatedAt.UTC(), ReadAt: utcPtr(r.ReadAt)}
}

// AddInboxItem puts it in its user's list. An item whose (user, dedup key) is there already is
// skipped, so a retried delivery never shows twice.
func (s *Store) AddInboxItem(ctx context.Context, it InboxItem) error {
	if it.UserID == "" || it.DedupKey == "" {
		return fmt.Errorf("add inbox item: user id and dedup key are required")
	}
	row := inboxRow{UserID: it.UserID, DedupKey: it.DedupKey, CaseNumber: it.CaseNumber, Kind: it.Kind,
		Text: it.Text, CreatedAt: it.CreatedAt.UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "user_id"}, {Name: "dedup_key"}}, DoNothing: true}).Create(&row).Error
	return wrap("add inbox item", err)
}

// InboxFor returns the user's items, newest first (at most 200: the console pages no further).
func (s *Store) InboxFor(ctx context.Context, userID string) ([]InboxItem, error) {
	var rows []inboxRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Limit(200).Find(&rows).Error
	if err != nil {
		return nil, wrap("inbox "+userID, err)
	}
	out := make([]InboxItem, len(rows))
	for i, r := range rows {
		out[i] = r.toItem()
	}
	return out, nil
}

// MarkRead marks the user's item read at at; an item of another user is ErrNotFound, and
// marking again keeps the first reading time.
func (s *Store) MarkRead(ctx context.Context, userID string, id int64, at time.Time) error {
	db := s.db.WithContext(ctx)
	var n int64
	if err := db.Model(&inboxRow{}).Where("id = ? AND user_id = ?", id, userID).Count(&n).Error; err != nil {
		return wrap("mark read", err)
	}
	if n == 0 {
		return fmt.Errorf("mark read: inbox item %d of %s: %w", id, userID, ErrNotFound)
	}
	err := db.Model(&inboxRow{}).Where("id = ? AND user_id = ? AND read_at IS NULL", id, userID).Update("read_at", at.UTC()).Error
	return wrap("mark read", err)
}
