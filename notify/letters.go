package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/notify/letter"
	"github.com/cicpa/weiquan/store"
)

// ErrNoLetter means the event does not call for a letter.
var ErrNoLetter = errors.New("no letter for this event")

// Letters issues, stores and hands out a case's written notices. The PDF is stored once per
// content under BlobDir/sha256/<2 hex>/<sha256>.pdf; the store's documents row ties it to
// the case, the event and the template version.
type Letters struct {
	Store     *store.Store
	Templates letter.Templates
	Renderer  *letter.Renderer
	BlobDir   string
}

// NewLetters reads the fonts, template and blob directories from cfg (WEIQUAN_FONT,
// WEIQUAN_LATIN_FONT, WEIQUAN_LETTER_DIR, WEIQUAN_BLOB_DIR).
func NewLetters(st *store.Store, cfg config.Config) (*Letters, error) {
	if cfg.BlobDir == "" {
		return nil, errors.New("WEIQUAN_BLOB_DIR: not set; letters need a directory to be stored in")
	}
	if err := os.MkdirAll(cfg.BlobDir, 0o750); err != nil {
		return nil, fmt.Errorf("WEIQUAN_BLOB_DIR: %w", err)
	}
	r, err := letter.NewRenderer(cfg.Font, cfg.LatinFont)
	if err != nil {
		return nil, err
	}
	return &Letters{Store: st, Templates: letter.Templates{Dir: cfg.LetterDir}, Renderer: r, BlobDir: cfg.BlobDir}, nil
}

// Issue renders and stores the letter event seq of the case calls for, once: issuing again
// returns the stored document. An event that calls for no letter is ErrNoLetter.
func (l *Letters) Issue(ctx context.Context, caseNumber string, seq int64) (store.Document, error) {
	view, err := l.Store.Case(ctx, caseNumber)
	if err != nil {
		return store.Document{}, fmt.Errorf("issue letter: %w", err)
	}
	return l.issue(ctx, view, seq)
}

func (l *Letters) issue(ctx context.Context, view store.CaseView, seq int64) (store.Document, error) {
	ev, ok := findEvent(view, seq)
	if !ok {
		return store.Document{}, fmt.Errorf("issue letter %s/%d: %w", view.Case.Number, seq, ErrNoLetter)
	}
	return l.issueEvent(ctx, view.Case, ev)
}

