package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// The institute settings page: an admin changes the institute's reading of Article 23 (within
// its ceilings), how new cases find their secretary and where each audience is reached
// besides each person's own inbox; the institute's supervisors (and CICPA's) read it. CICPA's
// admin and supervisors pick the institute. A change applies to cases received after it.

// settingsPage is the settings in force as a form, and every saved version.
type settingsPage struct {
	Institute  string
	National   bool // CICPA's staff: a choice of institute
	Institutes []string
	ReadOnly   bool // supervisors read, admins change
	Current    wire.Settings
	Form       settingsForm
	History    []wire.Settings
	Stale      bool // saving was refused: someone saved a newer version in between
	CountFroms []article23.CountFrom
	Routings   []article23.Routing
}

// URL is the page for the page's institute.
func (p settingsPage) URL() string {
	return "/admin/settings?institute=" + url.QueryEscape(p.Institute)
}

// VersionLine says which version is in force, who saved it and when.
func (p settingsPage) VersionLine(v *view) string {
	d := p.Current
	if d.Version == 0 || d.ChangedAt == nil {
		return v.T("settings.defaults")
	}
	by := "—"
	if d.ChangedBy != nil {
		by = d.ChangedBy.Name
	}
	return v.T("settings.version", d.Version, by, v.When(*d.ChangedAt))
}

func (c *Console) handleSettings(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderSettings(w, r, s, http.StatusOK, nil)
}

// settingsInstitute is the institute the page is about: the caller's own, or for CICPA's
// staff the one chosen.
func settingsInstitute(r *http.Request, s *session) string {
	inst := r.URL.Query().Get("institute")
	if r.Method == http.MethodPost {
		inst = r.PostFormValue("institute")
	}
	if s.National() && slices.Contains(institutes, inst) {
		return inst
	}
	return s.Institute
}

// renderSettings shows the settings of the page's institute; refused, when set, is the
// posted form that was refused and why.
func (c *Console) renderSettings(w http.ResponseWriter, r *http.Request, s *session, status int, refused *refusedSettings) {
	if !s.Is("admin") && !s.Is("supervisor") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	p := settingsPage{Institute: settingsInstitute(r, s), National: s.National(), Institutes: institutes, ReadOnly: !s.Is("admin"),
		CountFroms: []article23.CountFrom{article23.CountFromDecision, article23.CountFromReceipt},
		Routings:   []article23.Routing{article23.RoutingUnassigned, article23.RoutingRoundRobin}}
	base := "/api/v1/institutes/" + url.PathEscape(p.Institute) + "/settings"
	var hist wire.SettingsHistory
	err := c.get(r, s, base, nil, &p.Current)
	if err == nil {
		err = c.get(r, s, base+"/history", nil, &hist)
	}
	if err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	p.History, p.Form = hist.Versions, formOfSettings(p.Current)
	v := c.newView(r, s, "settings.title", nil)
	if refused != nil {
		p.Form, p.Stale = refused.form, refused.problem.Code == "stale_version"
		c.showSettingsProblem(v, refused)
	}
	v.Data = p
	c.render(w, status, "settings", v)
}

// refusedSettings is a posted settings form and the problem it was refused with.
type refusedSettings struct {
	form    settingsForm
	problem *wire.Problem
	sent    sentRows
}

// handleSaveSettings puts the form to /api/v1/institutes/{code}/settings.
func (c *Console) handleSaveSettings(w http.ResponseWriter, r *http.Request, s *session) {
	inst := settingsInstitute(r, s)
	form := formOfPost(r.PostForm)
	body, sent, local := form.request()
	if local != nil {
		c.renderSettings(w, r, s, http.StatusUnprocessableEntity, &refusedSettings{form: form, problem: local, sent: sent})
		return
	}
	path := "/api/v1/institutes/" + url.PathEscape(inst) + "/settings"
	res := c.sendJSON(r, s, http.MethodPut, path, formNonce(r), body)
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) {
			c.renderSettings(w, r, s, statusOf(p), &refusedSettings{form: form, problem: p, sent: sent})
		})
		return
	}
	redirect(w, r, "/admin/settings?institute="+url.QueryEscape(inst), "settings_saved")
}

// showSettingsProblem puts the refusal's messages beside the form's fields: an address's
// error beside the list it is on, a webhook's beside the row it was typed in.
func (c *Console) showSettingsProblem(v *view, rs *refusedSettings) {
	p := rs.problem
	c.showProblem(v, p, "")
	if p.Code == "stale_version" {
		v.Problem = v.T("settings.stale")
		return
	}
	fields := slices.Sorted(maps.Keys(v.Errors))
	for _, field := range fields {
		if to := rs.sent.formField(field); to != field {
			msg := v.Errors[field]
			delete(v.Errors, field)
			if v.Errors[to] != "" {
				msg = v.Errors[to] + v.T("settings.error_sep") + msg
			}
			v.Errors[to] = msg
		}
	}
}
