// Package calendarcli implements "weiquan calendar …": deadlines, years and data status of
// the working-day calendar, from the command line.
package calendarcli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/cicpa/weiquan/calendar"
)

// DirEnv names the environment variable of a directory of extra or replacement year files.
const DirEnv = "WEIQUAN_CALENDAR_DIR"

const usage = `usage: weiquan calendar <command> [flags]
  due --from YYYY-MM-DD --workdays N [--json] [--lang zh|en]   due date of N working days after --from
  year YYYY                                                    holidays, make-up days and status of a year
  status                                                       every covered year with its status and source
  import --notice FILE [--year Y] [--print] [--api URL] [--yes]  read a State Council notice's text: --print writes
                                                               its year file; otherwise shows what it changes in the
                                                               running system and, with --yes, puts it in force
                                                               (an admin's token in $` + TokenEnv + ` or --token)
Year files in $` + DirEnv + ` (YYYY.json, holiday-cn format) add to or replace the shipped data.`

// Run runs one calendar subcommand with args (without "calendar" itself), writing results
// to stdout and diagnostics to stderr. Any error (bad input, a bad year file in
// $WEIQUAN_CALENDAR_DIR) is returned for main to print and exit non-zero.
func Run(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("calendar: missing command")
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if cmd == "import" {
		return runImport(rest, stdout, stderr, getenv)
	}
	run, ok := map[string]func(*calendar.Calendar, []string, io.Writer, io.Writer) error{
		"due": runDue, "year": runYear, "status": runStatus,
	}[cmd]
	if !ok {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("calendar: unknown command %q", cmd)
	}
	cal, err := load(getenv)
	if err != nil {
		return err
	}
	return run(cal, rest, stdout, stderr)
}

// load returns the shipped calendar, updated from $WEIQUAN_CALENDAR_DIR when it is set.
func load(getenv func(string) string) (*calendar.Calendar, error) {
	cal, err := calendar.Embedded()
	if err != nil {
		return nil, err
	}
	if dir := getenv(DirEnv); dir != "" {
		if cal, err = cal.WithDir(dir); err != nil {
			return nil, fmt.Errorf("%s=%s: %w", DirEnv, dir, err)
		}
	}
	return cal, nil
}

// dueJSON is the --json output of "due".
type dueJSON struct {
	From        calendar.Date      `json:"from"`
	Workdays    int                `json:"workdays"`
	DueDate     calendar.Date      `json:"due_date"`
	DeadlineAt  string             `json:"deadline_at"`
	Provisional bool               `json:"provisional"`
	Unverified  bool               `json:"unverified"`
	Version     string             `json:"calendar_version"`
	Skipped     []calendar.DayInfo `json:"skipped"`
	MakeUp      []calendar.DayInfo `json:"makeup"`
	Text        string             `json:"text"`
}

func runDue(cal *calendar.Calendar, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "start date YYYY-MM-DD (not counted)")
	n := fs.Int("workdays", -1, "number of working days")
	asJSON := fs.Bool("json", false, "print one JSON object")
	lang := fs.String("lang", "zh", "explanation language: zh or en")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *n < 0 {
		return errors.New("calendar due: --from YYYY-MM-DD and --workdays N (N >= 0) are required")
	}
	start, err := calendar.ParseDate(*from)
	if err != nil {
		return err
	}
	e, err := cal.Explain(start, *n)
	if err != nil {
		return err
	}
	if *asJSON {
		return printDueJSON(stdout, e, *lang)
	}
	fmt.Fprintln(stdout, e.Due)
	fmt.Fprintln(stdout, e.Text(*lang))
	fmt.Fprintf(stdout, "deadline %s, calendar %s\n", e.DeadlineAt.Format(time.RFC3339), e.Version)
	return nil
}

func printDueJSON(w io.Writer, e calendar.Explanation, lang string) error {
	out := dueJSON{
		From: e.Start, Workdays: e.Workdays, DueDate: e.Due, DeadlineAt: e.DeadlineAt.Format(time.RFC3339),
		Provisional: e.Provisional, Unverified: e.Unverified, Version: e.Version,
		Skipped: nonNil(e.Skipped), MakeUp: nonNil(e.MakeUp), Text: e.Text(lang),
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNil(days []calendar.DayInfo) []calendar.DayInfo {
	if days == nil {
		return []calendar.DayInfo{}
	}
	return days
}

func runYear(cal *calendar.Calendar, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 {
		return errors.New("calendar year: want one year, e.g. weiquan calendar year 2027")
	}
	y, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("calendar year: %q is not a year", args[0])
	}
	info, err := cal.Year(y)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d %s, %d working days\nsource: %s\n", info.Year, info.Status, info.Workdays, info.Source)
	for _, d := range info.Holidays {
		fmt.Fprintf(stdout, "%s %s holiday %s\n", d.Date, d.Date.Weekday().String()[:3], d.Name)
	}
	for _, d := range info.MakeUpDays {
		fmt.Fprintf(stdout, "%s %s makeup  %s\n", d.Date, d.Date.Weekday().String()[:3], d.Name)
	}
	fmt.Fprintf(stdout, "calendar %s\n", cal.Version())
	return nil
}

func runStatus(cal *calendar.Calendar, args []string, stdout, _ io.Writer) error {
	if len(args) != 0 {
		return errors.New("calendar status: takes no arguments")
	}
	fmt.Fprintf(stdout, "calendar %s\n", cal.Version())
	for _, s := range cal.Status() {
		fmt.Fprintf(stdout, "%d\t%-19s\t%d\t%s\n", s.Year, s.Status, s.Workdays, s.Source)
	}
	if from, to, ok := cal.UncertainWindow(); ok {
		fmt.Fprintf(stdout, "provisional window %s…%s: a deadline over one of its weekend days is provisional until the %d notice is loaded (a notice can make such a day a working day, as 2019's made 2018-12-29)\n",
			from, to, to.Year+1)
	}
	return nil
}
