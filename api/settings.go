package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// An institute's settings: its policy (how it reads Article 23, within the article's
// ceilings, and how new cases are routed) and its contact points per audience. Admins change
// them (CICPA's for every institute); the institute's supervisors and CICPA's may read them.
// A change applies to cases received from then on: a running case keeps the policy it
// was received under.

func viewPoints(p store.ContactPoints) wire.Points {
	v := wire.Points{Emails: append([]string{}, p.Emails...), Webhooks: []wire.Webhook{}}
	for _, w := range p.Webhooks {
		v.Webhooks = append(v.Webhooks, wire.Webhook{URL: w.URL, SecretSet: w.Secret != ""})
	}
	return v
}

func (s *Server) settingsResponse(ctx context.Context, st store.Settings) wire.Settings {
	return newSettingsResponse(st, s.staffNames(ctx, []string{st.ChangedBy}))
}

// newSettingsResponse renders st, naming who changed it from names (the directory's).
func newSettingsResponse(st store.Settings, names map[string]string) wire.Settings {
	r := wire.Settings{Institute: st.Institute, Version: st.Version, Policy: st.Policy, ChangedAt: shPtr(st.ChangedAt),
		Contacts:  wire.Contacts{Secretary: viewPoints(st.Contacts.Secretary), Supervisors: viewPoints(st.Contacts.Supervisors)},
		AppliesTo: "new_cases"}
	if st.ChangedBy != "" {
		r.ChangedBy = &wire.Person{ID: st.ChangedBy, Name: orID(names[st.ChangedBy], st.ChangedBy)}
	}
	if r.Policy.Routing == "" {
		r.Policy.Routing = article23.RoutingUnassigned
	}
	return r
}

// readsSettings reports whether the caller may read the institute's settings.
func readsSettings(cl auth.Claims, code string) bool {
	return manages(cl, code) || (cl.Role == article23.RoleSupervisor &&
		(cl.Institute == code || cl.Institute == article23.NationalInstitute))
}

// settingsOf loads the settings of the request's :code if the caller may read them.
func (s *Server) settingsOf(c echo.Context) (store.Settings, error) {
	code, cl := c.Param("code"), claimsOf(c)
	if !readsSettings(cl, code) {
		if cl.Institute == code || cl.Institute == article23.NationalInstitute {
			return store.Settings{}, problem(http.StatusForbidden, "forbidden", "only the institute's admins and supervisors read its settings")
		}
		return store.Settings{}, store.ErrNotFound
	}
	return s.deps.Store.Settings(c.Request().Context(), code)
}

// handleGetSettings returns the settings in force.
func (s *Server) handleGetSettings(c echo.Context) error {
	st, err := s.settingsOf(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.settingsResponse(c.Request().Context(), st))
}

