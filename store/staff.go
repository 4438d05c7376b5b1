package store

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
)

// ErrExists is returned when a record to create is there already.
var ErrExists = errors.New("already exists")

// StaffMember is a person of an institute's staff: a secretary, a supervisor or an admin.
// ID is their login subject (the token's sub).
type StaffMember struct {
	ID         string         `json:"id"`
	Institute  string         `json:"institute"`
	Role       article23.Role `json:"role"`
	Name       string         `json:"name"`
	Email      string         `json:"email,omitempty"`
	Active     bool           `json:"active"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	LastSeenAt *time.Time     `json:"last_seen_at,omitempty"`
}

type staffRow struct {
	ID         string `gorm:"primaryKey"`
	Institute  string
	Role       string
	Name       string
	Email      string
	Active     bool
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
	LastSeenAt *time.Time
}

func (staffRow) TableName() string { return "staff" }

func (r staffRow) toMember() StaffMember {
	return StaffMember{ID: r.ID, Institute: r.Institute, Role: article23.Role(r.Role), Name: r.Name, Email: r.Email,
		Active: r.Active, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), LastSeenAt: utcPtr(r.LastSeenAt)}
}

// StaffRoles are the roles the directory holds.
var StaffRoles = []article23.Role{article23.RoleSecretary, article23.RoleSupervisor, article23.RoleAdmin}

// IsStaffRole reports whether r is a role of the staff directory.
func IsStaffRole(r article23.Role) bool {
	return r == article23.RoleSecretary || r == article23.RoleSupervisor || r == article23.RoleAdmin
}

// StaffFieldError names the field of a staff member or setting that is not usable.
type StaffFieldError struct {
	Field  string
	Detail string
	Format string // Detail's format and arguments, to say it in another language
	Args   []any
}

func (e *StaffFieldError) Error() string { return e.Field + ": " + e.Detail }

// Validate reports every field of m that is not usable, each a *StaffFieldError, joined.
func (m StaffMember) Validate() error {
	var errs []error
	check := func(ok bool, field, format string, args ...any) {
		if !ok {
			errs = append(errs, &StaffFieldError{Field: field, Detail: fmt.Sprintf(format, args...), Format: format, Args: args})
		}
	}
	check(m.ID != "" && len(m.ID) <= 200 && utf8.ValidString(m.ID) && !strings.ContainsAny(m.ID, "\x00 \t\r\n/?#%"),
		"id", "must be 1–200 characters without spaces, '/', '?', '#' or '%%'")
	check(IsStaffRole(m.Role), "role", "must be secretary, supervisor or admin, got %q", m.Role)
	check(strings.TrimSpace(m.Name) != "" && utf8.RuneCountInString(m.Name) <= 100 && utf8.ValidString(m.Name) && !strings.ContainsRune(m.Name, 0),
		"name", "must be 1–100 characters")
	if m.Email != "" {
		a, err := mail.ParseAddress(m.Email)
		check(err == nil && a.Address == m.Email, "email", "must be an e-mail address such as li@bjicpa.org.cn, got %q", m.Email)
	}
	return errors.Join(errs...)
}

// SeeStaff records that the person signed in or called the API: a new subject joins the
// directory (active), a known one gets last_seen_at and, when the sign-in names them, their
// name, role and institute as the identity provider says. It returns the directory's record,
// whose Active the caller must honour.
func (s *Store) SeeStaff(ctx context.Context, m StaffMember) (StaffMember, error) {
	now := s.now()
	if strings.TrimSpace(m.Name) == "" {
		m.Name = m.ID
	}
	row := staffRow{ID: m.ID, Institute: m.Institute, Role: string(m.Role), Name: m.Name, Active: true,
		CreatedAt: now, UpdatedAt: now, LastSeenAt: &now}
	update := []string{"last_seen_at", "institute", "role"}
	if m.Name != m.ID {
		update = append(update, "name")
	}
	var out staffRow
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, DoUpdates: clause.AssignmentColumns(update)}).Create(&row).Error
		if err != nil {
			return err
		}
		return tx.Where("id = ?", m.ID).Take(&out).Error
	})
	if err != nil {
		return StaffMember{}, wrap("see staff "+m.ID, err)
	}
	return out.toMember(), nil
}

// AddStaff adds m to the directory; an id already there is ErrExists.
func (s *Store) AddStaff(ctx context.Context, m StaffMember) (StaffMember, error) {
	if err := m.Validate(); err != nil {
		return StaffMember{}, err
	}
	if _, err := s.Institute(ctx, m.Institute); errors.Is(err, ErrNotFound) {
		return StaffMember{}, &StaffFieldError{Field: "institute", Detail: "no such institute", Format: "no such institute"}
	} else if err != nil {
		return StaffMember{}, err
	}
	now := s.now()
	row := staffRow{ID: m.ID, Institute: m.Institute, Role: string(m.Role), Name: strings.TrimSpace(m.Name),
		Email: m.Email, Active: m.Active, CreatedAt: now, UpdatedAt: now}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return StaffMember{}, wrap("add staff", res.Error)
	}
	if res.RowsAffected == 0 {
		return StaffMember{}, fmt.Errorf("add staff %s: %w", m.ID, ErrExists)
	}
	return row.toMember(), nil
}

// StaffPatch changes some fields of a staff member; nil fields stay.
type StaffPatch struct {
	Name   *string
	Email  *string
	Role   *article23.Role
	Active *bool
}

// UpdateStaff applies p to the member with id (ErrNotFound if none), validated as a whole.
func (s *Store) UpdateStaff(ctx context.Context, id string, p StaffPatch) (StaffMember, error) {
	var out StaffMember
	err := s.transaction(ctx, func(tx *gorm.DB) error {
		var row staffRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		m := row.toMember()
		if p.Name != nil {
			m.Name = strings.TrimSpace(*p.Name)
		}
		if p.Email != nil {
			m.Email = strings.TrimSpace(*p.Email)
		}
		if p.Role != nil {
			m.Role = *p.Role
		}
		if p.Active != nil {
			m.Active = *p.Active
		}
		if err := m.Validate(); err != nil {
			return err
		}
		m.UpdatedAt = s.now()
		err := tx.Model(&staffRow{}).Where("id = ?", id).Updates(map[string]any{
			"name": m.Name, "email": m.Email, "role": string(m.Role), "active": m.Active, "updated_at": m.UpdatedAt}).Error
		out = m
		return err
	})
	var fe *StaffFieldError
	if errors.As(err, &fe) {
		return StaffMember{}, err
	}
	if err != nil {
		return StaffMember{}, wrap("update staff "+id, err)
	}
	return out, nil
}

// Staff returns the member with id, or ErrNotFound.
func (s *Store) Staff(ctx context.Context, id string) (StaffMember, error) {
	var row staffRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return StaffMember{}, wrap("staff "+id, err)
	}
	return row.toMember(), nil
}

// StaffFilter selects staff. Institutes nil is every institute; empty non-nil is none.
type StaffFilter struct {
	Institutes []string
	Role       article23.Role
	Active     *bool
}

// ListStaff returns the members f selects by institute, role and name (at most 2,000: an
// institute has tens).
func (s *Store) ListStaff(ctx context.Context, f StaffFilter) ([]StaffMember, error) {
	q := s.db.WithContext(ctx).Scopes(inInstitutes("institute", f.Institutes))
	if f.Role != "" {
		q = q.Where("role = ?", string(f.Role))
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	var rows []staffRow
	if err := q.Order("institute, role, name, id").Limit(2000).Find(&rows).Error; err != nil {
		return nil, wrap("list staff", err)
	}
	out := make([]StaffMember, len(rows))
	for i, r := range rows {
		out[i] = r.toMember()
	}
	return out, nil
}

// StaffNames maps each id of ids found in the directory to its display name.
func (s *Store) StaffNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []staffRow
	if err := s.db.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap("staff names", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// ActiveStaff returns the institute's active members with role, by id.
func (s *Store) ActiveStaff(ctx context.Context, institute string, role article23.Role) ([]StaffMember, error) {
	var rows []staffRow
	err := s.db.WithContext(ctx).Where("institute = ? AND role = ? AND active", institute, string(role)).Order("id").Find(&rows).Error
	if err != nil {
		return nil, wrap("active staff of "+institute, err)
	}
	out := make([]StaffMember, len(rows))
	for i, r := range rows {
		out[i] = r.toMember()
	}
	return out, nil
}

// NextRoundRobin picks the institute's next active secretary after the one it picked last
// (in id order, wrapping) and remembers the pick; ok is false when it has none.
func (s *Store) NextRoundRobin(ctx context.Context, institute string) (m StaffMember, ok bool, err error) {
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		cur := routingCursorRow{Institute: institute}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&cur).Error; err != nil {
			return err
		}
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("institute = ?", institute).Take(&cur).Error; err != nil {
			return err
		}
		var next []staffRow
		sec := tx.Where("institute = ? AND role = 'secretary' AND active", institute).Order("id").Limit(1)
		if err := sec.Session(&gorm.Session{}).Where("id > ?", cur.LastStaffID).Find(&next).Error; err != nil {
			return err
		}
		if len(next) == 0 {
			if err := sec.Find(&next).Error; err != nil || len(next) == 0 {
				return err
			}
		}
		m, ok = next[0].toMember(), true
		return tx.Model(&routingCursorRow{}).Where("institute = ?", institute).Update("last_staff_id", m.ID).Error
	})
	return m, ok, wrap("round robin "+institute, err)
}

type routingCursorRow struct {
	Institute   string `gorm:"primaryKey"`
	LastStaffID string
}

func (routingCursorRow) TableName() string { return "routing_cursors" }
