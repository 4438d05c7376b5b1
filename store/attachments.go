package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/cicpa/weiquan/article23"
)

// Attachment is a file a member or secretary attached to a case; the bytes live in blob
// storage at Location, the row only describes them.
type Attachment struct {
	CaseNumber string          `json:"case_number"`
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Size       int64           `json:"size"`
	MediaType  string          `json:"media_type"`
	SHA256     string          `json:"sha256"`
	Location   string          `json:"location"`
	UploadedBy article23.Actor `json:"uploaded_by"`
	UploadedAt time.Time       `json:"uploaded_at"`
}

type attachmentRow struct {
	CaseNumber string `gorm:"primaryKey"`
	ID         string `gorm:"primaryKey"`
	Name       string
	Size       int64
	MediaType  string
	SHA256     string `gorm:"column:sha256"`
	Location   string
	UploadedBy string
	UploadedAt time.Time
}

func (attachmentRow) TableName() string { return "attachments" }

func (r attachmentRow) toAttachment() Attachment {
	a := Attachment{CaseNumber: r.CaseNumber, ID: r.ID, Name: r.Name, Size: r.Size, MediaType: r.MediaType,
		SHA256: r.SHA256, Location: r.Location, UploadedAt: r.UploadedAt.UTC()}
	fromJSON(r.UploadedBy, &a.UploadedBy)
	return a
}

// AddAttachment records a. Adding the same (case, id) again with the same SHA-256 is a no-op,
// so an upload can be retried; with different content it is ErrIdempotencyConflict.
func (s *Store) AddAttachment(ctx context.Context, a Attachment) error {
	if a.CaseNumber == "" || a.ID == "" || a.SHA256 == "" {
		return fmt.Errorf("add attachment: case number, id and sha256 are required")
	}
	row := attachmentRow{CaseNumber: a.CaseNumber, ID: a.ID, Name: a.Name, Size: a.Size, MediaType: a.MediaType,
		SHA256: a.SHA256, Location: a.Location, UploadedBy: toJSON(a.UploadedBy), UploadedAt: a.UploadedAt.UTC()}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var seen []attachmentRow
		if err := tx.Where("case_number = ? AND id = ?", a.CaseNumber, a.ID).Find(&seen).Error; err != nil {
			return err
		}
		if len(seen) == 0 {
			return tx.Create(&row).Error
		}
		if seen[0].SHA256 != a.SHA256 {
			return fmt.Errorf("attachment %s/%s exists with other content: %w", a.CaseNumber, a.ID, ErrIdempotencyConflict)
		}
		return nil
	})
	return wrap("add attachment", err)
}

// Attachments returns the case's attachments in upload order.
func (s *Store) Attachments(ctx context.Context, caseNumber string) ([]Attachment, error) {
	var rows []attachmentRow
	err := s.db.WithContext(ctx).Where("case_number = ?", caseNumber).Order("uploaded_at, id").Find(&rows).Error
	if err != nil {
		return nil, wrap("attachments", err)
	}
	out := make([]Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.toAttachment()
	}
	return out, nil
}
