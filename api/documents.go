package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// DocumentSource hands out a case's written notices (受理通知书, 不予受理通知书, 延期通知书,
// 反馈意见书) and records their service. *notify.Letters implements it; the API depends on
// this interface only, so it needs neither the fonts nor the renderer.
type DocumentSource interface {
	// Letters lists the case's letters in the order they were issued.
	Letters(ctx context.Context, caseNumber string) ([]store.Document, error)
	// Document returns a letter and its bytes, checked against the stored SHA-256.
	Document(ctx context.Context, caseNumber, id string) (store.Document, []byte, error)
	// MarkServed records the date a letter was served; the first recorded date stays.
	MarkServed(ctx context.Context, caseNumber, id, on string) error
}

func newDocumentResponse(d store.Document) wire.Document {
	issued := d.IssuedOn
	if issued == "" {
		issued = calendar.DateOf(d.CreatedAt).String()
	}
	return wire.Document{ID: d.ID, Kind: d.Kind, Title: strings.TrimSuffix(d.Name, ".pdf"), CreatedAt: sh(d.CreatedAt), IssuedOn: issued,
		ServedOn: d.ServedOn, SHA256: d.SHA256, Size: d.Size}
}

// documents is the letter source, or a 503 when this process was started without one.
func (s *Server) documents() (DocumentSource, error) {
	if s.deps.Documents == nil {
		return nil, problem(http.StatusServiceUnavailable, "letters_unavailable", "written notices are not configured on this server")
	}
	return s.deps.Documents, nil
}

// caseLetters authorises p on the request's case and lists its letters.
func (s *Server) caseLetters(c echo.Context, p permission) (string, []store.Document, error) {
	src, err := s.documents()
	if err != nil {
		return "", nil, err
	}
	v, err := s.visibleCase(c, p)
	if err != nil {
		return "", nil, err
	}
	docs, err := src.Letters(c.Request().Context(), v.Case.Number)
	return v.Case.Number, docs, err
}

// handleListDocuments lists the case's written notices.
func (s *Server) handleListDocuments(c echo.Context) error {
	_, docs, err := s.caseLetters(c, permView)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.Documents{Documents: documentResponses(docs)})
}

// handleDocument serves one letter's PDF once its bytes match the recorded SHA-256; a
// mismatch is a server fault (500), never a silently different letter. A download by staff
// is audited first.
func (s *Server) handleDocument(c echo.Context) error {
	src, err := s.documents()
	if err != nil {
		return err
	}
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	d, b, err := src.Document(c.Request().Context(), v.Case.Number, c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.auditDownload(c, v.Case.Number, "document", d.ID, d.Name); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, letterDisposition(v.Case.Number, d))
	h.Set("Digest", "sha-256="+d.SHA256)
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, "application/pdf", b)
}

// letterDisposition names the download "<case>-<title>.pdf" (RFC 5987 filename*), with an
// ASCII "<case>-<id>.pdf" for clients that read only filename.
func letterDisposition(number string, d store.Document) string {
	title := strings.TrimSuffix(d.Name, ".pdf")
	if title == "" {
		title = d.ID
	}
	ascii := asciiName(number + "-" + d.ID + ".pdf")
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, rfc5987(number+"-"+title+".pdf"))
}

// asciiName keeps letters, digits, '.', '-' and '_'; anything else becomes '_'.
func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_", r)) {
			return r
		}
		return '_'
	}, s)
}

// rfc5987 percent-encodes s as an RFC 5987 value: attr-chars stay, every other byte is %XX.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// handleMarkServed records when a letter was served (staff of the case's institute): not
// after today, not before the letter was issued. The first recorded date stays: the same
// date again is 200, a different one 409.
func (s *Server) handleMarkServed(c echo.Context) error {
	var req wire.ServedRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	var f fields
	f.date("served_on", req.ServedOn)
	if err := f.err(); err != nil {
		return err
	}
	number, docs, err := s.caseLetters(c, permStaff)
	if err != nil {
		return err
	}
	d, ok := findDocument(docs, c.Param("id"))
	if !ok {
		return store.ErrNotFound
	}
	if err := servedDateRules(req.ServedOn, d, s.deps.Now()); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.deps.Documents.MarkServed(ctx, number, d.ID, req.ServedOn); err != nil {
		return err
	}
	if docs, err = s.deps.Documents.Letters(ctx, number); err != nil {
		return err
	}
	if d, _ = findDocument(docs, d.ID); d.ServedOn != req.ServedOn {
		return problem(http.StatusConflict, "already_served", fmt.Sprintf("this notice was recorded as served on %s", d.ServedOn))
	}
	return c.JSON(http.StatusOK, newDocumentResponse(d))
}

// servedDateRules: a notice is served between the day it was issued and today (Asia/Shanghai).
func servedDateRules(on string, d store.Document, now time.Time) error {
	var f fields
	today, issued := calendar.DateOf(now).String(), newDocumentResponse(d).IssuedOn
	switch {
	case on > today:
		f.add("served_on", "%s is after today (%s, Asia/Shanghai)", on, today)
	case on < issued:
		f.add("served_on", "%s is before the notice was issued (%s)", on, issued)
	}
	return f.err()
}

func findDocument(docs []store.Document, id string) (store.Document, bool) {
	for _, d := range docs {
		if d.ID == id {
			return d, true
		}
	}
	return store.Document{}, false
}
