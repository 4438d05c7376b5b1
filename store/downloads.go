package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Download is one member of staff taking one of a case's files: an uploaded attachment
// (FileKind "attachment") or an issued letter ("document").
type Download struct {
	CaseNumber string          `json:"case_number"`
	At         time.Time       `json:"at"`
	Actor      article23.Actor `json:"actor"`
	FileKind   string          `json:"file_kind"`
	FileID     string          `json:"file_id"`
	FileName   string          `json:"file_name"`
}

type downloadRow struct {
	ID         string `gorm:"primaryKey"`
	CaseNumber string
	At         time.Time `gorm:"autoCreateTime:false"`
	ActorID    string
	ActorName  string
	ActorRole  string
	FileKind   string
	FileID     string
	FileName   string
}

func (downloadRow) TableName() string { return "downloads" }

// AddDownload records d; d.At zero is now.
func (s *Store) AddDownload(ctx context.Context, d Download) error {
	if d.CaseNumber == "" || d.FileID == "" || d.Actor.ID == "" {
		return fmt.Errorf("add download: case number, file and actor are required")
	}
	if d.At.IsZero() {
		d.At = s.now()
	}
	row := downloadRow{ID: downloadID(d.At), CaseNumber: d.CaseNumber, At: d.At.UTC(), ActorID: d.Actor.ID,
		ActorName: d.Actor.Name, ActorRole: string(d.Actor.Role), FileKind: d.FileKind, FileID: d.FileID, FileName: d.FileName}
	return wrap("add download", s.db.WithContext(ctx).Create(&row).Error)
}

// downloadSeq numbers this process's downloads, so two taken at the same instant keep their order.
var downloadSeq atomic.Uint64

// downloadID is a download's key, which sorts as the downloads were taken: the instant in
// nanoseconds, then this process's count, then random bits against another process's download
// of the same nanosecond (fixed-width hex, so text order is number order).
func downloadID(at time.Time) string {
	r := make([]byte, 4)
	_, _ = rand.Read(r) // never fails (crypto/rand)
	return fmt.Sprintf("%016x%016x%s", uint64(at.UnixNano()), downloadSeq.Add(1), hex.EncodeToString(r))
}

// Downloads returns the case's downloads, oldest first, in the order they were taken.
func (s *Store) Downloads(ctx context.Context, number string) ([]Download, error) {
	var rows []downloadRow
	if err := s.db.WithContext(ctx).Where("case_number = ?", number).Order("at, id").Find(&rows).Error; err != nil {
		return nil, wrap("downloads "+number, err)
	}
	out := make([]Download, len(rows))
	for i, r := range rows {
		out[i] = Download{CaseNumber: r.CaseNumber, At: r.At.UTC(), FileKind: r.FileKind, FileID: r.FileID, FileName: r.FileName,
			Actor: article23.Actor{ID: r.ActorID, Name: r.ActorName, Role: article23.Role(r.ActorRole)}}
	}
	return out, nil
}
