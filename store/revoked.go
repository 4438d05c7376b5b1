package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

type revokedTokenRow struct {
	TokenHash string `gorm:"primaryKey"`
	ExpiresAt time.Time
}

func (revokedTokenRow) TableName() string { return "revoked_tokens" }

// RevokeToken records that the token with SHA-256 hash (hex) no longer counts, until it
// expires anyway; revoking twice is a no-op. Rows of other tokens already expired are dropped.
func (s *Store) RevokeToken(ctx context.Context, hash string, expiresAt time.Time) error {
	db := s.db.WithContext(ctx)
	row := revokedTokenRow{TokenHash: hash, ExpiresAt: expiresAt.UTC()}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return wrap("revoke token", err)
	}
	purge := db.Where("expires_at < ? AND token_hash <> ?", s.now(), hash) // never the one just revoked
	return wrap("revoke token: purge", purge.Delete(&revokedTokenRow{}).Error)
}

// TokenRevoked reports whether the token with SHA-256 hash (hex) was revoked.
func (s *Store) TokenRevoked(ctx context.Context, hash string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&revokedTokenRow{}).Where("token_hash = ?", hash).Count(&n).Error
	return n > 0, wrap("token revoked", err)
}
