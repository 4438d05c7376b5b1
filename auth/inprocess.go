package auth

import (
	"context"
	"sync/atomic"
)

// ConsolePage marks the API calls the web console makes in process while it renders one page
// for one signed-in person. The mark travels in the request's context, which only code in
// this process can set: no header or token an outside client sends can claim it.
type ConsolePage struct {
	counted atomic.Bool
}

type consolePageKey struct{}

// WithConsolePage returns ctx carrying p: the console calls it once per page request.
func WithConsolePage(ctx context.Context, p *ConsolePage) context.Context {
	return context.WithValue(ctx, consolePageKey{}, p)
}

// ConsolePageOf returns the console page ctx belongs to, or nil for an outside request.
func ConsolePageOf(ctx context.Context) *ConsolePage {
	p, _ := ctx.Value(consolePageKey{}).(*ConsolePage)
	return p
}

// FirstCall reports whether this is the page's first API call, and counts it: the rate limit
// charges a page once, however many calls it makes to render.
func (p *ConsolePage) FirstCall() bool { return p.counted.CompareAndSwap(false, true) }
