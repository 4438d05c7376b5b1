package article23

import (
	"fmt"
	"unicode/utf8"
)

// CheckText reports why s cannot be text of a case: it is not UTF-8, or it holds a control
// character other than a tab or a line break (U+0000 above all: PostgreSQL cannot store it
// in text, so a case holding it could never be recorded). Every string that enters weiquan
// is checked with it at the edge (api), and again by the workflow's validators.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for i, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff {
			return fmt.Errorf("holds the control character U+%04X at byte %d; text may hold printable characters, tabs and line breaks only", r, i)
		}
	}
	return nil
}
