package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cicpa/weiquan/blob"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// Attachment limits: per file and per case.
const (
	maxFileBytes = 20 << 20
	maxCaseBytes = 100 << 20
)

// uploadLimit caps an upload request at the per-case total plus multipart overhead.
var uploadLimit = middleware.BodyLimit("101MiB") // binary, like the caps (20 MiB a file, 100 MiB a case)

// handleUpload stores the files of a multipart request (field "file", repeatable) and
// records them on the case. Types are sniffed from content, never trusted from the name.
func (s *Server) handleUpload(c echo.Context) error {
	v, err := s.visibleCase(c, permAttach)
	if err != nil {
		return err
	}
	if err := takesMaterials(v.Case.Stage); err != nil {
		return err
	}
	mr, err := multipartReader(c)
	if err != nil {
		return err
	}
	used := int64(0)
	for _, a := range v.Attachments {
		used += a.Size
	}
	var files []store.Attachment
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return problem(http.StatusBadRequest, "malformed_multipart", err.Error())
		}
		if part.FormName() != "file" {
			continue
		}
		a, err := s.storeFile(c, v.Case.Number, part, &used)
		if err != nil {
			return err
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		return invalid([]FieldProblem{fieldProblem("file", "send at least one file in the multipart field \"file\"")})
	}
	// every file or none, the cap held against parallel uploads of the same case
	err = s.deps.Store.AddAttachments(c.Request().Context(), files, maxCaseBytes)
	if errors.Is(err, store.ErrAttachmentsFull) {
		return problem(http.StatusRequestEntityTooLarge, "case_attachments_full", "a case holds at most 100 MiB of attachments")
	}
	if err != nil {
		return err
	}
	if err := s.logAttachments(c, v.Case.Number, files); err != nil {
		return err
	}
	added := make([]wire.Attachment, len(files))
	for i, a := range files {
		added[i] = newAttachmentResponse(a)
	}
	return c.JSON(http.StatusCreated, wire.Attachments{Attachments: added})
}

func multipartReader(c echo.Context) (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, problem(http.StatusUnsupportedMediaType, "unsupported_media_type", "send files as multipart/form-data")
	}
	return multipart.NewReader(c.Request().Body, params["boundary"]), nil
}

// storeFile reads one part (at most maxFileBytes), checks its type and the case's running
// total (used; the store checks the cap again under its lock) and writes the blob; the
// attachment is recorded with the request's other files.
func (s *Server) storeFile(c echo.Context, number string, part *multipart.Part, used *int64) (store.Attachment, error) {
	data, err := io.ReadAll(io.LimitReader(part, maxFileBytes+1))
	var limit *echo.HTTPError
	if errors.As(err, &limit) {
		return store.Attachment{}, err // the request body limit (413)
	} else if err != nil {
		return store.Attachment{}, problem(http.StatusBadRequest, "malformed_multipart", "the body ended inside a file: "+err.Error())
	}
	name := cleanName(part.FileName())
	switch {
	case len(data) > maxFileBytes:
		return store.Attachment{}, problem(http.StatusRequestEntityTooLarge, "file_too_large", fmt.Sprintf("%s is larger than 20 MiB", name))
	case *used+int64(len(data)) > maxCaseBytes:
		return store.Attachment{}, problem(http.StatusRequestEntityTooLarge, "case_attachments_full", "a case holds at most 100 MiB of attachments")
	}
	media, ok := sniff(data)
	if !ok {
		return store.Attachment{}, problem(http.StatusUnsupportedMediaType, "unsupported_file_type",
			name+": only PDF, JPEG, PNG and Office documents are accepted")
	}
	loc, hexSum, err := blob.Store{Dir: s.deps.BlobDir}.Put(data)
	if err != nil {
		return store.Attachment{}, fmt.Errorf("attachments: %w", err)
	}
	a := store.Attachment{CaseNumber: number, ID: hexSum[:16], Name: name, Size: int64(len(data)), MediaType: media,
		SHA256: hexSum, Location: loc, UploadedBy: s.actor(claimsOf(c)), UploadedAt: s.deps.Now().UTC()}
	*used += a.Size
	return a, nil
}

// cleanName keeps the base name of an uploaded file, printable and at most 200 characters.
func cleanName(n string) string {
	n = filepath.Base(strings.ReplaceAll(n, `\`, "/"))
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, n)
	if !utf8.ValidString(n) || n == "." || n == "/" || n == "" {
		return "attachment"
	}
	if r := []rune(n); len(r) > 200 {
		n = string(r[len(r)-200:])
	}
	return n
}

// handleListAttachments lists the case's attachments.
func (s *Server) handleListAttachments(c echo.Context) error {
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	out := []wire.Attachment{}
	for _, a := range v.Attachments {
		out = append(out, newAttachmentResponse(a))
	}
	return c.JSON(http.StatusOK, wire.Attachments{Attachments: out})
}

// handleDownload serves one attachment's bytes with its sniffed type; a download by staff is
// audited first.
func (s *Server) handleDownload(c echo.Context) error {
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	a, ok := findAttachment(v.Attachments, c.Param("id"))
	if !ok {
		return store.ErrNotFound
	}
	f, err := blob.Store{Dir: s.deps.BlobDir}.Open(a.Location)
	if err != nil {
		return fmt.Errorf("attachment %s/%s: %w", a.CaseNumber, a.ID, err)
	}
	defer func() { _ = f.Close() }() // only read: a failed close says nothing about what was sent
	if err := s.auditDownload(c, v.Case.Number, "attachment", a.ID, a.Name); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Digest", "sha-256="+a.SHA256)
	return c.Stream(http.StatusOK, a.MediaType, f)
}

func findAttachment(atts []store.Attachment, id string) (store.Attachment, bool) {
	for _, a := range atts {
		if a.ID == id {
			return a, true
		}
	}
	return store.Attachment{}, false
}
