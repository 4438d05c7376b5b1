package store

import (
	"context"
	"sync"
	"time"
)

// Figures are the operational counts a metrics scrape exports, read in one statement.
type Figures struct {
	OpenCases      []Count // Labels: institute, stage
	BreachedClocks []Count // Labels: institute, clock (breached clocks of open cases)
	// UnacknowledgedEscalations are the escalations nobody has acknowledged or resolved,
	// by level; Overdue are those among them raised before the cutoff passed to Figures.
	UnacknowledgedEscalations []Count // Labels: level
	OverdueEscalations        []Count // Labels: level
	OutboxPending             []Count // Labels: audience
	OutboxDead                int64
	ProvisionalDeadlines      int64 // running clocks of open cases whose due date is provisional
	ReadAt                    time.Time
}

// Count is one labelled count of Figures.
type Count struct {
	Labels [2]string
	N      int64
}

// figuresSQL reads every figure in one round trip: each branch is a grouped count over a
// partial index (open cases, running or breached clocks, open escalations, pending outbox).
const figuresSQL = `
SELECT 'open' AS kind, institute AS a, stage AS b, COUNT(*) AS n FROM cases WHERE is_open GROUP BY institute, stage
UNION ALL SELECT 'breached', institute, name, COUNT(*) FROM clocks WHERE state = 'breached' AND case_open GROUP BY institute, name
UNION ALL SELECT 'unacked', CAST(level AS text), '', COUNT(*) FROM escalations
  WHERE acknowledged_at IS NULL AND resolved_at IS NULL GROUP BY level
UNION ALL SELECT 'overdue', CAST(level AS text), '', COUNT(*) FROM escalations
  WHERE acknowledged_at IS NULL AND resolved_at IS NULL AND raised_at < ? GROUP BY level
UNION ALL SELECT 'pending', audience, '', COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY audience
UNION ALL SELECT 'dead', '', '', COUNT(*) FROM outbox WHERE state = 'dead'
UNION ALL SELECT 'provisional', '', '', COUNT(*) FROM clocks WHERE state = 'running' AND case_open AND provisional`

type figureRow struct {
	Kind, A, B string
	N          int64
}

// Figures reads the operational counts; escalations raised before overdueBefore count as
// overdue. Each call is one query: use FigureCache to bound how often scrapes run it.
func (s *Store) Figures(ctx context.Context, overdueBefore time.Time) (Figures, error) {
	var rows []figureRow
	if err := s.db.WithContext(ctx).Raw(figuresSQL, overdueBefore.UTC()).Scan(&rows).Error; err != nil {
		return Figures{}, wrap("read figures", err)
	}
	f := Figures{ReadAt: s.now()}
	for _, r := range rows {
		c := Count{Labels: [2]string{r.A, r.B}, N: r.N}
		switch r.Kind {
		case "open":
			f.OpenCases = append(f.OpenCases, c)
		case "breached":
			f.BreachedClocks = append(f.BreachedClocks, c)
		case "unacked":
			f.UnacknowledgedEscalations = append(f.UnacknowledgedEscalations, c)
		case "overdue":
			f.OverdueEscalations = append(f.OverdueEscalations, c)
		case "pending":
			f.OutboxPending = append(f.OutboxPending, c)
		case "dead":
			f.OutboxDead = r.N
		case "provisional":
			f.ProvisionalDeadlines = r.N
		}
	}
	return f, nil
}

// FigureCache keeps the last Figures for MaxAge, so any number of scrapers (two Prometheus
// servers, several API replicas' dashboards) cost the database one query per MaxAge.
type FigureCache struct {
	Store  *Store
	MaxAge time.Duration

	mu   sync.Mutex
	last Figures
	ok   bool
}

// Get returns cached figures younger than MaxAge, or reads them again. A failed read is not
// cached: the next scrape tries again.
func (c *FigureCache) Get(ctx context.Context, overdueBefore time.Time) (Figures, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.Store.now().Sub(c.last.ReadAt) < c.MaxAge {
		return c.last, nil
	}
	f, err := c.Store.Figures(ctx, overdueBefore)
	if err != nil {
		return Figures{}, err
	}
	c.last, c.ok = f, true
	return f, nil
}
