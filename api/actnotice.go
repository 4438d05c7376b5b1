package api

import (
	"context"
	"slices"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// noticeWait bounds how long an act's answer waits for the written notice the act issued:
// the recorder renders it right after the update, in well under a second. A notice that is
// late (a slow disk, letters issued by the dispatcher only) leaves the answer without it,
// never fails the act: GET …/documents lists it once it is there.
const noticeWait = 10 * time.Second

// noticePoll is how often the letters are read while waiting.
const noticePoll = 50 * time.Millisecond

// issuesNotice reports whether the act that turned before into after calls for a written
// notice: a decision (受理 or 不予受理), an approved extension, the feedback.
func issuesNotice(before, after article23.Case) bool {
	return before.Decision == nil && after.Decision != nil ||
		before.Feedback == nil && after.Feedback != nil ||
		approved(after.Extensions) > approved(before.Extensions)
}

func approved(xs []article23.Extension) int {
	n := 0
	for _, x := range xs {
		if x.State == article23.ExtensionApproved {
			n++
		}
	}
	return n
}

// actDocuments lists the case's letters for an act's answer: when the act issued a notice,
// once there is a letter of an event after the last one the case had before the act (seen),
// or after noticeWait.
func (s *Server) actDocuments(ctx context.Context, number string, seen int64, wait bool) []wire.Document {
	if s.deps.Documents == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, noticeWait)
	defer cancel()
	tick := time.NewTicker(noticePoll)
	defer tick.Stop()
	for {
		docs, err := s.deps.Documents.Letters(ctx, number)
		if err == nil && (!wait || slices.ContainsFunc(docs, func(d store.Document) bool { return d.EventSeq > seen })) {
			return documentResponses(docs)
		}
		select {
		case <-ctx.Done():
			if err != nil {
				s.log.WarnContext(ctx, "letters not listed with the act", "case", number, "error", err)
			}
			return documentResponses(docs)
		case <-tick.C:
		}
	}
}

// lastSeq is the seq of the newest event in evs, 0 when there is none.
func lastSeq(evs []article23.Event) int64 {
	if len(evs) == 0 {
		return 0
	}
	return evs[len(evs)-1].Seq
}

func documentResponses(docs []store.Document) []wire.Document {
	out := make([]wire.Document, len(docs))
	for i, d := range docs {
		out[i] = newDocumentResponse(d)
	}
	return out
}
