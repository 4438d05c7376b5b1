package web

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// series is one line of a chart: a value per point, nil where there is no figure.
type series struct {
	Label string
	Class string // the CSS class colouring it
	Dash  string // a dash pattern, so lines differ without colour
	Data  []*float64
}

// lineChart renders an on-time-rate chart (0–100 %) as inline SVG on the server: no script,
// scales to the page's width, titled for screen readers; a table beside it has the figures.
func lineChart(title string, labels []string, ss []series) template.HTML {
	const w, h, left, right, top, bottom = 640.0, 260.0, 44.0, 12.0, 16.0, 40.0
	pw, ph := w-left-right, h-top-bottom
	x := func(i int) float64 {
		if len(labels) < 2 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return top + ph*(1-v/100) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="chart-title"><title id="chart-title">%s</title>`, w, h, html.EscapeString(title))
	for _, g := range []float64{0, 50, 100} {
		fmt.Fprintf(&b, `<line class="gl" x1="%g" x2="%g" y1="%g" y2="%g"/><text class="axis" x="%g" y="%g" text-anchor="end">%g%%</text>`,
			left, w-right, y(g), y(g), left-6, y(g)+4, g)
	}
	for i, l := range labels {
		fmt.Fprintf(&b, `<text class="axis" x="%g" y="%g" text-anchor="middle">%s</text>`, x(i), h-bottom+18, html.EscapeString(l))
	}
	for _, s := range ss {
		var pts []string
		for i, v := range s.Data {
			if v == nil {
				continue
			}
			pts = append(pts, strconv.FormatFloat(x(i), 'f', 1, 64)+","+strconv.FormatFloat(y(*v), 'f', 1, 64))
			fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="3.5"><title>%s %s: %.0f%%</title></circle>`,
				s.Class, x(i), y(*v), html.EscapeString(s.Label), html.EscapeString(labels[i]), *v)
		}
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline class="%s" fill="none" stroke-dasharray="%s" points="%s"/>`, s.Class, s.Dash, strings.Join(pts, " "))
		}
	}
	for i, s := range ss {
		lx := left + float64(i)*150
		fmt.Fprintf(&b, `<line class="%s" x1="%g" x2="%g" y1="%g" y2="%g" stroke-dasharray="%s"/><text class="legend" x="%g" y="%g">%s</text>`,
			s.Class, lx, lx+24, h-8, h-8, s.Dash, lx+30, h-4, html.EscapeString(s.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

// rate is the on-time percentage of finished deadlines, or nil when none finished.
func rate(on, late int64) *float64 {
	if on+late == 0 {
		return nil
	}
	v := 100 * float64(on) / float64(on+late)
	return &v
}
