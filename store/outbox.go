package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// Outbox states.
const (
	OutboxPending   = "pending"
	OutboxDelivered = "delivered"
	OutboxDead      = "dead"
)

// DefaultClaimLease is how long a claimed message is hidden from other deliverers unless the
// dispatcher says otherwise (WEIQUAN_OUTBOX_LEASE); one not marked delivered or failed within
// it (its deliverer died) is claimed again.
const DefaultClaimLease = 5 * time.Minute

// OutboxMessage is one notification to deliver, with what the deliverer needs to resolve its
// recipients and render it.
type OutboxMessage struct {
	ID            int64
	Key           string
	CaseNumber    string
	EventSeq      int64
	Audience      article23.Audience
	Kind          string
	Urgent        bool
	NotAfter      *time.Time
	Payload       json.RawMessage // OutboxPayload as JSON
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	DeliveredAt   *time.Time
}

// OutboxPayload is the JSON stored with each message: the notification, the event that caused
// it and the parts of the case that decide who receives it.
type OutboxPayload struct {
	Notification article23.Notification `json:"notification"`
	Event        OutboxEvent            `json:"event"`
	Case         OutboxCase             `json:"case"`
}

// OutboxEvent is the causing event, without its data.
type OutboxEvent struct {
	Seq   int64               `json:"seq"`
	Type  article23.EventType `json:"type"`
	At    time.Time           `json:"at"`
	Actor article23.Actor     `json:"actor"`
}

// OutboxCase is the case as the recipients are resolved from it.
type OutboxCase struct {
	Number    string              `json:"number"`
	Institute string              `json:"institute"`
	Stage     article23.Stage     `json:"stage"`
	Secretary string              `json:"secretary,omitempty"`
	Applicant article23.Applicant `json:"applicant"`
}

type outboxRow struct {
	ID            int64 `gorm:"primaryKey"`
	DedupKey      string
	CaseNumber    string
	EventSeq      int64
	Audience      string
	Kind          string
	Urgent        bool
	NotAfter      *time.Time
	Payload       string
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	DeliveredAt   *time.Time
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
}

func (outboxRow) TableName() string { return "outbox" }

// enqueue inserts r's notifications; a key already in the outbox is skipped, so a
// notification is queued at most once however often it is produced. When r supersedes an
// event (superseding), a key the superseded event's notification kept (it was claimed by a
// dispatcher, sent, or dead) is taken as that message when its kind is the same, and
// suffixed with r's task otherwise, so the new message is delivered as one of its own.
func enqueue(tx *gorm.DB, r article23.Record, superseding bool) error {
	c := r.Case
	for _, n := range r.Notifications {
		if superseding {
			// the superseded event of this seq may have sent a notification under this key: of
			// the same kind, it told the same thing, and is not sent again; of another kind, the
			// receipts (and receivers) would take this one for it, so it gets a key of its own
			var taken []string
			if err := tx.Model(&outboxRow{}).Where("dedup_key = ?", n.Key).Pluck("kind", &taken).Error; err != nil {
				return fmt.Errorf("outbox %q: %w", n.Key, err)
			}
			if len(taken) > 0 && taken[0] == n.Kind {
				continue
			}
			if len(taken) > 0 {
				n.Key = fmt.Sprintf("%s@%d.%d", n.Key, r.Task.Event, taskNs(r.Task))
			}
		}
		payload := OutboxPayload{
			Notification: n,
			Event:        OutboxEvent{Seq: r.Event.Seq, Type: r.Event.Type, At: r.Event.At.UTC(), Actor: r.Event.Actor},
			Case:         OutboxCase{Number: c.Number, Institute: c.Institute, Stage: c.Stage, Secretary: c.Secretary, Applicant: c.Applicant},
		}
		row := outboxRow{
			DedupKey: n.Key, CaseNumber: c.Number, EventSeq: r.Event.Seq, Audience: string(n.Audience),
			Kind: n.Kind, Urgent: n.Urgent, Payload: toJSON(payload), State: OutboxPending,
			NextAttemptAt: r.Event.At.UTC(), CreatedAt: r.Event.At.UTC(),
		}
		if !n.NotAfter.IsZero() {
			row.NotAfter = ptr(n.NotAfter.UTC())
		}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedup_key"}}, DoNothing: true}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("outbox %q: %w", n.Key, err)
		}
	}
	return nil
}

// ClaimDue hands out up to limit pending messages due at now, oldest first, and hides them
// for lease (DefaultClaimLease when 0). Messages past their NotAfter are marked dead
// ("expired") instead.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxMessage, error) {
	if lease <= 0 {
		lease = DefaultClaimLease
	}
	now = now.UTC()
	var rows []outboxRow
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&outboxRow{}).
			Where("state = 'pending' AND next_attempt_at <= ? AND not_after IS NOT NULL AND not_after < ?", now, now).
			Updates(map[string]any{"state": OutboxDead, "last_error": "expired: not delivered before not_after"}).Error
		if err != nil {
			return err
		}
		err = tx.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("state = 'pending' AND next_attempt_at <= ?", now). // literal: see clocksWhere
			Order("next_attempt_at, id").Limit(limit).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int64, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
			rows[i].Attempts++
			rows[i].NextAttemptAt = now.Add(lease)
		}
		return tx.Model(&outboxRow{}).Where("id IN ?", ids).
			Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "next_attempt_at": now.Add(lease)}).Error
	})
	if err != nil {
		return nil, wrap("claim due notifications", err)
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// MarkDelivered records that message id reached its recipients at at.
func (s *Store) MarkDelivered(ctx context.Context, id int64, at time.Time) error {
	return s.updateOutbox(ctx, "mark delivered", id, map[string]any{"state": OutboxDelivered, "delivered_at": at.UTC(), "last_error": ""})
}

// MarkFailed records a failed delivery: retried at nextAttempt, or never again when dead.
func (s *Store) MarkFailed(ctx context.Context, id int64, cause error, nextAttempt time.Time, dead bool) error {
	state, msg := OutboxPending, ""
	if dead {
		state = OutboxDead
	}
	if cause != nil {
		msg = cause.Error()
	}
	return s.updateOutbox(ctx, "mark failed", id, map[string]any{"state": state, "next_attempt_at": nextAttempt.UTC(), "last_error": msg})
}

// Outbox returns the messages of a case, in id order (for tests, audits and the operator).
func (s *Store) Outbox(ctx context.Context, caseNumber string) ([]OutboxMessage, error) {
	var rows []outboxRow
	if err := s.db.WithContext(ctx).Where("case_number = ?", caseNumber).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap("outbox", err)
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

func (s *Store) updateOutbox(ctx context.Context, op string, id int64, set map[string]any) error {
	res := s.db.WithContext(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return wrap(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%s: outbox message %d: %w", op, id, ErrNotFound)
	}
	return nil
}

func (r outboxRow) toMessage() OutboxMessage {
	return OutboxMessage{
		ID: r.ID, Key: r.DedupKey, CaseNumber: r.CaseNumber, EventSeq: r.EventSeq,
		Audience: article23.Audience(r.Audience), Kind: r.Kind, Urgent: r.Urgent, NotAfter: utcPtr(r.NotAfter),
		Payload: json.RawMessage(r.Payload), State: r.State, Attempts: r.Attempts,
		NextAttemptAt: r.NextAttemptAt.UTC(), LastError: r.LastError, DeliveredAt: utcPtr(r.DeliveredAt),
	}
}
