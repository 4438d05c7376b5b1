package web

import (
	"bytes"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// casesPage is a list of cases: a member's own requests, or a staff search, narrowed by the
// filters a dashboard's counts link to.
type casesPage struct {
	Cases   []wire.Summary
	Query   string
	Filters []string // the active filters, in words
	Next    string   // the next page's URL, filters kept
}

// caseFilters are the list filters the console passes to GET /cases as they are.
var caseFilters = []string{"q", "stage", "institute", "breached", "open", "due_within"}

// handleCases lists the caller's cases (the API scopes them), filtered by ?q= and the
// dashboard's filters (stage, institute, breached, open, due_within).
func (c *Console) handleCases(w http.ResponseWriter, r *http.Request, s *session) {
	q := url.Values{}
	for _, k := range caseFilters {
		if v := strings.TrimSpace(r.URL.Query().Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	page := url.Values{}
	maps.Copy(page, q)
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		page.Set("cursor", cur)
	}
	var list wire.CaseList
	if err := c.get(r, s, "/api/v1/cases", page, &list); err != nil {
		c.apiFailure(w, r, s, err)
		return
	}
	title := "cases.title"
	if !s.Is("member") {
		title = "search.title"
	}
	v := c.newView(r, s, title, nil)
	p := casesPage{Cases: list.Cases, Query: q.Get("q"), Filters: filterWords(v, q)}
	if list.Next != "" {
		q.Set("cursor", list.Next)
		p.Next = "/cases?" + q.Encode()
	}
	v.Data = p
	c.render(w, http.StatusOK, "cases", v)
}

// filterWords says in words which filters narrow the list.
func filterWords(v *view, q url.Values) []string {
	var out []string
	if in := q.Get("institute"); in != "" {
		out = append(out, v.T("inst."+in))
	}
	if st := q.Get("stage"); st != "" {
		out = append(out, v.T("stage."+st))
	}
	for _, f := range []struct{ param, no, yes string }{{"open", "filter.finished", "filter.open"}, {"breached", "filter.not_breached", "filter.breached"}} {
		if b, err := strconv.ParseBool(q.Get(f.param)); err == nil {
			key := f.no
			if b {
				key = f.yes
			}
			out = append(out, v.T(key))
		}
	}
	if n, err := strconv.Atoi(q.Get("due_within")); err == nil {
		out = append(out, v.T("filter.due_within", n))
	}
	return out
}

// newCasePage is the submission form: a member's own request, or paper materials a
// secretary registers with the date they arrived.
type newCasePage struct {
	Paper      bool
	Today      string
	Kinds      []article23.MemberKind
	Categories []string
}

var categories = []string{"labour", "contract", "fees", "reputation", "administrative", "other"}

func (c *Console) handleNewCase(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderNewCase(w, r, s, http.StatusOK, nil)
}

func (c *Console) renderNewCase(w http.ResponseWriter, r *http.Request, s *session, status int, p *wire.Problem) {
	paper := !s.Is("member")
	title := "new.title"
	if paper {
		title = "paper.title"
	}
	v := c.newView(r, s, title, newCasePage{Paper: paper, Today: calendar.DateOf(c.deps.Now()).String(),
		Kinds: []article23.MemberKind{article23.MemberPractising, article23.MemberNonPractising, article23.MemberFirm}, Categories: categories})
	if p != nil {
		v.Form = r.PostForm
		c.showProblem(v, p, "")
	}
	c.render(w, status, "newcase", v)
}

// handleCreateCase posts the request to the API, then its attachments, then shows the case.
func (c *Console) handleCreateCase(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostFormValue
	body := wire.CreateCaseRequest{Institute: s.Institute,
		Applicant:    article23.Applicant{MemberNo: f("applicant.member_no"), Name: f("applicant.name"), Kind: article23.MemberKind(f("applicant.kind"))},
		Counterparty: f("counterparty"), Category: f("category"), Summary: f("summary"), Claims: f("claims")}
	if s.Is("member") {
		body.Applicant.MemberNo = s.MemberNo
	} else {
		body.ReceivedOn = f("received_on")
	}
	res := c.postJSON(r, s, "/api/v1/cases", formNonce(r), body)
	var created wire.Case
	if err := res.decode(&created); err != nil {
		c.formFailure(w, r, s, err, func(p *wire.Problem) { c.renderNewCase(w, r, s, statusOf(p), p) })
		return
	}
	done := "submitted"
	// a resubmitted form (200: the API saw its Idempotency-Key) has uploaded its files already
	if res.Status != http.StatusOK && r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		if up := c.uploadFiles(r, s, created.Number); !up.OK() {
			done = "submitted_upload_failed"
		}
	}
	redirect(w, r, "/cases/"+url.PathEscape(created.Number), done)
}

// uploadFiles forwards the form's files to the API's attachment upload.
func (c *Console) uploadFiles(r *http.Request, s *session, number string) apiResult {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, fh := range r.MultipartForm.File["file"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		src, err := fh.Open()
		if err != nil {
			return apiResult{Status: http.StatusBadRequest}
		}
		dst, _ := mw.CreateFormFile("file", fh.Filename)
		_, err = io.Copy(dst, src)
		_ = src.Close()
		if err != nil {
			return apiResult{Status: http.StatusBadRequest}
		}
	}
	_ = mw.Close()
	return c.call(r, s, apiCall{method: http.MethodPost, path: casePath(number, "attachments"), body: &buf, contentType: mw.FormDataContentType()})
}

// handleUpload adds attachments to an existing case.
func (c *Console) handleUpload(w http.ResponseWriter, r *http.Request, s *session) {
	number := r.PathValue("number")
	if r.MultipartForm == nil {
		c.fail(w, r, s, http.StatusBadRequest, "error.bad_form")
		return
	}
	res := c.uploadFiles(r, s, number)
	if !res.OK() {
		c.formFailure(w, r, s, res.problem(), func(p *wire.Problem) { c.renderCase(w, r, s, number, statusOf(p), p, "file") })
		return
	}
	redirect(w, r, "/cases/"+url.PathEscape(number), "uploaded")
}

// handleDownload passes an attachment through from the API.
func (c *Console) handleDownload(w http.ResponseWriter, r *http.Request, s *session) {
	c.passThrough(w, r, s, casePath(r.PathValue("number"), "attachments", url.PathEscape(r.PathValue("id"))))
}

func (c *Console) today() string { return calendar.DateOf(c.deps.Now()).String() }
