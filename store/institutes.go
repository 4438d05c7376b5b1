package store

import (
	"context"
	"fmt"

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

// Policy returns the institute's policy in force (article23.DefaultPolicy() when it has set
// none), or ErrNotFound for an unknown institute.
func (s *Store) Policy(ctx context.Context, code string) (article23.Policy, error) {
	st, err := s.Settings(ctx, code)
	if err != nil {
		return article23.Policy{}, fmt.Errorf("policy: %w", err)
	}
	return st.Policy, nil
}

// SetPolicy validates p and makes it the institute's policy for cases received from now on
// (cases pin their policy at intake), keeping its contact points; by the system.
func (s *Store) SetPolicy(ctx context.Context, code string, p article23.Policy) error {
	st, err := s.Settings(ctx, code)
	if err != nil {
		return fmt.Errorf("set policy: %w", err)
	}
	st.Policy = p
	_, err = s.SaveSettings(ctx, st, article23.SystemActor.ID)
	return err
}