// handleSettingsHistory lists every saved version, newest first: who changed what, when.
func (s *Server) handleSettingsHistory(c echo.Context) error {
	if _, err := s.settingsOf(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	hist, err := s.deps.Store.SettingsHistory(ctx, c.Param("code"), 200)
	if err != nil {
		return err
	}
	ids := make([]string, len(hist))
	for i, st := range hist {
		ids[i] = st.ChangedBy
	}
	names := s.staffNames(ctx, ids) // one lookup for every version's author
	out := make([]wire.Settings, len(hist))
	for i, st := range hist {
		out[i] = newSettingsResponse(st, names)
	}
	return c.JSON(http.StatusOK, wire.SettingsHistory{Versions: out})
}

// handlePutSettings validates and saves new settings (200 with the new version). A version
// other than the current one is 409 stale_version: someone saved in between.
func (s *Server) handlePutSettings(c echo.Context) error {
	var r wire.SettingsRequest
	if err := decodeJSON(c, &r, false); err != nil {
		return err
	}
	cl, code := claimsOf(c), c.Param("code")
	if !manages(cl, code) {
		if readsSettings(cl, code) {
			return problem(http.StatusForbidden, "forbidden", "only an admin of "+code+" or of CICPA changes its settings")
		}
		return store.ErrNotFound
	}
	ctx := c.Request().Context()
	cur, err := s.deps.Store.Settings(ctx, code)
	if err != nil {
		return err
	}
	next, err := s.validateSettings(r, cur)
	if err != nil {
		return err
	}
	saved, err := s.deps.Store.SaveSettings(ctx, next, cl.Subject)
	if errors.Is(err, store.ErrStale) {
		return problem(http.StatusConflict, "stale_version", "the settings were changed since version "+fmt.Sprint(*r.Version)+" was read; reload and apply your change again")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.settingsResponse(ctx, saved))
}

// validateSettings checks every field of r, naming each one that is wrong; a webhook sent
// without its secret keeps the secret it had.
func (s *Server) validateSettings(r wire.SettingsRequest, cur store.Settings) (store.Settings, error) {
	var f fields
	if r.Version == nil {
		f.add("version", "is required: the version these settings replace (%d now)", cur.Version)
	}
	if r.Policy == nil {
		f.add("policy", "is required")
	}
	if r.Contacts == nil {
		f.add("contacts", "is required (empty lists for none)")
	}
	if err := f.err(); err != nil {
		return store.Settings{}, err
	}
	p := *r.Policy
	if p.Version == 0 {
		p.Version = max(cur.Policy.Version, 1)
	}
	var pe *article23.PolicyError
	for _, err := range unjoin(p.Validate()) {
		if errors.As(err, &pe) {
			f.add("policy."+pe.Field, pe.Format, pe.Args...)
		}
	}
	next := store.Settings{Institute: cur.Institute, Version: *r.Version, Policy: p,
		Contacts: store.InstituteContacts{Secretary: storePoints(r.Contacts.Secretary), Supervisors: storePoints(r.Contacts.Supervisors)}}
	s.checkPoints(&f, "contacts.secretary", &next.Contacts.Secretary, cur.Contacts.Secretary)
	s.checkPoints(&f, "contacts.supervisors", &next.Contacts.Supervisors, cur.Contacts.Supervisors)
	return next, f.err()
}

// storePoints are the points p as the store keeps them.
func storePoints(p wire.PointsRequest) store.ContactPoints {
	out := store.ContactPoints{Emails: p.Emails}
	if p.Webhooks != nil {
		out.Webhooks = make([]store.Webhook, len(p.Webhooks))
	}
	for i, w := range p.Webhooks {
		out.Webhooks[i] = store.Webhook(w)
	}
	return out
}

// checkPoints validates one audience's contact points.
func (s *Server) checkPoints(f *fields, at string, p *store.ContactPoints, was store.ContactPoints) {
	if p.Emails == nil {
		p.Emails = []string{}
	}
	if len(p.Emails) > 10 {
		f.add(at+".emails", "at most 10 addresses")
	}
	for i, e := range p.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			f.add(fmt.Sprintf("%s.emails[%d]", at, i), "must be an e-mail address such as office@bicpa.org.cn, got %q", e)
		}
	}
	if len(p.Webhooks) > 5 {
		f.add(at+".webhooks", "at most 5 webhooks")
	}
	for i := range p.Webhooks {
		w, field := &p.Webhooks[i], fmt.Sprintf("%s.webhooks[%d]", at, i)
		if err := s.deps.WebhookTargets.CheckURL(w.URL); err != nil {
			f.addErr(field+".url", err)
		}
		if w.Secret == "" {
			for _, old := range was.Webhooks {
				if old.URL == w.URL {
					w.Secret = old.Secret
				}
			}
		}
		if len(w.Secret) < 16 || len(w.Secret) > 200 {
			f.add(field+".secret", "must be 16–200 characters (it signs each delivery); a webhook kept as it was may omit it")
		}
	}
}

// unjoin splits an errors.Join result into its errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}
