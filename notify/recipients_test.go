package notify

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

func TestResolve(t *testing.T) {
	member := article23.Actor{ID: "wang", Role: article23.RoleMember, MemberNo: "110000000001"}
	secretaryPaper := article23.Actor{ID: "li", Role: article23.RoleSecretary, Institute: "BJ"}
	c := func(submitter article23.Actor, secretary string) article23.Case {
		return article23.Case{Number: "BJ-2026-0042", Institute: "BJ", Secretary: secretary, SubmittedBy: submitter,
			Applicant: article23.Applicant{MemberNo: "110000000001", Name: "王会计师"}}
	}
	staff := func(id, inst string, role article23.Role, name, email string) store.StaffMember {
		return store.StaffMember{ID: id, Institute: inst, Role: role, Name: name, Email: email, Active: true}
	}
	li := staff("li", "BJ", article23.RoleSecretary, "李秘书", "li@bicpa.example")
	ma := staff("ma", "BJ", article23.RoleSecretary, "马秘书", "")
	zhang := staff("zhang", "BJ", article23.RoleSupervisor, "张处长", "")
	zhao := staff("zhao", "BJ", article23.RoleSupervisor, "赵科长", "zhao@bicpa.example")
	gone := li
	gone.Active = false
	person := func(m store.StaffMember) Recipient {
		return Recipient{ID: m.ID, Name: m.Name, Role: m.Role, Email: m.Email}
	}
	secretaries := Directory{Staff: []store.StaffMember{li, ma}}
	shared := store.ContactPoints{Emails: []string{"office@bicpa.example"}, Webhooks: []store.Webhook{{URL: "https://h/bj", Secret: "k"}}}
	tests := []struct {
		name     string
		audience article23.Audience
		c        article23.Case
		dir      Directory
		want     []Recipient
	}{
		{"member who submitted online, no contact", article23.AudienceMember, c(member, "li"), Directory{},
			[]Recipient{{ID: "wang", Name: "王会计师", Role: article23.RoleMember}}},
		{"member with a contact", article23.AudienceMember, c(member, "li"),
			Directory{Member: &store.MemberContact{MemberNo: "110000000001", UserID: "wang2", Email: "wang@example.com"}},
			[]Recipient{{ID: "wang2", Name: "王会计师", Role: article23.RoleMember, Email: "wang@example.com"}}},
		{"paper case, e-mail only", article23.AudienceMember, c(secretaryPaper, "li"),
			Directory{Member: &store.MemberContact{MemberNo: "110000000001", Email: "wang@example.com"}},
			[]Recipient{{ID: "email:wang@example.com", Name: "王会计师", Role: article23.RoleMember, Email: "wang@example.com"}}},
		{"paper case, unknown member", article23.AudienceMember, c(secretaryPaper, "li"), secretaries, nil},
		{"another member's contact is not used", article23.AudienceMember, c(secretaryPaper, "li"),
			Directory{Member: &store.MemberContact{MemberNo: "999", UserID: "x"}}, nil},
		{"the assignee, and only her", article23.AudienceSecretary, c(member, "li"), Directory{Assignee: &li, Staff: []store.StaffMember{li, ma}},
			[]Recipient{person(li)}},
		{"unassigned: every active secretary", article23.AudienceSecretary, c(member, ""), secretaries, []Recipient{person(li), person(ma)}},
		{"assignee deactivated: every active secretary", article23.AudienceSecretary, c(member, "li"),
			Directory{Assignee: &gone, Staff: []store.StaffMember{gone, ma}}, []Recipient{person(ma)}},
		{"assignee unknown to the directory: in-app only", article23.AudienceSecretary, c(member, "wu"), secretaries,
			[]Recipient{{ID: "wu", Role: article23.RoleSecretary}}},
		{"the institute's shared points too", article23.AudienceSecretary, c(member, "li"), Directory{Assignee: &li, Points: shared},
			[]Recipient{person(li), {ID: "email:office@bicpa.example", Role: article23.RoleSecretary, Email: "office@bicpa.example"},
				{ID: "webhook:https://h/bj", Role: article23.RoleSecretary, WebhookURL: "https://h/bj", WebhookSecret: "k"}}},
		{"institute supervisors, not the secretaries", article23.AudienceSupervisors, c(member, "li"),
			Directory{Staff: []store.StaffMember{li, zhang, zhao}}, []Recipient{person(zhang), person(zhao)}},
		{"no supervisors: nobody", article23.AudienceSupervisors, c(member, "li"), secretaries, nil},
		{"unknown audience", article23.Audience("everyone"), c(member, "li"), secretaries, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(tt.audience, tt.c, tt.dir); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestStoreRecipients(t *testing.T) {
	st := openStore(t)
	ctx := t.Context()
	for _, m := range []store.StaffMember{
		{ID: "zhang", Institute: "BJ", Role: article23.RoleSupervisor, Name: "张处长", Active: true},
		{ID: "shen", Institute: "SH", Role: article23.RoleSupervisor, Name: "沈处长", Active: true},
		{ID: "reg", Institute: "CICPA", Role: article23.RoleSupervisor, Name: "注册管理部", Active: true},
		{ID: "li", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书", Active: true},
		{ID: "ma", Institute: "BJ", Role: article23.RoleSecretary, Name: "马秘书", Active: true},
		{ID: "gone", Institute: "BJ", Role: article23.RoleSecretary, Name: "离职", Active: false},
	} {
		if _, err := st.AddStaff(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	c := article23.Case{Institute: "BJ", Applicant: article23.Applicant{MemberNo: "1"}}
	assigned := c
	assigned.Secretary = "ma"
	left := c
	left.Secretary = "gone"
	for _, tt := range []struct {
		a    article23.Audience
		c    article23.Case
		want string
	}{
		{article23.AudienceSupervisors, c, "zhang"},
		{article23.AudienceNationalSupervisors, c, "reg"},
		{article23.AudienceSecretary, c, "li ma"},
		{article23.AudienceSecretary, assigned, "ma"},
		{article23.AudienceSecretary, left, "li ma"},
	} {
		got, err := StoreRecipients{Store: st}.Recipients(ctx, tt.a, tt.c)
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if err != nil || strings.Join(ids, " ") != tt.want {
			t.Errorf("%s of a case assigned to %q: %v %v, want %s", tt.a, tt.c.Secretary, ids, err, tt.want)
		}
	}
}
