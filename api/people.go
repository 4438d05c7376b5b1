package api

import (
	"context"
	"sync"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// named fills the display names of the people r mentions (the assignee, the submitter,
// actors of the log, requesters and deciders of extensions, acknowledgers of escalations)
// from the staff directory, which is the current truth. An id the directory does not know
// keeps the name its token gave, or shows the id.
func (s *Server) named(ctx context.Context, r wire.Case) wire.Case {
	ids := []string{r.SubmittedBy.ID}
	if r.Secretary != "" {
		ids = append(ids, r.Secretary)
	}
	for _, e := range r.Events {
		ids = append(ids, e.Actor.ID)
	}
	for _, e := range r.Extensions {
		ids = append(ids, e.RequestedBy.ID)
		if e.DecidedBy != nil {
			ids = append(ids, e.DecidedBy.ID)
		}
	}
	for _, d := range r.Downloads {
		ids = append(ids, d.Actor.ID)
	}
	for _, e := range r.Escalations {
		if e.AcknowledgedBy != nil {
			ids = append(ids, e.AcknowledgedBy.ID)
		}
	}
	names := s.staffNames(ctx, ids)
	name := func(a *article23.Actor) {
		if n, ok := names[a.ID]; ok {
			a.Name = n
		}
	}
	if r.Secretary != "" {
		r.Assignee = &wire.Person{ID: r.Secretary, Name: orID(names[r.Secretary], r.Secretary)}
	}
	name(&r.SubmittedBy)
	for i := range r.Events {
		name(&r.Events[i].Actor)
	}
	for i := range r.Extensions {
		name(&r.Extensions[i].RequestedBy)
		if d := r.Extensions[i].DecidedBy; d != nil {
			v := *d
			name(&v)
			r.Extensions[i].DecidedBy = &v
		}
	}
	for i := range r.Downloads {
		name(&r.Downloads[i].Actor)
	}
	for i := range r.Escalations {
		if a := r.Escalations[i].AcknowledgedBy; a != nil {
			v := *a
			name(&v)
			r.Escalations[i].AcknowledgedBy = &v
		}
	}
	return r
}

// staffNames looks ids up in the directory; a failed lookup only costs the names (logged).
func (s *Server) staffNames(ctx context.Context, ids []string) map[string]string {
	seen := map[string]bool{}
	var unique []string
	for _, id := range ids {
		if id != "" && id != article23.SystemActor.ID && !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	names, err := s.deps.Store.StaffNames(ctx, unique)
	if err != nil {
		s.log.Warn("staff names", "err", err)
		return map[string]string{}
	}
	return names
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// directory keeps the staff directory in step with sign-ins: a staff token's subject joins
// it on first use, and a deactivated account is refused. Each subject is written at most
// once per seenEvery (and whenever its name changes), so ordinary traffic does not write.
type directory struct {
	mu   sync.Mutex
	seen map[string]seenEntry
}

type seenEntry struct {
	at     time.Time
	name   string
	active bool
}

const seenEvery = time.Minute

// see records the caller if it is staff and reports whether their account is active.
func (s *Server) see(ctx context.Context, cl auth.Claims) (active bool, err error) {
	if !store.IsStaffRole(cl.Role) {
		return true, nil
	}
	now := s.deps.Now()
	d := &s.dir
	d.mu.Lock()
	e, ok := d.seen[cl.Subject]
	d.mu.Unlock()
	if ok && now.Sub(e.at) < seenEvery && (cl.Name == "" || cl.Name == e.name) {
		return e.active, nil
	}
	m, err := s.deps.Store.SeeStaff(ctx, store.StaffMember{ID: cl.Subject, Institute: cl.Institute, Role: cl.Role, Name: cl.Name})
	if err != nil {
		return false, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil || len(d.seen) > 10000 {
		d.seen = map[string]seenEntry{}
	}
	d.seen[cl.Subject] = seenEntry{at: now, name: m.Name, active: m.Active}
	return m.Active, nil
}

// actor is the caller as the workflow records them, named as the directory names them when
// their token carries no name (development tokens, issuers without a name claim).
func (s *Server) actor(cl auth.Claims) article23.Actor {
	a := cl.Actor()
	if a.Name == "" && store.IsStaffRole(cl.Role) {
		s.dir.mu.Lock()
		a.Name = s.dir.seen[cl.Subject].name
		s.dir.mu.Unlock()
	}
	return a
}

// forget drops a cached entry, so a deactivation or reactivation takes effect at once on
// this process (other replicas within seenEvery).
func (s *Server) forget(id string) {
	s.dir.mu.Lock()
	delete(s.dir.seen, id)
	s.dir.mu.Unlock()
}
