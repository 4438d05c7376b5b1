package letter

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Page layout in millimetres (A4, 公文-like margins).
const (
	marginX    = 26.0
	marginTop  = 30.0
	lineHeight = 7.5
	bodySize   = 12.0
	titleSize  = 20.0
	sealW      = 56.0
	sealH      = 38.0
)

// Renderer turns letter text into PDF with two embedded TrueType fonts: a CJK font and a Latin
// font for digits, letters and Western punctuation (CJK fallback fonts such as Droid Sans
// Fallback have no Latin glyphs). It is safe for concurrent use: it only keeps the bytes.
type Renderer struct {
	cjk, latin     []byte
	cjkPS, latinPS string // the fonts' PostScript names, for the subset names (LayoutV2)
}

// NewRenderer loads the CJK font at cjkPath (WEIQUAN_FONT) and the Latin font at latinPath
// (WEIQUAN_LATIN_FONT; "" to use the CJK font for everything). TrueType collections (.ttc) and
// CFF-based OpenType fonts cannot be embedded, so they are refused with the reason.
func NewRenderer(cjkPath, latinPath string) (*Renderer, error) {
	cjk, err := loadFont("WEIQUAN_FONT", cjkPath, "fonts-droid-fallback")
	if err != nil {
		return nil, err
	}
	r := &Renderer{cjk: cjk, latin: cjk}
	if latinPath != "" {
		if r.latin, err = loadFont("WEIQUAN_LATIN_FONT", latinPath, "fonts-dejavu-core"); err != nil {
			return nil, err
		}
	}
	r.cjkPS, r.latinPS = postScriptName(r.cjk), postScriptName(r.latin)
	return r, nil
}

func loadFont(name, path, pkg string) ([]byte, error) {
	font, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %s does not exist: install %s (apt-get install -y %s) or point %s at a TrueType font", name, path, pkg, pkg, name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(font) < 4 || (!bytes.Equal(font[:4], []byte{0, 1, 0, 0}) && string(font[:4]) != "true") {
		return nil, fmt.Errorf("%s: %s is not a TrueType (.ttf) font; collections (.ttc) and CFF OpenType (.otf) cannot be embedded", name, path)
	}
	return font, nil
}

// Meta is what the page furniture shows around the template's text.
type Meta struct {
	Title         string // document title (PDF metadata)
	CaseNumber    string // in the footer of every page
	InstituteName string // under the seal box
	IssuedOn      string // "YYYY-MM-DD": the date line under the seal
	CreatedAt     time.Time
	Layout        int // LayoutV1, LayoutV2, …: as recorded with the letter; 0 is CurrentLayout
}

// Render lays out text (see the package comment for its markers) in m.Layout and returns
// the PDF. Equal inputs give equal bytes, so a letter's SHA-256 identifies its content.
func (r *Renderer) Render(text string, m Meta) ([]byte, error) {
	if m.Layout == 0 {
		m.Layout = CurrentLayout
	}
	if m.Layout > CurrentLayout {
		return nil, fmt.Errorf("render %s: layout %d is newer than this renderer (%d)", m.Title, m.Layout, CurrentLayout)
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(m.CreatedAt)
	f.SetModificationDate(m.CreatedAt)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.InstituteName, true)
	f.SetSubject(m.CaseNumber, true)
	p := &page{f: f, size: bodySize, layout: m.Layout,
		cjkFam: family(m.Layout, "cjk", r.cjkPS), latinFam: family(m.Layout, "latin", r.latinPS)}
	f.AddUTF8FontFromBytes(p.cjkFam, "", r.cjk)
	f.AddUTF8FontFromBytes(p.latinFam, "", r.latin)
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(true, 22)
	f.SetFooterFunc(func() {
		f.SetY(-16)
		p.line(fmt.Sprintf("案件编号 %s　第 %d 页", m.CaseNumber, f.PageNo()), 9, 6, "C")
	})
	f.AddPage()
	sealed := false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			p.line(strings.TrimSpace(line[2:]), titleSize, 14, "C")
		case strings.HasPrefix(line, "> "):
			p.line(strings.TrimSpace(line[2:]), bodySize, lineHeight, "R")
		case strings.TrimSpace(line) == "[seal]":
			p.seal(m)
			sealed = true
		case strings.TrimSpace(line) == "":
			f.Ln(lineHeight / 2)
		default:
			p.size = bodySize
			w, _ := f.GetPageSize()
			for _, l := range p.wrap(strings.TrimRight(line, " \t"), w-2*marginX) {
				p.line(l, bodySize, lineHeight, "L")
			}
		}
	}
	if !sealed {
		p.seal(m)
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, fmt.Errorf("render %s: %w", m.Title, err)
	}
	if m.Layout < LayoutV2 {
		return out.Bytes(), nil
	}
	return nameSubsets(out.Bytes(), [][2]string{{p.cjkFam, r.cjkPS}, {p.latinFam, r.latinPS}}), nil
}

