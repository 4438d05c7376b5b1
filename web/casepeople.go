package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// Who has a case: its assignee, claiming it from the queue, handing it to a colleague, and
// the people of its timeline by name.

// colleagues are the active secretaries of the viewer's institute other than the case's
// assignee: whom the case can be handed to. A failure costs only the form (logged).
func (c *Console) colleagues(r *http.Request, s *session, assignee string) []wire.Staff {
	var list wire.StaffList
	q := url.Values{"role": {string(article23.RoleSecretary)}, "active": {"true"}}
	if err := c.get(r, s, "/api/v1/staff", q, &list); err != nil {
		c.log.Warn("web: secretaries of the institute", "error", err)
		return nil
	}
	return slices.DeleteFunc(list.Staff, func(m wire.Staff) bool { return m.ID == assignee })
}

// timeline is the case's log, newest first, each entry with its actor's display name and,
// for a hand-over, from whom to whom.
func (c *Console) timeline(k wire.Case, others []wire.Staff, lang string) []eventRow {
	names := knownNames(k, others)
	rows := make([]eventRow, 0, len(k.Events))
	for i := len(k.Events) - 1; i >= 0; i-- {
		e := k.Events[i]
		row := eventRow{Event: e, When: localTime(lang, e.At)}
		if e.Actor.Role != article23.RoleSystem && e.Actor.Name != e.Actor.ID {
			row.Who = e.Actor.Name
		}
		if row.Detail = c.handsDetail(e, names, lang); row.Detail == "" {
			row.Detail = c.eventDetail(e, lang)
		}
		rows = append(rows, row)
	}
	return c.withDownloads(rows, k.Downloads, lang)
}

// eventDownloaded names a download's line of the timeline; downloads are no event of the
// case's log (they change nothing), so their lines have no seq.
const eventDownloaded article23.EventType = "downloaded"

// withDownloads merges the staff's downloads into rows (newest first), each with who took
// which file.
func (c *Console) withDownloads(rows []eventRow, ds []wire.Download, lang string) []eventRow {
	for _, d := range ds {
		key := "detail.downloaded_attachment"
		if d.FileKind == "document" {
			key = "detail.downloaded_document"
		}
		row := eventRow{Event: article23.Event{Type: eventDownloaded, At: d.At, Actor: d.Actor}, When: localTime(lang, d.At),
			Detail: c.cat.t(lang, key, d.FileName)}
		if d.Actor.Name != d.Actor.ID {
			row.Who = d.Actor.Name
		}
		i := slices.IndexFunc(rows, func(r eventRow) bool { return r.At.Before(d.At) })
		if i < 0 {
			i = len(rows)
		}
		rows = slices.Insert(rows, i, row)
	}
	return rows
}

// handsDetail says from whom to whom a case went (reassigned); a claim is the actor's, whom
// the line names already.
func (c *Console) handsDetail(e article23.Event, names map[string]string, lang string) string {
	var d article23.EventData
	_ = json.Unmarshal(e.Data, &d) // written by the workflow from the same struct
	name := func(id string) string {
		if n := names[id]; n != "" {
			return n
		}
		return id // nobody the directory knows: the id is all there is
	}
	switch {
	case e.Type != article23.EventReassigned:
		return ""
	case d.Previous == "":
		return c.cat.t(lang, "event.reassigned_from_queue", name(d.Secretary))
	}
	return c.cat.t(lang, "event.reassigned_detail", name(d.Previous), name(d.Secretary))
}

// knownNames are the display names the case document and the directory give for ids: the
// assignee, every actor, every person a change of hands named, the institute's secretaries.
func knownNames(k wire.Case, others []wire.Staff) map[string]string {
	names := map[string]string{}
	add := func(id, name string) {
		if id != "" && name != "" && name != id {
			names[id] = name
		}
	}
	for _, e := range k.Events {
		var d article23.EventData
		if json.Unmarshal(e.Data, &d) == nil {
			add(d.Secretary, d.Name)
		}
	}
	for _, e := range k.Events {
		add(e.Actor.ID, e.Actor.Name) // the directory's current names win over those logged
	}
	for _, m := range others {
		add(m.ID, m.Name)
	}
	if a := k.Assignee; a != nil {
		add(a.ID, a.Name)
	}
	return names
}
