package notify

import (
	"reflect"
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
	li := store.Contact{Institute: "BJ", Role: store.ContactSecretary, UserID: "li", Name: "李秘书", Email: "li@bicpa.example"}
	zhang := store.Contact{Institute: "BJ", Role: store.ContactSupervisor, UserID: "zhang", Name: "张处长", WebhookURL: "https://h/bj", WebhookSecret: "k"}
	zhao := store.Contact{Institute: "BJ", Role: store.ContactSupervisor, UserID: "zhao", Name: "赵科长"}
	cicpa := store.Contact{Institute: "CICPA", Role: store.ContactSupervisor, UserID: "cicpa-reg", Email: "reg@cicpa.example"}
	full := Directory{Institute: []store.Contact{li, zhang, zhao}, National: []store.Contact{cicpa}}
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
		{"paper case, unknown member", article23.AudienceMember, c(secretaryPaper, "li"), full, nil},
		{"another member's contact is not used", article23.AudienceMember, c(secretaryPaper, "li"),
			Directory{Member: &store.MemberContact{MemberNo: "999", UserID: "x"}}, nil},
		{"secretary with a contact", article23.AudienceSecretary, c(member, "li"), full, []Recipient{fromContact(li)}},
		{"secretary without one: in-app only", article23.AudienceSecretary, c(member, "wu"), full,
			[]Recipient{{ID: "wu", Role: article23.RoleSecretary}}},
		{"no secretary assigned", article23.AudienceSecretary, c(member, ""), full, nil},
		{"institute supervisors, not the secretary", article23.AudienceSupervisors, c(member, "li"), full,
			[]Recipient{fromContact(zhang), fromContact(zhao)}},
		{"no supervisors configured: nobody", article23.AudienceSupervisors, c(member, "li"), Directory{Institute: []store.Contact{li}}, nil},
		{"CICPA supervisors only", article23.AudienceNationalSupervisors, c(member, "li"), full, []Recipient{fromContact(cicpa)}},
		{"unknown audience", article23.Audience("everyone"), c(member, "li"), full, nil},
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
	for _, k := range []store.Contact{
		{Institute: "BJ", Role: store.ContactSupervisor, UserID: "zhang", Name: "张处长"},
		{Institute: "SH", Role: store.ContactSupervisor, UserID: "shen", Name: "沈处长"},
		{Institute: "CICPA", Role: store.ContactSupervisor, UserID: "reg", Name: "注册管理部"},
	} {
		if err := st.SetContact(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	c := article23.Case{Institute: "BJ", Applicant: article23.Applicant{MemberNo: "1"}}
	for a, want := range map[article23.Audience]string{article23.AudienceSupervisors: "zhang", article23.AudienceNationalSupervisors: "reg"} {
		got, err := StoreRecipients{Store: st}.Recipients(ctx, a, c)
		if err != nil || len(got) != 1 || got[0].ID != want {
			t.Errorf("%s: %+v %v, want only %s", a, got, err, want)
		}
	}
}
