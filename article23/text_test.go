package article23

import "testing"

func TestCheckText(t *testing.T) {
	for _, ok := range []string{"", "前雇主拖欠三个月工资", "line one\nline two\r\n\tindented", "😀 émigré"} {
		if err := CheckText(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"a\x00b", "\x00", "bell\a", "esc\x1b[31m", "del\x7f", "c1\u0085", "\xff", "x\uffff"} {
		if err := CheckText(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
