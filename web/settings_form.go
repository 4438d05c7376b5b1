package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// settingsForm is the settings form's values as typed: from the settings in force, or from a
// refused post so nothing typed is lost.
type settingsForm struct {
	Version         string
	Fields          map[string]string // the policy's text and number fields, by form name
	AllowSupplement bool
	Audiences       []audienceForm
	secrets         map[string]string // typed webhook secrets, by form name: sent, never shown again
}

// audienceForm is one audience's contact points: e-mail addresses one per line, and webhook
// rows (those saved, and a blank one to add).
type audienceForm struct {
	Key      string // secretary, supervisors
	Emails   string
	Webhooks []webhookForm
}

type webhookForm struct {
	URL       string
	SecretSet bool // the secret is write-only: left blank, the saved one stays
}

// Field is the form name of one of the audience's fields, e.g. contacts.secretary.emails.
func (a audienceForm) Field(name string) string { return "contacts." + a.Key + "." + name }

// Hook is the form name of a field of webhook row i.
func (a audienceForm) Hook(i int, name string) string {
	return fmt.Sprintf("contacts.%s.webhooks[%d].%s", a.Key, i, name)
}

const maxWebhooks = 5

var audienceKeys = []string{"secretary", "supervisors"}

// policyNumbers are the policy's whole-number fields.
var policyNumbers = []string{"decision_workdays", "committee_workdays", "feedback_workdays", "cap_workdays",
	"escalate_after_workdays", "supplement_window_workdays"}

func formOfSettings(d wire.Settings) settingsForm {
	p := d.Policy
	f := settingsForm{Version: strconv.Itoa(d.Version), AllowSupplement: p.AllowSupplement, Fields: map[string]string{
		"policy.decision_workdays": strconv.Itoa(p.DecisionWorkdays), "policy.committee_workdays": strconv.Itoa(p.CommitteeWorkdays),
		"policy.feedback_workdays": strconv.Itoa(p.FeedbackWorkdays), "policy.cap_workdays": strconv.Itoa(p.CapWorkdays),
		"policy.escalate_after_workdays":    strconv.Itoa(p.EscalateAfterWorkdays),
		"policy.supplement_window_workdays": strconv.Itoa(p.SupplementWindowWorkdays),
		"policy.count_from":                 string(p.CountFrom), "policy.routing": string(p.Routing),
		"policy.working_hours_start": p.WorkingHoursStart, "policy.working_hours_end": p.WorkingHoursEnd,
		"policy.reminder_workdays": joinInts(p.ReminderWorkdays)}}
	for _, k := range audienceKeys {
		pts := d.Contacts.Secretary
		if k == "supervisors" {
			pts = d.Contacts.Supervisors
		}
		a := audienceForm{Key: k, Emails: strings.Join(pts.Emails, "\n")}
		for _, w := range pts.Webhooks {
			a.Webhooks = append(a.Webhooks, webhookForm{URL: w.URL, SecretSet: w.SecretSet})
		}
		if len(a.Webhooks) < maxWebhooks {
			a.Webhooks = append(a.Webhooks, webhookForm{})
		}
		f.Audiences = append(f.Audiences, a)
	}
	return f
}

func formOfPost(post url.Values) settingsForm {
	f := settingsForm{Version: post.Get("version"), AllowSupplement: post.Get("policy.allow_supplement") == "true",
		Fields: map[string]string{}, secrets: map[string]string{}}
	for _, n := range append(policyNumbers, "count_from", "routing", "working_hours_start", "working_hours_end", "reminder_workdays") {
		f.Fields["policy."+n] = strings.TrimSpace(post.Get("policy." + n))
	}
	for _, k := range audienceKeys {
		a := audienceForm{Key: k, Emails: post.Get("contacts." + k + ".emails")}
		for i := 0; i < maxWebhooks && post.Has(a.Hook(i, "url")); i++ {
			a.Webhooks = append(a.Webhooks, webhookForm{URL: strings.TrimSpace(post.Get(a.Hook(i, "url"))),
				SecretSet: post.Get(a.Hook(i, "secret_set")) == "true"})
			f.secrets[a.Hook(i, "secret")] = strings.TrimSpace(post.Get(a.Hook(i, "secret")))
		}
		f.Audiences = append(f.Audiences, a)
	}
	return f
}

