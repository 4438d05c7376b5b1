package api

import (
	"regexp"

	"github.com/cicpa/weiquan/calendar"
)

// A year file the calendar refuses is said in the caller's language: each sentence of the
// calendar's year-file checks (calendar/yearfile.go, build.go) is read back into its format
// and arguments, so that fieldMessages can say it in Chinese; any other stays as the
// calendar wrote it after a catalogued lead.

// yearFileShape is one sentence of the calendar's with the format that writes it.
type yearFileShape struct {
	re     *regexp.Regexp
	format string
}

var yearFilePrefix = regexp.QuoteMeta(calendar.ErrBadYearFile.Error()) + ": "

// yearFileShapes are the calendar's sentences about a year file, its exact English.
var yearFileShapes = []yearFileShape{
	{regexp.MustCompile(`^` + yearFilePrefix + `not UTF-8 \(a year file is UTF-8 JSON\)$`), msgYearNotUTF8},
	{regexp.MustCompile(`^` + yearFilePrefix + `does not parse: (.+)$`), msgYearNotJSON},
	{regexp.MustCompile(`^` + yearFilePrefix + `trailing data after the JSON object$`), msgYearTrailing},
	{regexp.MustCompile(`^` + yearFilePrefix + `year (\d+) outside (\d+)–(\d+)$`), msgYearOutside},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): status "(.*)", want .*$`), msgYearStatus},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): (\S+) needs a name and isOffDay$`), msgYearEntry},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): (\S+) is outside the year ±1 month \(wrong year\?\)$`), msgYearWrongYear},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): no days listed$`), msgYearEmpty},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): (\S+) listed twice$`), msgYearTwice},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): make-up day (\S+) is a (\S+), not a weekend day$`), msgYearMakeUp},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): (\S+) is a day off here but a working day in the (\d+) file$`), msgYearOffWork},
	{regexp.MustCompile(`^` + yearFilePrefix + `(\d+): (\S+) is a working day here but a day off in the (\d+) file$`), msgYearWorkOff},
}

// The calendar's sentences, as formats of the catalogue.
const (
	msgYearNotUTF8   = "calendar: bad year file: not UTF-8 (a year file is UTF-8 JSON)"
	msgYearNotJSON   = "calendar: bad year file: does not parse: %s"
	msgYearTrailing  = "calendar: bad year file: trailing data after the JSON object"
	msgYearOutside   = "calendar: bad year file: year %s outside %s–%s"
	msgYearStatus    = "calendar: bad year file: %s: status %q, want \"official\" or \"official-unverified\""
	msgYearEntry     = "calendar: bad year file: %s: %s needs a name and isOffDay"
	msgYearWrongYear = "calendar: bad year file: %s: %s is outside the year ±1 month (wrong year?)"
	msgYearEmpty     = "calendar: bad year file: %s: no days listed"
	msgYearTwice     = "calendar: bad year file: %s: %s listed twice"
	msgYearMakeUp    = "calendar: bad year file: %s: make-up day %s is a %s, not a weekend day"
	msgYearOffWork   = "calendar: bad year file: %s: %s is a day off here but a working day in the %s file"
	msgYearWorkOff   = "calendar: bad year file: %s: %s is a working day here but a day off in the %s file"
)

// yearFileProblem is the field problem of a year file the calendar refused with err.
func yearFileProblem(field string, err error) FieldProblem {
	for _, s := range yearFileShapes {
		if m := s.re.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			return fieldProblem(field, s.format, args...)
		}
	}
	return fieldProblem(field, "the year file cannot be used: %v", err)
}

// zhWeekdays name the days of the week in Chinese, for the calendar's sentences.
var zhWeekdays = map[string]string{"Monday": "星期一", "Tuesday": "星期二", "Wednesday": "星期三",
	"Thursday": "星期四", "Friday": "星期五", "Saturday": "星期六", "Sunday": "星期日"}
