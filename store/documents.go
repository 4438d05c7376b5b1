package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Document is a letter the institute issued for a case (受理通知书, 不予受理通知书, 延期通知书,
// 反馈意见书). The PDF lives in blob storage at Location, named by its SHA-256; the row says
// which event and template produced it and when it was served.
type Document struct {
	CaseNumber string    `json:"case_number"`
	ID         string    `json:"id"`   // "<kind>-<event seq>", so issuing twice finds the first
	Kind       string    `json:"kind"` // acceptance, non_acceptance, extension, feedback
	EventSeq   int64     `json:"event_seq"`
	Template   string    `json:"template"` // e.g. "BJ/acceptance.v2" or "default/acceptance.v1"
	Layout     int       `json:"layout"`   // the renderer's page layout (letter.LayoutV1, …); 0 is taken as 1
	Name       string    `json:"name"`     // file name offered on download
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	Location   string    `json:"location"`            // relative to the blob directory
	IssuedOn   string    `json:"issued_on,omitempty"` // "YYYY-MM-DD" the letter is dated: the day of its act
	ServedOn   string    `json:"served_on,omitempty"` // "YYYY-MM-DD" the member was served; "" not yet
	CreatedAt  time.Time `json:"created_at"`
}

type documentRow struct {
	CaseNumber string `gorm:"primaryKey"`
	ID         string `gorm:"primaryKey"`
	Kind       string
	EventSeq   int64
	Template   string
	Layout     int
	Name       string
	MediaType  string
	Size       int64
	SHA256     string `gorm:"column:sha256"`
	Location   string
	IssuedOn   string
	ServedOn   string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
}

func (documentRow) TableName() string { return "documents" }

func (r documentRow) toDocument() Document {
	return Document{CaseNumber: r.CaseNumber, ID: r.ID, Kind: r.Kind, EventSeq: r.EventSeq, Template: r.Template, Layout: r.Layout,
		Name: r.Name, MediaType: r.MediaType, Size: r.Size, SHA256: r.SHA256, Location: r.Location,
		IssuedOn: r.IssuedOn, ServedOn: r.ServedOn, CreatedAt: r.CreatedAt.UTC()}
}

// AddDocument records d and returns the document as stored: when (case, id) exists already
// (a retried or concurrent issue) the first one wins and is returned unchanged.
func (s *Store) AddDocument(ctx context.Context, d Document) (Document, error) {
	if d.CaseNumber == "" || d.ID == "" || d.SHA256 == "" {
		return Document{}, fmt.Errorf("add document: case number, id and sha256 are required")
	}
	row := documentRow{CaseNumber: d.CaseNumber, ID: d.ID, Kind: d.Kind, EventSeq: d.EventSeq, Template: d.Template, Layout: max(d.Layout, 1),
		Name: d.Name, MediaType: d.MediaType, Size: d.Size, SHA256: d.SHA256, Location: d.Location,
		IssuedOn: d.IssuedOn, ServedOn: d.ServedOn, CreatedAt: d.CreatedAt.UTC()}
	// Insert-or-nothing, then read what is there: two issuers of the same letter (the recorder
	// at the act and a dispatcher, or one activity retried on two workers) both see no row
	// before either commits, so a read first and an insert after lets the second fail on the
	// key. Here the second waits for the first's commit and returns its row.
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "case_number"}, {Name: "id"}}, DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		var first documentRow
		if err := tx.Where("case_number = ? AND id = ?", d.CaseNumber, d.ID).Take(&first).Error; err != nil {
			return err
		}
		row = first
		return nil
	})
	if err != nil {
		return Document{}, wrap("add document", err)
	}
	return row.toDocument(), nil
}

// Documents returns the case's documents in the order they were issued.
func (s *Store) Documents(ctx context.Context, caseNumber string) ([]Document, error) {
	var rows []documentRow
	err := s.db.WithContext(ctx).Where("case_number = ?", caseNumber).Order("event_seq, id").Find(&rows).Error
	if err != nil {
		return nil, wrap("documents", err)
	}
	out := make([]Document, len(rows))
	for i, r := range rows {
		out[i] = r.toDocument()
	}
	return out, nil
}

// Document returns one document of a case, or ErrNotFound.
func (s *Store) Document(ctx context.Context, caseNumber, id string) (Document, error) {
	var row documentRow
	if err := s.db.WithContext(ctx).Where("case_number = ? AND id = ?", caseNumber, id).Take(&row).Error; err != nil {
		return Document{}, wrap("document "+caseNumber+"/"+id, err)
	}
	return row.toDocument(), nil
}

// MarkDocumentServed records the date ("YYYY-MM-DD") the member was served the document. A
// date already recorded is kept: the first service is the one the deadlines care about.
func (s *Store) MarkDocumentServed(ctx context.Context, caseNumber, id, on string) error {
	if _, err := s.Document(ctx, caseNumber, id); err != nil {
		return fmt.Errorf("mark served: %w", err)
	}
	err := s.db.WithContext(ctx).Model(&documentRow{}).
		Where("case_number = ? AND id = ? AND served_on = ''", caseNumber, id).Update("served_on", on).Error
	return wrap("mark served "+caseNumber+"/"+id, err)
}
