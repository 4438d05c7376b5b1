package letter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/cicpa/weiquan/internal/testenv"
)

// goldenV1 are the SHA-256 of the default letters of sample() rendered in LayoutV1 with the
// Debian fonts whose SHA-256 is fontsV1: what letters issued before LayoutV2 must re-render to.
var (
	fontsV1  = [2]string{"acb6440a713d880a13a21b468ba7cd43f5a2b2934972e51be791c880730777b8", "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322"}
	goldenV1 = map[Kind]string{
		Acceptance:    "570c8c93621d7a02108e711fc0b683d3a11a0a9713131347024dc90fb3e7df03",
		NonAcceptance: "1622bf6a41376e4828ab84e2fa58a626c3144740960a75fc66325e3f5ed00b72",
		Extension:     "0a1d7bb5a5bd5b1c0b66f93c371d50077332d5ae080adb076e88e9c420442734",
		Feedback:      "1b8690a974c2009d707835ec98e8672fe4ba14c705de96e1b7983170f682e057",
	}
)

func renderSample(t *testing.T, r *Renderer, k Kind, layout int) []byte {
	t.Helper()
	tpl, err := Templates{}.Lookup("BJ", k)
	if err != nil {
		t.Fatal(err)
	}
	text, err := tpl.Execute(sample(k))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(text, Meta{Title: k.Title(), CaseNumber: "BJ-2026-0042", InstituteName: "北京注册会计师协会",
		IssuedOn: "2026-12-18", CreatedAt: time.Date(2026, 12, 18, 2, 0, 0, 0, time.UTC), Layout: layout})
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// TestLayoutV1StillRendersItsBytes: a letter issued under LayoutV1 re-renders to the very bytes
// it was issued with, whatever later layouts changed.
func TestLayoutV1StillRendersItsBytes(t *testing.T) {
	r := renderer(t)
	for i, f := range []string{testFont, testLatinFont} {
		b, err := os.ReadFile(f)
		if sum := sha256.Sum256(b); err != nil || hex.EncodeToString(sum[:]) != fontsV1[i] {
			testenv.Missing(t, "%s is not the font the golden letters were rendered with", f)
		}
	}
	for _, k := range Kinds {
		sum := sha256.Sum256(renderSample(t, r, k, LayoutV1))
		if got := hex.EncodeToString(sum[:]); got != goldenV1[k] {
			t.Errorf("%s in layout 1: SHA-256 %s, issued as %s", k, got, goldenV1[k])
		}
	}
}

var (
	baseFont = regexp.MustCompile(`/(?:BaseFont|FontName) /(\S+)`)
	subset   = regexp.MustCompile(`^[A-Z]{6}\+[A-Za-z0-9_-]+$`)
)

// TestSubsetFontNames: in LayoutV2 each embedded subset is named TAG+PostScriptName (ISO
// 32000-1 §9.6.4), the two fonts with different tags, the same letter with the same ones, and
// the cross-reference table still points at every object.
func TestSubsetFontNames(t *testing.T) {
	r := renderer(t)
	pdf := renderSample(t, r, Acceptance, LayoutV2)
	names := map[string]bool{}
	for _, m := range baseFont.FindAllSubmatch(pdf, -1) {
		if n := string(m[1]); !subset.MatchString(n) {
			t.Errorf("font %q is not a subset name", n)
		} else {
			names[n] = true
		}
	}
	if len(names) != 2 || !names[firstTagged(names, "+DroidSansFallback")] || !names[firstTagged(names, "+DejaVuSans")] {
		t.Fatalf("subset names %v, want DroidSansFallback and DejaVuSans with their tags", names)
	}
	if again := renderSample(t, r, Acceptance, LayoutV2); !bytes.Equal(pdf, again) {
		t.Fatal("the same letter rendered twice differs")
	}
	checkXref(t, pdf)
	if got := pdfText(t, pdf); !strings.Contains(got, "受理通知书") || !strings.Contains(got, "BJ-2026-0042") {
		t.Fatalf("text after naming the subsets: %s", got)
	}
}

// firstTagged is the name in names ending in suffix, "" when none does.
func firstTagged(names map[string]bool, suffix string) string {
	for n := range names {
		if strings.HasSuffix(n, suffix) {
			return n
		}
	}
	return ""
}

// checkXref checks that every in-use entry of the PDF's cross-reference table is the offset
// of its "N 0 obj".
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	off, err := strconv.Atoi(strings.Fields(string(pdf[i+len("startxref\n"):]))[0])
	if err != nil || !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", off)
	}
	lines := strings.Split(string(pdf[off:]), "\n")
	first, _ := strconv.Atoi(strings.Fields(lines[1])[0])
	for n, line := range lines[2:] {
		f := strings.Fields(line)
		if len(f) != 3 {
			break
		}
		if f[2] != "n" {
			continue
		}
		o, _ := strconv.Atoi(f[0])
		if want := strconv.Itoa(first+n) + " 0 obj"; !bytes.HasPrefix(pdf[o:], []byte(want)) {
			t.Fatalf("xref: object %d at %d reads %q", first+n, o, pdf[o:o+min(len(pdf)-o, 12)])
		}
	}
}

// TestWrapKinsoku: in LayoutV2 no line ends with an opening bracket or quote and none begins
// with closing punctuation, a closing quote or bracket, whatever the width.
func TestWrapKinsoku(t *testing.T) {
	r := renderer(t)
	f := fpdf.New("P", "mm", "A4", "")
	p := &page{f: f, size: 12, layout: LayoutV2, cjkFam: "cjk", latinFam: "latin"}
	f.AddUTF8FontFromBytes("cjk", "", r.cjk)
	f.AddUTF8FontFromBytes("latin", "", r.latin)
	text := "经审查，本会认为：“事务所拖欠工资”的行为违反《劳动合同法》（第三十条）和「劳动合同」约定；建议申请劳动仲裁（见附件【一】）。"
	for width := 20.0; width <= 90; width += 0.5 {
		lines := p.wrap(text, width)
		for i, l := range lines {
			rs := []rune(l)
			if i > 0 && strings.ContainsRune(closingV2, rs[0]) {
				t.Fatalf("width %.1f: line %d begins with %q: %q", width, i, rs[0], lines)
			}
			if i < len(lines)-1 && strings.ContainsRune(openingV2, rs[len(rs)-1]) {
				t.Fatalf("width %.1f: line %d ends with %q: %q", width, i, rs[len(rs)-1], lines)
			}
		}
		if got := strings.Join(lines, ""); got != text {
			t.Fatalf("width %.1f: wrap lost or added characters:\n%q", width, got)
		}
	}
}
