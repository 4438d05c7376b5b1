package store

import (
	"context"
	"errors"
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

// ErrAttachmentsFull is returned when attachments would take a case past its cap.
var ErrAttachmentsFull = errors.New("the case's attachments would exceed their cap")

// AddAttachment records a (AddAttachments with no cap).
func (s *Store) AddAttachment(ctx context.Context, a Attachment) error {
	return s.AddAttachments(ctx, []Attachment{a}, 0)
}

// AddAttachments records the attachments of one case, all or none, in one transaction that
// holds the case's attachment lock (PostgreSQL: an advisory lock on the case number; SQLite:
// the write lock), so parallel uploads cannot pass capBytes (0: no cap) together: with the
// new ones the case's total must stay within it, or ErrAttachmentsFull and nothing is added.
// Adding a (case, id) that is there with the same SHA-256 is a no-op, so an upload can be
// retried; with different content it is ErrIdempotencyConflict.
func (s *Store) AddAttachments(ctx context.Context, atts []Attachment, capBytes int64) error {
	if len(atts) == 0 {
		return nil
	}
	number := atts[0].CaseNumber
	for _, a := range atts {
		if a.CaseNumber != number || a.ID == "" || a.SHA256 == "" {
			return fmt.Errorf("add attachments: one case, and an id and sha256 for each")
		}
	}
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		if s.dialect == DialectPostgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "attachments "+number).Error; err != nil {
				return err
			}
		}
		var have []attachmentRow
		if err := tx.Select("id", "sha256", "size").Where("case_number = ?", number).Find(&have).Error; err != nil {
			return err
		}
		fresh, total, err := newAttachments(atts, have)
		if err != nil {
			return err
		}
		if capBytes > 0 && total > capBytes {
			return fmt.Errorf("case %s: %d bytes with these: %w", number, total, ErrAttachmentsFull)
		}
		for _, row := range fresh {
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("add attachments", err)
}

// newAttachments are the rows of atts not yet in have, and the case's total with them.
func newAttachments(atts []Attachment, have []attachmentRow) ([]attachmentRow, int64, error) {
	seen := map[string]string{}
	var total int64
	for _, r := range have {
		seen[r.ID] = r.SHA256
		total += r.Size
	}
	var fresh []attachmentRow
	for _, a := range atts {
		if sum, ok := seen[a.ID]; ok {
			if sum != a.SHA256 {
				return nil, 0, fmt.Errorf("attachment %s/%s exists with other content: %w", a.CaseNumber, a.ID, ErrIdempotencyConflict)
			}
			continue
		}
		seen[a.ID] = a.SHA256
		total += a.Size
		fresh = append(fresh, attachmentRow{CaseNumber: a.CaseNumber, ID: a.ID, Name: a.Name, Size: a.Size, MediaType: a.MediaType,
			SHA256: a.SHA256, Location: a.Location, UploadedBy: toJSON(a.UploadedBy), UploadedAt: a.UploadedAt.UTC()})
	}
	return fresh, total, nil
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
