package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// Institute levels.
const (
	LevelNational = "national"
	LevelLocal    = "local"
)

// Institute is CICPA or a local institute (地方注协).
type Institute struct {
	Code   string `json:"code"` // "CICPA", ISO 3166-2:CN letters ("BJ"), or a city's ("SZ")
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Level  string `json:"level"`            // LevelNational or LevelLocal
	Parent string `json:"parent,omitempty"` // "" for CICPA
}

func (r instituteRow) toInstitute() Institute {
	in := Institute{Code: r.Code, Name: r.Name, NameEn: r.NameEn, Level: r.Level}
	if r.Parent != nil {
		in.Parent = *r.Parent
	}
	return in
}

// Institutes returns every institute, CICPA first, then by code.
func (s *Store) Institutes(ctx context.Context) ([]Institute, error) {
	var rows []instituteRow
	err := s.db.WithContext(ctx).Order("CASE WHEN level = 'national' THEN 0 ELSE 1 END, code").Find(&rows).Error
	if err != nil {
		return nil, wrap("institutes", err)
	}
	out := make([]Institute, len(rows))
	for i, r := range rows {
		out[i] = r.toInstitute()
	}
	return out, nil
}

// Institute returns the institute with code, or ErrNotFound.
func (s *Store) Institute(ctx context.Context, code string) (Institute, error) {
	var row instituteRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&row).Error; err != nil {
		return Institute{}, wrap("institute "+code, err)
	}
	return row.toInstitute(), nil
}

// Policy returns the institute's policy, article23.DefaultPolicy() when it has set none, or
// ErrNotFound for an unknown institute.
func (s *Store) Policy(ctx context.Context, code string) (article23.Policy, error) {
	if _, err := s.Institute(ctx, code); err != nil {
		return article23.Policy{}, fmt.Errorf("policy: %w", err)
	}
	var rows []policyRow
	if err := s.db.WithContext(ctx).Where("institute = ?", code).Limit(1).Find(&rows).Error; err != nil {
		return article23.Policy{}, wrap("policy "+code, err)
	}
	if len(rows) == 0 {
		return article23.DefaultPolicy(), nil
	}
	var p article23.Policy
	if err := json.Unmarshal([]byte(rows[0].Policy), &p); err != nil {
		return article23.Policy{}, fmt.Errorf("policy %s: stored JSON: %w", code, err)
	}
	return p, nil
}

// SetPolicy validates p and makes it the institute's policy for cases received from now on
// (cases pin their policy at intake).
func (s *Store) SetPolicy(ctx context.Context, code string, p article23.Policy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("set policy %s: %w", code, err)
	}
	if _, err := s.Institute(ctx, code); err != nil {
		return fmt.Errorf("set policy: %w", err)
	}
	row := policyRow{Institute: code, Version: p.Version, Policy: toJSON(p), UpdatedAt: s.now()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	return wrap("set policy "+code, err)
}
