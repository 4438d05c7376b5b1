package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// FeedToken is a person's calendar subscription token, by its SHA-256: whom it stands for.
type FeedToken struct {
	Subject   string
	Hash      string // hex SHA-256 of the token; the token itself is never stored
	Role      article23.Role
	Institute string
	MemberNo  string
	CreatedAt time.Time
}

type feedTokenRow struct {
	Subject   string `gorm:"primaryKey"`
	TokenHash string
	Role      string
	Institute string
	MemberNo  string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

func (feedTokenRow) TableName() string { return "feed_tokens" }

// PutFeedToken stores t as its subject's token, replacing (so revoking) the one before.
func (s *Store) PutFeedToken(ctx context.Context, t FeedToken) error {
	row := feedTokenRow{Subject: t.Subject, TokenHash: t.Hash, Role: string(t.Role), Institute: t.Institute,
		MemberNo: t.MemberNo, CreatedAt: t.CreatedAt.UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "subject"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_hash", "role", "institute", "member_no", "created_at"})}).Create(&row).Error
	return wrap("put feed token", err)
}

// FeedTokenByHash finds the token whose SHA-256 is hash; ErrNotFound when none (or revoked).
func (s *Store) FeedTokenByHash(ctx context.Context, hash string) (FeedToken, error) {
	var rows []feedTokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
		return FeedToken{}, wrap("feed token", err)
	}
	if len(rows) == 0 {
		return FeedToken{}, wrap("feed token", ErrNotFound)
	}
	r := rows[0]
	return FeedToken{Subject: r.Subject, Hash: r.TokenHash, Role: article23.Role(r.Role), Institute: r.Institute,
		MemberNo: r.MemberNo, CreatedAt: r.CreatedAt.UTC()}, nil
}

// DeleteFeedToken revokes subject's token; revoking none is no error.
func (s *Store) DeleteFeedToken(ctx context.Context, subject string) error {
	return wrap("delete feed token", s.db.WithContext(ctx).Where("subject = ?", subject).Delete(&feedTokenRow{}).Error)
}