// request is the body of PUT /settings. A number that is not one is refused here, as the API
// would refuse it (local), naming the field.
func (f settingsForm) request() (body wire.SettingsRequest, sent sentRows, local *wire.Problem) {
	local = &wire.Problem{Status: 422, Code: "invalid"}
	num := func(field string) int {
		n, err := strconv.Atoi(f.Fields[field])
		if f.Fields[field] == "" {
			local.Add(field, "is required")
		} else if err != nil {
			local.Add(field, "must be a whole number")
		}
		return n
	}
	reminders := []int{}
	for _, s := range listSep.Split(f.Fields["policy.reminder_workdays"], -1) {
		if n, err := strconv.Atoi(s); err == nil {
			reminders = append(reminders, n)
		} else if s != "" {
			local.Add("policy.reminder_workdays", "must be whole numbers")
		}
	}
	version, err := strconv.Atoi(f.Version)
	if err != nil {
		local.Add("version", "must be a whole number")
	}
	policy := article23.Policy{DecisionWorkdays: num("policy.decision_workdays"), CommitteeWorkdays: num("policy.committee_workdays"),
		FeedbackWorkdays: num("policy.feedback_workdays"), CapWorkdays: num("policy.cap_workdays"),
		CountFrom: article23.CountFrom(f.Fields["policy.count_from"]), ReminderWorkdays: reminders,
		EscalateAfterWorkdays: num("policy.escalate_after_workdays"), AllowSupplement: f.AllowSupplement,
		SupplementWindowWorkdays: num("policy.supplement_window_workdays"), Routing: article23.Routing(f.Fields["policy.routing"]),
		WorkingHoursStart: f.Fields["policy.working_hours_start"], WorkingHoursEnd: f.Fields["policy.working_hours_end"]}
	contacts, sent := f.contacts()
	if len(local.Errors) > 0 {
		return wire.SettingsRequest{}, sent, local
	}
	return wire.SettingsRequest{Version: &version, Policy: &policy, Contacts: &contacts}, sent, nil
}

// contacts are the audiences' points as the API takes them: blank rows left out, a webhook
// without a secret keeping the one saved for its address.
func (f settingsForm) contacts() (wire.ContactsRequest, sentRows) {
	var out wire.ContactsRequest
	sent := sentRows{}
	for _, a := range f.Audiences {
		hooks := []wire.WebhookRequest{}
		for i, w := range a.Webhooks {
			if w.URL == "" {
				continue // a blank row, or a webhook removed
			}
			hooks = append(hooks, wire.WebhookRequest{URL: w.URL, Secret: f.secret(a, i)})
			sent[a.Field("webhooks")] = append(sent[a.Field("webhooks")], i)
		}
		emails := lines(a.Emails)
		if emails == nil {
			emails = []string{}
		}
		pts := wire.PointsRequest{Emails: emails, Webhooks: hooks}
		if a.Key == "supervisors" {
			out.Supervisors = pts
		} else {
			out.Secretary = pts
		}
	}
	return out, sent
}

// secret is the secret typed for webhook row i.
func (f settingsForm) secret(a audienceForm, i int) string { return f.secrets[a.Hook(i, "secret")] }

var listSep = regexp.MustCompile(`[\s,，、;；]+`)

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// sentRows maps the webhooks sent to the form rows they were typed in (blank rows are not
// sent, so the API's indexes can differ from the form's).
type sentRows map[string][]int

var pointField = regexp.MustCompile(`^(contacts\.(?:secretary|supervisors)\.)(emails|webhooks)\[([0-9]+)\](.*)$`)

// formField is the form field an API error field belongs to: an address's error goes beside
// its list, a webhook's beside the row it came from.
func (s sentRows) formField(field string) string {
	m := pointField.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	if m[2] == "emails" {
		return m[1] + "emails"
	}
	i, _ := strconv.Atoi(m[3])
	rows := s[m[1]+"webhooks"]
	if i >= len(rows) {
		return m[1] + "webhooks"
	}
	return fmt.Sprintf("%swebhooks[%d]%s", m[1], rows[i], m[4])
}
