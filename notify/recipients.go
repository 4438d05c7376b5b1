package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// RecipientSource says who receives a notification for audience a about case c.
type RecipientSource interface {
	Recipients(ctx context.Context, a article23.Audience, c article23.Case) ([]Recipient, error)
}

// Directory is the contact data recipients are resolved from.
type Directory struct {
	Member *store.MemberContact // the applicant's contact; nil when none is set
	// Assignee is the case's secretary as the directory knows them (active or not); nil when
	// the case is unassigned or the directory does not know the id.
	Assignee *store.StaffMember
	Staff    []store.StaffMember // the active staff of the audience's institute (CICPA's for the national supervisors)
	Points   store.ContactPoints // the audience's shared contact points from that institute's settings
}

// Resolve is who hears what: the member (decisions, extensions, feedback), the case's
// secretary (reminders and the work of the case), the institute's supervisors (breaches,
// extension requests) or CICPA's supervisors (the second escalation). Only people tied to the
// case, its institute's staff of the right role and the contact points its settings name
// for the audience are returned — never everyone.
//
// The secretary audience is the case's assignee; while the case is unassigned, or its
// assignee was deactivated, it is every active secretary of the institute, so a message for
// "the secretary" always has someone to reach. An assignee the directory does not know (an
// id from before the directory) still gets the in-app inbox.
func Resolve(a article23.Audience, c article23.Case, dir Directory) []Recipient {
	var out []Recipient
	switch a {
	case article23.AudienceMember:
		return member(c, dir)
	case article23.AudienceSecretary:
		switch a := dir.Assignee; {
		case c.Secretary != "" && a == nil:
			out = []Recipient{{ID: c.Secretary, Role: article23.RoleSecretary}}
		case c.Secretary != "" && a.ID == c.Secretary && a.Active:
			out = []Recipient{{ID: a.ID, Name: a.Name, Role: article23.RoleSecretary, Email: a.Email}}
		default:
			out = staffWith(dir.Staff, article23.RoleSecretary)
		}
	case article23.AudienceSupervisors, article23.AudienceNationalSupervisors:
		out = staffWith(dir.Staff, article23.RoleSupervisor)
	default:
		return nil
	}
	return append(out, points(dir.Points, roleOf(a))...)
}

func member(c article23.Case, dir Directory) []Recipient {
	r := Recipient{Name: c.Applicant.Name, Role: article23.RoleMember}
	if c.SubmittedBy.Role == article23.RoleMember && c.SubmittedBy.MemberNo == c.Applicant.MemberNo {
		r.ID = c.SubmittedBy.ID
	}
	if m := dir.Member; m != nil && m.MemberNo == c.Applicant.MemberNo {
		r.ID, r.Email = firstOf(m.UserID, r.ID), m.Email
	}
	if r.ID == "" && r.Email != "" {
		r.ID = "email:" + r.Email
	}
	if r.ID == "" {
		return nil
	}
	return []Recipient{r}
}

// staffWith returns the active staff with role.
func staffWith(staff []store.StaffMember, role article23.Role) []Recipient {
	var out []Recipient
	for _, m := range staff {
		if m.Active && m.Role == role {
			out = append(out, Recipient{ID: m.ID, Name: m.Name, Role: m.Role, Email: m.Email})
		}
	}
	return out
}

// points are an audience's shared mailboxes and webhooks as recipients of their own.
func points(p store.ContactPoints, role article23.Role) []Recipient {
	var out []Recipient
	for _, e := range p.Emails {
		out = append(out, Recipient{ID: "email:" + e, Role: role, Email: e})
	}
	for _, w := range p.Webhooks {
		out = append(out, Recipient{ID: "webhook:" + w.URL, Role: role, WebhookURL: w.URL, WebhookSecret: w.Secret})
	}
	return out
}

func roleOf(a article23.Audience) article23.Role {
	if a == article23.AudienceSecretary {
		return article23.RoleSecretary
	}
	return article23.RoleSupervisor
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// StoreRecipients resolves recipients from the store's institute and member contacts.
type StoreRecipients struct {
	Store *store.Store
}

// Recipients loads the staff and contact points audience a needs and applies Resolve.
func (s StoreRecipients) Recipients(ctx context.Context, a article23.Audience, c article23.Case) ([]Recipient, error) {
	dir, err := s.directory(ctx, a, c)
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", a, err)
	}
	return Resolve(a, c, dir), nil
}

func (s StoreRecipients) directory(ctx context.Context, a article23.Audience, c article23.Case) (Directory, error) {
	var dir Directory
	if a == article23.AudienceMember {
		m, err := s.Store.MemberContactFor(ctx, c.Applicant.MemberNo)
		if err == nil {
			dir.Member = &m
		} else if !errors.Is(err, store.ErrNotFound) {
			return dir, err
		}
		return dir, nil
	}
	institute := c.Institute
	if a == article23.AudienceNationalSupervisors {
		institute = article23.NationalInstitute
	}
	settings, err := s.Store.Settings(ctx, institute)
	if err != nil {
		return dir, err
	}
	dir.Points = settings.Contacts.For(a)
	if a == article23.AudienceSecretary && c.Secretary != "" {
		m, err := s.Store.Staff(ctx, c.Secretary)
		switch {
		case err == nil:
			dir.Assignee = &m
		case !errors.Is(err, store.ErrNotFound):
			return dir, err
		}
		if dir.Assignee == nil || dir.Assignee.Active {
			return dir, nil // the assignee alone
		}
	}
	dir.Staff, err = s.Store.ActiveStaff(ctx, institute, roleOf(a))
	return dir, err
}