// IssueNotices issues the letters of the recorded events that carry their notice
// (article23.Notice): the recorder calls it at the act, so the letter is on the case at once,
// whatever the hour. Events recorded without a notice are left to Issue (the dispatcher).
func (l *Letters) IssueNotices(ctx context.Context, rs []article23.Record) error {
	var errs []error
	for _, r := range rs {
		if _, has := letter.KindFor(r.Event.Type); !has || noticeOf(r.Event) == nil {
			continue
		}
		if _, err := l.issueEvent(ctx, r.Case, r.Event); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// issueEvent issues the letter of event ev of case c once. c is only read for what the
// event's notice does not state (number, institute; everything for an event without notice).
func (l *Letters) issueEvent(ctx context.Context, c article23.Case, ev article23.Event) (store.Document, error) {
	kind, has := letter.KindFor(ev.Type)
	if !has {
		return store.Document{}, fmt.Errorf("issue letter %s/%d: %w", c.Number, ev.Seq, ErrNoLetter)
	}
	id := fmt.Sprintf("%s-%d", kind, ev.Seq)
	if doc, err := l.Store.Document(ctx, c.Number, id); err == nil || !errors.Is(err, store.ErrNotFound) {
		return doc, err
	}
	tpl, err := l.Templates.Lookup(c.Institute, kind)
	if err != nil {
		return store.Document{}, err
	}
	pdf, data, err := l.render(ctx, c, ev, tpl)
	if err != nil {
		return store.Document{}, err
	}
	sum := sha256.Sum256(pdf)
	hexSum := hex.EncodeToString(sum[:])
	loc, err := l.putBlob(hexSum, pdf)
	if err != nil {
		return store.Document{}, err
	}
	return l.Store.AddDocument(ctx, store.Document{CaseNumber: c.Number, ID: id, Kind: string(kind), EventSeq: ev.Seq,
		Template: tpl.ID, Name: kind.Title() + ".pdf", MediaType: "application/pdf", Size: int64(len(pdf)),
		SHA256: hexSum, Location: loc, IssuedOn: data.IssuedOn, ServedOn: servedAtIssue(c, ev, kind), CreatedAt: ev.At})
}

// render fills template tpl with what event ev of case c states and renders the PDF.
// Rendering is deterministic: the same event and template give the same bytes.
func (l *Letters) render(ctx context.Context, c article23.Case, ev article23.Event, tpl letter.Template) ([]byte, letter.Data, error) {
	inst, err := l.Store.Institute(ctx, c.Institute)
	if err != nil {
		return nil, letter.Data{}, fmt.Errorf("issue letter: %w", err)
	}
	data := letterData(c, ev, tpl.Kind, inst.Name)
	text, err := tpl.Execute(data)
	if err != nil {
		return nil, letter.Data{}, err
	}
	pdf, err := l.Renderer.Render(text, letter.Meta{Title: tpl.Kind.Title(), CaseNumber: c.Number,
		InstituteName: inst.Name, IssuedOn: data.IssuedOn, CreatedAt: ev.At})
	return pdf, data, err
}

// Reproduce renders the stored letter doc again from its event with the template version it
// was issued with, so an auditor can check the stored PDF against the case's log.
func (l *Letters) Reproduce(ctx context.Context, doc store.Document) ([]byte, error) {
	view, err := l.Store.Case(ctx, doc.CaseNumber)
	if err != nil {
		return nil, fmt.Errorf("reproduce letter: %w", err)
	}
	ev, ok := findEvent(view, doc.EventSeq)
	if !ok {
		return nil, fmt.Errorf("reproduce letter %s/%s: event %d: %w", doc.CaseNumber, doc.ID, doc.EventSeq, store.ErrNotFound)
	}
	tpl, err := l.Templates.ByID(doc.Template)
	if err != nil {
		return nil, err
	}
	pdf, _, err := l.render(ctx, view.Case, ev, tpl)
	return pdf, err
}

// servedAtIssue is the served date a letter has when issued: a decision is recorded with the
// date its notice was served (the decision date); the others are served later.
func servedAtIssue(c article23.Case, ev article23.Event, kind letter.Kind) string {
	if kind != letter.Acceptance && kind != letter.NonAcceptance {
		return ""
	}
	if n := noticeOf(ev); n != nil {
		return n.IssuedOn
	}
	if c.Decision != nil {
		return c.Decision.NoticeServedOn
	}
	return ""
}

// Letters returns the case's letters in the order they were issued.
func (l *Letters) Letters(ctx context.Context, caseNumber string) ([]store.Document, error) {
	return l.Store.Documents(ctx, caseNumber)
}

// Document returns a letter and its bytes, checked against the stored SHA-256.
func (l *Letters) Document(ctx context.Context, caseNumber, id string) (store.Document, []byte, error) {
	doc, err := l.Store.Document(ctx, caseNumber, id)
	if err != nil {
		return store.Document{}, nil, err
	}
	b, err := os.ReadFile(filepath.Join(l.BlobDir, filepath.FromSlash(doc.Location)))
	if err != nil {
		return store.Document{}, nil, fmt.Errorf("document %s/%s: %w", caseNumber, id, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != doc.SHA256 {
		return store.Document{}, nil, fmt.Errorf("document %s/%s: blob %s does not match its SHA-256", caseNumber, id, doc.Location)
	}
	return doc, b, nil
}

// MarkServed records the date ("YYYY-MM-DD") the member was served the letter; the first
// recorded date stays.
func (l *Letters) MarkServed(ctx context.Context, caseNumber, id, on string) error {
	if _, err := calendar.ParseDate(on); err != nil {
		return fmt.Errorf("mark served: %w", err)
	}
	return l.Store.MarkDocumentServed(ctx, caseNumber, id, on)
}

// putBlob writes b under its SHA-256 unless it is there already, atomically.
func (l *Letters) putBlob(sum string, b []byte) (string, error) {
	loc := "sha256/" + sum[:2] + "/" + sum + ".pdf"
	path := filepath.Join(l.BlobDir, filepath.FromSlash(loc))
	if _, err := os.Stat(path); err == nil {
		return loc, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("store letter: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("store letter: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		return "", fmt.Errorf("store letter: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("store letter: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("store letter: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("store letter: %w", err)
	}
	return loc, nil
}

func findEvent(view store.CaseView, seq int64) (article23.Event, bool) {
	for _, e := range view.Events {
		if e.Seq == seq {
			return e, true
		}
	}
	return article23.Event{}, false
}

// attachment loads doc's bytes as an e-mail attachment.
func (l *Letters) attachment(ctx context.Context, doc store.Document) (*Attachment, error) {
	_, b, err := l.Document(ctx, doc.CaseNumber, doc.ID)
	if err != nil {
		return nil, err
	}
	return &Attachment{DocumentID: doc.ID, Title: strings.TrimSuffix(doc.Name, ".pdf"), Name: doc.CaseNumber + "-" + doc.ID + ".pdf", MediaType: doc.MediaType, SHA256: doc.SHA256, Data: b}, nil
}
