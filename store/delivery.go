package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Receipt records that one outbox message reached one recipient on one channel, so a retry
// after a partial failure or a crash re-sends only what has not arrived.
type Receipt struct {
	DedupKey    string // the outbox message's key
	Recipient   string // the recipient's id
	Channel     string // "email", "webhook", "inapp"
	DeliveredAt time.Time
}

type receiptRow struct {
	DedupKey    string `gorm:"primaryKey"`
	Recipient   string `gorm:"primaryKey"`
	Channel     string `gorm:"primaryKey"`
	DeliveredAt time.Time
}

func (receiptRow) TableName() string { return "delivery_receipts" }

// AddReceipt records r; recording the same receipt twice is a no-op.
func (s *Store) AddReceipt(ctx context.Context, r Receipt) error {
	row := receiptRow{DedupKey: r.DedupKey, Recipient: r.Recipient, Channel: r.Channel, DeliveredAt: r.DeliveredAt.UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return wrap("add receipt", err)
}

// Receipts returns the receipts of the outbox message with key, by recipient and channel.
func (s *Store) Receipts(ctx context.Context, dedupKey string) ([]Receipt, error) {
	var rows []receiptRow
	if err := s.db.WithContext(ctx).Where("dedup_key = ?", dedupKey).Order("recipient, channel").Find(&rows).Error; err != nil {
		return nil, wrap("receipts", err)
	}
	out := make([]Receipt, len(rows))
	for i, r := range rows {
		out[i] = Receipt{DedupKey: r.DedupKey, Recipient: r.Recipient, Channel: r.Channel, DeliveredAt: r.DeliveredAt.UTC()}
	}
	return out, nil
}

// Defer puts a claimed message back to wait until until without counting the claim as an
// attempt: a reminder held back to working hours has not failed.
func (s *Store) Defer(ctx context.Context, id int64, until time.Time) error {
	res := s.db.WithContext(ctx).Model(&outboxRow{}).Where("id = ? AND state = ?", id, OutboxPending).
		Updates(map[string]any{
			"next_attempt_at": until.UTC(),
			"attempts":        gorm.Expr("CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"),
		})
	if res.Error != nil {
		return wrap("defer", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("defer: pending outbox message %d: %w", id, ErrNotFound)
	}
	return nil
}
