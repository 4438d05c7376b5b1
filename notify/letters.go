package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
	kind, has := letter.KindFor(ev.Type)
	if !ok || !has {
		return store.Document{}, fmt.Errorf("issue letter %s/%d: %w", view.Case.Number, seq, ErrNoLetter)
	}
	id := fmt.Sprintf("%s-%d", kind, seq)
	if doc, err := l.Store.Document(ctx, view.Case.Number, id); err == nil || !errors.Is(err, store.ErrNotFound) {
		return doc, err
	}
	inst, err := l.Store.Institute(ctx, view.Case.Institute)
	if err != nil {
		return store.Document{}, fmt.Errorf("issue letter: %w", err)
	}
	data := letterData(view, ev, kind, inst.Name)
	tpl, err := l.Templates.Lookup(view.Case.Institute, kind)
	if err != nil {
		return store.Document{}, err
	}
	text, err := tpl.Execute(data)
	if err != nil {
		return store.Document{}, err
	}
	pdf, err := l.Renderer.Render(text, letter.Meta{Title: kind.Title(), CaseNumber: view.Case.Number,
		InstituteName: inst.Name, IssuedOn: data.IssuedOn, CreatedAt: ev.At})
	if err != nil {
		return store.Document{}, err
	}
	sum := sha256.Sum256(pdf)
	hexSum := hex.EncodeToString(sum[:])
	loc, err := l.putBlob(hexSum, pdf)
	if err != nil {
		return store.Document{}, err
	}
	served := "" // set when a delivery to the member succeeds, or by the API for paper service
	if c := view.Case.Decision; c != nil && (kind == letter.Acceptance || kind == letter.NonAcceptance) {
		served = c.NoticeServedOn // the secretary records the decision with the date its notice was served
	}
	return l.Store.AddDocument(ctx, store.Document{CaseNumber: view.Case.Number, ID: id, Kind: string(kind), EventSeq: seq,
		Template: tpl.ID, Name: kind.Title() + ".pdf", MediaType: "application/pdf", Size: int64(len(pdf)),
		SHA256: hexSum, Location: loc, ServedOn: served, CreatedAt: ev.At})
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
		tmp.Close()
		return "", fmt.Errorf("store letter: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("store letter: %w", err)
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

// letterData gathers what the letter of kind for event ev says about the case in view.
func letterData(view store.CaseView, ev article23.Event, kind letter.Kind, instituteName string) letter.Data {
	c := view.Case
	var ed article23.EventData
	_ = json.Unmarshal(ev.Data, &ed)
	d := letter.Data{Kind: kind, CaseNumber: c.Number, InstituteName: instituteName, MemberName: c.Applicant.Name,
		MemberNo: c.Applicant.MemberNo, Counterparty: c.Counterparty, ReceivedOn: c.ReceivedOn,
		IssuedOn: firstOf(ed.Date, calendar.DateOf(ev.At).String())}
	if c.Decision != nil {
		d.DecidedOn, d.Reasons = c.Decision.DecidedOn, c.Decision.Reasons
	}
	for _, n := range []article23.ClockName{article23.ClockCommittee, article23.ClockFeedback} {
		if k, ok := c.Clock(n); ok && kind == letter.Acceptance {
			d.Deadlines = append(d.Deadlines, letter.Deadline{Label: letter.ClockLabel(n), Due: k.Due, Workdays: k.Workdays, Explanation: k.Explanation})
		}
	}
	if kind == letter.Extension {
		d.OldDue, d.NewDue = ed.OldDue, ed.NewDue
		if ed.ExtensionID >= 1 && ed.ExtensionID <= len(c.Extensions) {
			d.ExtensionReason = c.Extensions[ed.ExtensionID-1].Reason
		}
		if k, ok := c.Clock(article23.ClockFeedback); ok && k.Due == ed.NewDue {
			d.NewDueNote = k.Explanation
		}
	}
	if c.Committee != nil {
		d.CommitteeHeldOn, d.ExpertOpinion = c.Committee.HeldOn, c.Committee.ExpertOpinion
	}
	if c.Feedback != nil {
		d.FeedbackGivenOn, d.FeedbackManner, d.FeedbackSummary = c.Feedback.GivenOn, letter.MannerLabel(c.Feedback.Manner), c.Feedback.Summary
	}
	return d
}

// attachment loads doc's bytes as an e-mail attachment.
func (l *Letters) attachment(ctx context.Context, doc store.Document) (*Attachment, error) {
	_, b, err := l.Document(ctx, doc.CaseNumber, doc.ID)
	if err != nil {
		return nil, err
	}
	return &Attachment{DocumentID: doc.ID, Name: doc.CaseNumber + "-" + doc.ID + ".pdf", MediaType: doc.MediaType, SHA256: doc.SHA256, Data: b}, nil
}
