package letter

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"unicode/utf16"
)

// Layouts of the rendered page. A letter records the layout it was rendered with, so
// re-rendering an older letter gives its bytes again; a change to what the renderer draws
// or writes is a new layout, and the old one stays as it was.
const (
	// LayoutV1: fonts named /utf8cjk and /utf8latin; lines never begin with closing punctuation.
	LayoutV1 = 1
	// LayoutV2: each embedded subset named per ISO 32000-1 §9.6.4 (a six-letter tag, '+',
	// the font's PostScript name), and Chinese line breaking (禁则) both ways: no closing
	// punctuation or quote at a line start, no opening bracket or quote at a line end.
	LayoutV2 = 2
	// CurrentLayout is the layout new letters are rendered with.
	CurrentLayout = LayoutV2
)

// family is the font family a font is added to fpdf under in layout: in LayoutV2 a
// placeholder that fpdf writes as /utf8<family>, exactly as long as "/XXXXXX+<ps>" so that
// naming the subset afterwards leaves every byte offset (the xref table) as it was.
func family(layout int, prefix, ps string) string {
	if layout < LayoutV2 {
		return prefix
	}
	return prefix + strings.Repeat("x", max(0, len(ps)+7-len("utf8")-len(prefix)))
}

// nameSubsets replaces the placeholder name of each font (family → PostScript name) in
// the PDF with its subset name. The tag is derived from the document and the family, so
// the same letter gets the same tags and two subsets in one file get different ones.
func nameSubsets(pdf []byte, fonts [][2]string) []byte {
	sum := sha256.Sum256(pdf)
	for _, f := range fonts {
		placeholder := "/utf8" + f[0]
		if len(placeholder) != len(f[1])+8 {
			continue // a PostScript name too short for the placeholder: left unnamed, never misaligned
		}
		pdf = bytes.ReplaceAll(pdf, []byte(placeholder), []byte("/"+subsetTag(sum[:], f[0])+"+"+f[1]))
	}
	return pdf
}

// subsetTag is six uppercase letters from seed and name.
func subsetTag(seed []byte, name string) string {
	h := sha256.Sum256(append(append([]byte{}, seed...), name...))
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + h[i]%26
	}
	return string(tag)
}

// postScriptName reads a TrueType font's PostScript name (name table, name ID 6), keeping
// only the characters a PDF name may hold unescaped; "Font" when there is none.
func postScriptName(font []byte) string {
	name := psNameRaw(font)
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, name)
	if name == "" {
		return "Font"
	}
	return name
}

func psNameRaw(font []byte) string {
	if len(font) < 12 {
		return ""
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(font) || string(font[rec:rec+4]) != "name" {
			continue
		}
		off := int(binary.BigEndian.Uint32(font[rec+8:]))
		return nameID6(font, off)
	}
	return ""
}

// nameID6 finds name ID 6 in the name table at off: Windows (UTF-16BE) or Macintosh (ASCII).
func nameID6(font []byte, off int) string {
	if off+6 > len(font) {
		return ""
	}
	count := int(binary.BigEndian.Uint16(font[off+2:]))
	strs := off + int(binary.BigEndian.Uint16(font[off+4:]))
	for i := range count {
		r := off + 6 + 12*i
		if r+12 > len(font) || binary.BigEndian.Uint16(font[r+6:]) != 6 {
			continue
		}
		platform := binary.BigEndian.Uint16(font[r:])
		l, o := int(binary.BigEndian.Uint16(font[r+8:])), strs+int(binary.BigEndian.Uint16(font[r+10:]))
		if o+l > len(font) {
			continue
		}
		b := font[o : o+l]
		switch platform {
		case 1:
			return string(b)
		case 0, 3:
			u := make([]uint16, len(b)/2)
			for j := range u {
				u[j] = binary.BigEndian.Uint16(b[2*j:])
			}
			return string(utf16.Decode(u))
		}
	}
	return ""
}
