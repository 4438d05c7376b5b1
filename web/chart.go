package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
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

// chartSpec is a line chart: its title (for screen readers), the axes' titles, the x labels,
// the y axis's top (0 for the data's rounded-up maximum) and the unit after each y tick.
type chartSpec struct {
	ID, Title      string
	XTitle, YTitle string
	Labels         []string
	YMax           float64
	Unit           string
	Series         []series
}

// chart geometry in SVG units: the plot sits right of the y axis title and ticks, below the
// legend, above the x labels and title.
const (
	chartW, chartH                           = 640.0, 300.0
	plotLeft, plotRight, plotTop, plotBottom = 64.0, 16.0, 16.0, 56.0
)

// lineChart renders a line chart as inline SVG on the server: no script; it scales to the
// page (a phone scrolls it sideways rather than shrinking its text); titled for screen
// readers; its legend is HTML above it, so it wraps and stays in view on a phone; a table
// beside it has the figures.
func lineChart(c chartSpec) template.HTML {
	top := c.YMax
	if top <= 0 {
		top = niceMax(c.Series)
	}
	pw, ph := chartW-plotLeft-plotRight, chartH-plotTop-plotBottom
	x := func(i int) float64 {
		if len(c.Labels) < 2 {
			return plotLeft + pw/2
		}
		return plotLeft + pw*float64(i)/float64(len(c.Labels)-1)
	}
	y := func(v float64) float64 { return plotTop + ph*(1-v/top) }
	var b strings.Builder
	b.WriteString(`<ul class="chart-legend">`)
	for _, s := range c.Series {
		fmt.Fprintf(&b, `<li><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line class="key %s" x1="0" x2="28" y1="5" y2="5" stroke-dasharray="%s"/><circle class="%s" cx="14" cy="5" r="3.5"/></svg>%s</li>`,
			s.Class, s.Dash, s.Class, esc(s.Label))
	}
	b.WriteString(`</ul><div class="chart-wrap">`)
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-title"><title id="%s-title">%s</title>`,
		chartW, chartH, c.ID, c.ID, esc(c.Title))
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		fmt.Fprintf(&b, `<line class="gl" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/><text class="axis" x="%g" y="%.1f" text-anchor="end">%s%s</text>`,
			plotLeft, chartW-plotRight, y(v), y(v), plotLeft-6, y(v)+4, strconv.FormatFloat(v, 'f', -1, 64), esc(c.Unit))
	}
	fmt.Fprintf(&b, `<line class="axisline" x1="%g" x2="%g" y1="%g" y2="%g"/><line class="axisline" x1="%g" x2="%g" y1="%g" y2="%g"/>`,
		plotLeft, plotLeft, plotTop, chartH-plotBottom, plotLeft, chartW-plotRight, chartH-plotBottom, chartH-plotBottom)
	for i, l := range c.Labels {
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%g" text-anchor="middle">%s</text>`, x(i), chartH-plotBottom+18, esc(l))
	}
	fmt.Fprintf(&b, `<text class="axistitle" x="%g" y="%g" text-anchor="middle">%s</text>`, plotLeft+pw/2, chartH-10, esc(c.XTitle))
	fmt.Fprintf(&b, `<text class="axistitle" transform="translate(16 %g) rotate(-90)" text-anchor="middle">%s</text>`, plotTop+ph/2, esc(c.YTitle))
	for _, s := range c.Series {
		drawSeries(&b, s, c.Labels, c.Unit, x, y)
	}
	b.WriteString(`</svg></div>`)
	return template.HTML(b.String()) // every text above is escaped
}

// drawSeries draws one series: a line through its points (broken where a value is missing)
// and a dot with a tooltip at each point.
func drawSeries(b *strings.Builder, s series, labels []string, unit string, x func(int) float64, y func(float64) float64) {
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(b, `<polyline class="line %s" stroke-dasharray="%s" points="%s"/>`, s.Class, s.Dash, strings.Join(run, " "))
		}
		run = nil
	}
	for i, v := range s.Data {
		if v == nil {
			flush()
			continue
		}
		run = append(run, strconv.FormatFloat(x(i), 'f', 1, 64)+","+strconv.FormatFloat(y(*v), 'f', 1, 64))
		fmt.Fprintf(b, `<circle class="%s" cx="%.1f" cy="%.1f" r="3.5"><title>%s %s %s%s</title></circle>`,
			s.Class, x(i), y(*v), esc(s.Label), esc(labels[i]), strconv.FormatFloat(math.Round(*v), 'f', -1, 64), esc(unit))
	}
	flush()
}

// niceMax is the y axis's top for counts: the maximum rounded up to a multiple of 4 (so the
// five ticks are whole numbers), at least 4.
func niceMax(ss []series) float64 {
	m := 0.0
	for _, s := range ss {
		for _, v := range s.Data {
			if v != nil {
				m = max(m, *v)
			}
		}
	}
	step := math.Max(1, math.Pow(10, math.Floor(math.Log10(math.Max(m, 1)/4))))
	return math.Max(4, math.Ceil(m/(4*step))*4*step)
}

func esc(s string) string { return html.EscapeString(s) }

// rate is the on-time percentage of finished deadlines, or nil when none finished.
func rate(on, late int64) *float64 {
	if on+late == 0 {
		return nil
	}
	v := 100 * float64(on) / float64(on+late)
	return &v
}
