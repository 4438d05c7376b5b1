package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Reservation asks for a new case number.
type Reservation struct {
	Institute      string
	Year           int    // the year of receipt, Asia/Shanghai
	IdempotencyKey string // "" reserves a new number every time
	RequestHash    string // fingerprint of the request the key was first used with
}

type idempotencyRow struct {
	Key         string `gorm:"primaryKey"`
	RequestHash string
	CaseNumber  string
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// ReserveCase allocates the next readable number of the institute and year, e.g.
// "BJ-2026-0042" (four digits, wider past 9999), together with the idempotency key in one
// transaction. A key seen before returns its number with existing=true when the request hash
// matches, and ErrIdempotencyConflict when it does not.
func (s *Store) ReserveCase(ctx context.Context, r Reservation) (number string, existing bool, err error) {
	if r.Institute == "" || r.Year < 2000 || r.Year > 9999 {
		return "", false, fmt.Errorf("reserve case: institute %q, year %d: invalid", r.Institute, r.Year)
	}
	if _, err := s.Institute(ctx, r.Institute); err != nil {
		return "", false, fmt.Errorf("reserve case: %w", err)
	}
	// two requests racing with one new key: the loser's insert fails, and the retry finds
	// the winner's row
	for attempt := 0; ; attempt++ {
		number, existing, err = s.reserveOnce(ctx, r)
		if err == nil || attempt > 0 || r.IdempotencyKey == "" || !isDuplicate(err) {
			break
		}
	}
	if err != nil {
		return "", false, wrap("reserve case", err)
	}
	return number, existing, nil
}

func (s *Store) reserveOnce(ctx context.Context, r Reservation) (number string, existing bool, err error) {
	if s.dialect == DialectPostgres {
		return s.reservePostgres(ctx, r)
	}
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		if r.IdempotencyKey != "" {
			var seen []idempotencyRow
			if err := tx.Where("key = ?", r.IdempotencyKey).Limit(1).Find(&seen).Error; err != nil {
				return err
			}
			if len(seen) == 1 {
				if seen[0].RequestHash != r.RequestHash {
					return fmt.Errorf("key %q: %w", r.IdempotencyKey, ErrIdempotencyConflict)
				}
				number, existing = seen[0].CaseNumber, true
				return nil
			}
		}
		var issued int64
		err := tx.Raw(`INSERT INTO case_sequences (institute, year, issued) VALUES (?, ?, 1)
			ON CONFLICT (institute, year) DO UPDATE SET issued = case_sequences.issued + 1
			RETURNING issued`, r.Institute, r.Year).Scan(&issued).Error
		if err != nil {
			return err
		}
		number = FormatCaseNumber(r.Institute, r.Year, issued)
		if r.IdempotencyKey == "" {
			return nil
		}
		return tx.Exec("INSERT INTO idempotency_keys (key, request_hash, case_number, created_at) VALUES (?, ?, ?, ?)",
			r.IdempotencyKey, r.RequestHash, number, s.now()).Error
	})
	if errors.Is(err, ErrIdempotencyConflict) {
		return "", false, err
	}
	return number, existing, err
}

// reservePostgres looks the key up, then takes the number and stores the key in one
// statement committed on its own. Gapless numbering holds the institute-year's sequence row
// from the increment to the commit, so every intake of an institute queues on it; as one
// statement nothing in that span waits for a round trip to this process (the transaction it
// replaces held the row across three). A key inserted by a racer fails the statement whole,
// increment included, and ReserveCase's retry finds the racer's number.
func (s *Store) reservePostgres(ctx context.Context, r Reservation) (number string, existing bool, err error) {
	db := s.db.WithContext(ctx)
	if r.IdempotencyKey != "" {
		var seen []idempotencyRow
		if err := db.Where("key = ?", r.IdempotencyKey).Limit(1).Find(&seen).Error; err != nil {
			return "", false, err
		}
		if len(seen) == 1 {
			if seen[0].RequestHash != r.RequestHash {
				return "", false, fmt.Errorf("key %q: %w", r.IdempotencyKey, ErrIdempotencyConflict)
			}
			return seen[0].CaseNumber, true, nil
		}
	}
	const next = `INSERT INTO case_sequences (institute, year, issued) VALUES (?, ?, 1)
		ON CONFLICT (institute, year) DO UPDATE SET issued = case_sequences.issued + 1 RETURNING issued`
	if r.IdempotencyKey == "" {
		var issued int64
		if err := db.Raw(next, r.Institute, r.Year).Scan(&issued).Error; err != nil {
			return "", false, err
		}
		return FormatCaseNumber(r.Institute, r.Year, issued), false, nil
	}
	// the number as FormatCaseNumber renders it (TestReserveCaseNumbersPastFourDigits)
	err = db.Raw(`WITH seq AS (`+next+`)
		INSERT INTO idempotency_keys (key, request_hash, case_number, created_at)
		SELECT ?, ?, ? || CASE WHEN issued < 10000 THEN lpad(issued::text, 4, '0') ELSE issued::text END, ? FROM seq
		RETURNING case_number`, r.Institute, r.Year, r.IdempotencyKey, r.RequestHash,
		fmt.Sprintf("%s-%d-", r.Institute, r.Year), s.now()).Scan(&number).Error
	return number, false, err
}

// FormatCaseNumber renders institute, year and sequence as "BJ-2026-0042".
func FormatCaseNumber(institute string, year int, seq int64) string {
	return fmt.Sprintf("%s-%d-%04d", institute, year, seq)
}

// ClaimIdempotencyKey binds key to the request fingerprinted by requestHash on case number:
// the first use stores it, a repeat with the same request passes, and any other request is
// ErrIdempotencyConflict. Actions use it before their workflow update, whose ID repeats the
// key: Temporal applies an update ID once and answers a repeat with the first result, so
// without it a reused key with another body would silently get that first result.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, key, requestHash, number string) error {
	db := s.db.WithContext(ctx)
	err := db.Exec("INSERT INTO idempotency_keys (key, request_hash, case_number, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
		key, requestHash, number, s.now()).Error
	if err != nil {
		return wrap("idempotency key", err)
	}
	var seen idempotencyRow
	if err := db.Where("key = ?", key).Take(&seen).Error; err != nil {
		return wrap("idempotency key", err)
	}
	if seen.RequestHash != requestHash || seen.CaseNumber != number {
		return fmt.Errorf("idempotency key %q: %w", key, ErrIdempotencyConflict)
	}
	return nil
}
