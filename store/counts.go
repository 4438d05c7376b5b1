package store

import (
	"context"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// CountEvents counts the recorded events of type t across all cases: how a process that does
// not run the worker (the capacity bench) sees how far the worker has got.
func (s *Store) CountEvents(ctx context.Context, t article23.EventType) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&eventRow{}).Where("type = ?", string(t)).Count(&n).Error
	return n, wrap("count events", err)
}

// CountPendingBefore counts the pending notifications whose next attempt is before t: with t
// = now + DefaultClaimLease, those due, claimed by a dispatcher and not yet settled, or retrying
// soon. Zero means the dispatchers have nothing to do until then.
func (s *Store) CountPendingBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&outboxRow{}).
		Where("state = 'pending' AND next_attempt_at < ?", t.UTC()). // literal: see clocksWhere
		Count(&n).Error
	return n, wrap("count pending notifications", err)
}
