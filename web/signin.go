package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/wire"
)

// institutes are CICPA and the 36 local institutes (store migration 0003); the API has no
// institutes route, so the development sign-in lists them here.
var institutes = []string{"CICPA", "BJ", "TJ", "HE", "SX", "NM", "LN", "JL", "HL", "SH", "JS", "ZJ", "AH", "FJ", "JX",
	"SD", "HA", "HB", "HN", "GD", "GX", "HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS", "QH", "NX", "XJ",
	"DL", "QD", "NB", "XM", "SZ"}

var roles = []article23.Role{article23.RoleMember, article23.RoleSecretary, article23.RoleSupervisor, article23.RoleAdmin}

// home sends each role to where its work is.
func home(s *session) string {
	switch s.Role {
	case article23.RoleMember:
		return "/cases"
	case article23.RoleSecretary:
		return "/inbox"
	case article23.RoleSupervisor:
		return "/dashboard"
	case article23.RoleAdmin:
		return "/admin/staff"
	}
	return "/signin"
}

func (c *Console) handleHome(w http.ResponseWriter, r *http.Request, s *session) {
	http.Redirect(w, r, home(s), http.StatusSeeOther)
}

// signinPage is what the sign-in page offers.
type signinPage struct {
	Dev        bool
	OIDC       bool
	Next       string
	Roles      []article23.Role
	Institutes []string
}

func (c *Console) handleSignin(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderSignin(w, r, s, http.StatusOK, nil)
}

func (c *Console) renderSignin(w http.ResponseWriter, r *http.Request, s *session, status int, errs map[string]string) {
	next := r.FormValue("next")
	v := c.newView(r, s, "signin.title", signinPage{Dev: c.deps.Mint != nil, OIDC: c.oidc != nil, Next: safeNext(next),
		Roles: roles, Institutes: institutes})
	if errs != nil {
		v.Errors, v.Form = errs, r.PostForm
	}
	c.render(w, status, "signin", v)
}

// safeNext keeps a post-sign-in (or post-form) destination on this site: a path of this
// origin, nothing a browser could read as another host. Browsers drop tabs and line breaks
// from URLs and read a backslash as a slash, so "/\t/evil.example" is "//evil.example" to
// them: any control character, space or backslash refuses the whole target.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.ContainsFunc(next, func(r rune) bool { return r <= ' ' || r == '\\' || r == 0x7f }) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(next, "//") {
		return ""
	}
	return next
}

// handleDevSignin mints a development token for the chosen role, institute and member.
func (c *Console) handleDevSignin(w http.ResponseWriter, r *http.Request, s *session) {
	if c.deps.Mint == nil {
		c.fail(w, r, s, http.StatusNotFound, "error.not_found")
		return
	}
	o := auth.MintOptions{Role: article23.Role(r.PostFormValue("role")), Institute: r.PostFormValue("institute"),
		MemberNo: strings.TrimSpace(r.PostFormValue("member_no")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Subject: strings.TrimSpace(r.PostFormValue("subject")), TTL: 12 * time.Hour, Now: c.deps.Now()}
	if o.Role != article23.RoleMember {
		o.MemberNo = ""
	} else if o.MemberNo == "" {
		c.renderSignin(w, r, s, http.StatusUnprocessableEntity, map[string]string{"member_no": c.cat.t(language(r), "err.required")})
		return
	}
	o.Subject = devSubject(o)
	tok, err := c.deps.Mint(o)
	if err != nil {
		c.renderSignin(w, r, s, http.StatusUnprocessableEntity, map[string]string{"role": err.Error()})
		return
	}
	next := session{Token: tok, Subject: o.Subject, Role: o.Role, Institute: o.Institute, MemberNo: o.MemberNo,
		Name: o.Name, Expires: o.Now.Add(o.TTL).Unix()}
	if next.Name == "" && o.Role != article23.RoleMember {
		next.Name = c.directoryName(r, &next)
	}
	c.saveSession(w, next)
	c.afterSignin(w, r, safeNext(r.PostFormValue("next")), o.Role)
}

// devSubject is the account signed in as: the one typed, else role@institute[/member], as
// auth.Mint defaults it.
func devSubject(o auth.MintOptions) string {
	if o.Subject != "" {
		return o.Subject
	}
	sub := string(o.Role) + "@" + o.Institute
	if o.MemberNo != "" {
		sub += "/" + o.MemberNo
	}
	return sub
}

// directoryName is the staff directory's name for the session's holder, for the header; ""
// when the directory knows them only by their id (or the lookup fails).
func (c *Console) directoryName(r *http.Request, s *session) string {
	var list wire.StaffList
	q := url.Values{"institute": {s.Institute}, "role": {string(s.Role)}}
	if err := c.get(r, s, "/api/v1/staff", q, &list); err != nil {
		return ""
	}
	for _, m := range list.Staff {
		if m.ID == s.Subject && m.Name != m.ID {
			return m.Name
		}
	}
	return ""
}

func (c *Console) afterSignin(w http.ResponseWriter, r *http.Request, next string, role article23.Role) {
	if next == "" {
		next = home(&session{Token: "x", Role: role})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleSignout revokes the session's token at the API, so a copy of the cookie (or of the
// token) is refused from now on, and clears the cookie. A failed revocation is logged; the
// cookie is cleared all the same.
func (c *Console) handleSignout(w http.ResponseWriter, r *http.Request, s *session) {
	if s.SignedIn() {
		if res := c.call(r, s, apiCall{method: http.MethodPost, path: "/api/v1/session/revocation"}); res.Status != http.StatusNoContent {
			c.log.Warn("sign-out: token not revoked", "status", res.Status)
		}
	}
	c.clearCookie(w, sessionCookie)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