// page writes mixed CJK and Latin text, switching fonts run by run.
type page struct {
	f                *fpdf.Fpdf
	size             float64
	layout           int
	cjkFam, latinFam string // the fonts' families in f
}

// latin reports whether r is drawn with the Latin font: everything below the CJK blocks.
func latin(r rune) bool { return r < 0x2E80 }

// runs splits s where it changes between Latin and CJK.
func runs(s string) []string {
	var out []string
	start, prev := 0, false
	for i, r := range s {
		if l := latin(r); i > 0 && l != prev {
			out = append(out, s[start:i])
			start = i
		}
		prev = latin(r)
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func (p *page) font(run string) {
	if r := []rune(run); len(r) > 0 && latin(r[0]) {
		p.f.SetFont(p.latinFam, "", p.size)
		return
	}
	p.f.SetFont(p.cjkFam, "", p.size)
}

// width is s's width at the current size.
func (p *page) width(s string) float64 {
	w := 0.0
	for _, run := range runs(s) {
		p.font(run)
		w += p.f.GetStringWidth(run)
	}
	return w
}

// line writes s on one line of height h, aligned L, C or R, and moves to the next line.
func (p *page) line(s string, size, h float64, align string) {
	p.size = size
	pw, _ := p.f.GetPageSize()
	x := marginX
	switch align {
	case "C":
		x = (pw - p.width(s)) / 2
	case "R":
		x = pw - marginX - p.width(s)
	}
	p.f.SetX(x)
	for _, run := range runs(s) {
		p.font(run)
		p.f.CellFormat(p.f.GetStringWidth(run), h, run, "", 0, "L", false, 0, "")
	}
	p.f.Ln(h)
}

// seal draws the place for the institute's seal at the right: a box marked 盖章处, the
// institute's name and the date line, on a new page when they do not fit.
func (p *page) seal(m Meta) {
	f := p.f
	w, h := f.GetPageSize()
	if f.GetY()+sealH+2*lineHeight+10 > h-22 {
		f.AddPage()
	}
	f.Ln(lineHeight)
	x, y := w-marginX-sealW, f.GetY()
	f.SetDrawColor(120, 120, 120)
	f.SetDashPattern([]float64{1.5, 1}, 0)
	f.Rect(x, y, sealW, sealH, "D")
	f.SetDashPattern([]float64{}, 0)
	f.SetTextColor(120, 120, 120)
	f.SetXY(x, y+sealH/2-3)
	f.SetFont(p.cjkFam, "", 10)
	f.CellFormat(sealW, 6, "盖章处", "", 0, "C", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetY(y + sealH + 2)
	p.line(m.InstituteName, bodySize, lineHeight, "R")
	p.line("日期："+ZhDate(m.IssuedOn), bodySize, lineHeight, "R")
}

// wrap breaks s into lines no wider than width: anywhere between CJK characters, at a space
// inside Latin text, never before closing punctuation and (from LayoutV2) never after an
// opening bracket or quote (禁则). Closing punctuation hangs past width rather than begin a line.
func (p *page) wrap(s string, width float64) []string {
	closers, openers := closing, ""
	if p.layout >= LayoutV2 {
		closers, openers = closingV2, openingV2
	}
	var lines []string
	line := []rune{}
	for _, r := range s {
		cand := append(line, r)
		if p.width(string(cand)) <= width || len(line) == 0 || strings.ContainsRune(closers, r) {
			line = cand
			continue
		}
		cut := len(line)
		if r != ' ' && latin(r) {
			if i := lastBreak(line); i > 0 {
				cut = i
			}
		}
		for cut > 1 && strings.ContainsRune(openers, line[cut-1]) {
			cut-- // the opening bracket goes with what it opens
		}
		lines = append(lines, strings.TrimRight(string(line[:cut]), " "))
		line = append([]rune(strings.TrimLeft(string(line[cut:]), " ")), r)
	}
	return append(lines, string(line))
}

// closing punctuation may not begin a line (LayoutV1).
const closing = "，。、；：？！）》」』】〕,.;:?!)"

// From LayoutV2 closing quotes, brackets and the iteration and prolonged-sound marks may not
// begin a line either, and opening brackets and quotes may not end one.
const (
	closingV2 = closing + "”’〉］｝〗〙·・…‥々ー]}"
	openingV2 = "（《「『【〔“‘〈［｛〖〘([{"
)

// lastBreak returns where a Latin word in progress at the end of rs may be moved to the next
// line: after its last space or CJK character; 0 when there is none.
func lastBreak(rs []rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == ' ' || !latin(rs[i]) {
			return i + 1
		}
	}
	return 0
}
