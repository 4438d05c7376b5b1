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
	Member    *store.MemberContact // the applicant's contact; nil when none is set
	Institute []store.Contact      // the case institute's contacts
	National  []store.Contact      // CICPA's contacts
}

// Resolve is who hears what: the member (decisions, extensions, feedback), the case's
// secretary (reminders and the work of the case), the institute's supervisors (breaches,
// extension requests) or CICPA's supervisors (the second escalation). Only people tied to the
// case or named as its institute's contacts are returned — never everyone. Without contacts
// a known user id still gets the in-app inbox; without one, nobody is reached.
func Resolve(a article23.Audience, c article23.Case, dir Directory) []Recipient {
	switch a {
	case article23.AudienceMember:
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
	case article23.AudienceSecretary:
		if c.Secretary == "" {
			return nil
		}
		for _, k := range dir.Institute {
			if k.Role == store.ContactSecretary && k.UserID == c.Secretary {
				return []Recipient{fromContact(k)}
			}
		}
		return []Recipient{{ID: c.Secretary, Role: article23.RoleSecretary}}
	case article23.AudienceSupervisors:
		return supervisors(dir.Institute)
	case article23.AudienceNationalSupervisors:
		return supervisors(dir.National)
	}
	return nil
}

func supervisors(contacts []store.Contact) []Recipient {
	var out []Recipient
	for _, k := range contacts {
		if k.Role == store.ContactSupervisor {
			out = append(out, fromContact(k))
		}
	}
	return out
}

func fromContact(k store.Contact) Recipient {
	return Recipient{ID: k.UserID, Name: k.Name, Role: article23.Role(k.Role), Email: k.Email,
		WebhookURL: k.WebhookURL, WebhookSecret: k.WebhookSecret}
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

// Recipients loads the contacts audience a needs and applies Resolve.
func (s StoreRecipients) Recipients(ctx context.Context, a article23.Audience, c article23.Case) ([]Recipient, error) {
	var dir Directory
	var err error
	switch a {
	case article23.AudienceMember:
		m, merr := s.Store.MemberContactFor(ctx, c.Applicant.MemberNo)
		if merr == nil {
			dir.Member = &m
		} else if !errors.Is(merr, store.ErrNotFound) {
			err = merr
		}
	case article23.AudienceSecretary, article23.AudienceSupervisors:
		dir.Institute, err = s.Store.Contacts(ctx, c.Institute, "")
	case article23.AudienceNationalSupervisors:
		dir.National, err = s.Store.Contacts(ctx, article23.NationalInstitute, store.ContactSupervisor)
	}
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", a, err)
	}
	return Resolve(a, c, dir), nil
}
