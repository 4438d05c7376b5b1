package calendarcli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cicpa/weiquan/calendar"
)

// TokenEnv names the environment variable holding an admin's access token for import.
const TokenEnv = "WEIQUAN_TOKEN"

// importPreview is the part of POST /api/v1/calendar/notices' answer the command prints.
type importPreview struct {
	Version     string   `json:"version"`
	ChangedDays []string `json:"changed_days"`
	OpenCases   int64    `json:"open_cases"`
	Moved       []struct {
		Number string `json:"number"`
		Clock  string `json:"clock"`
		OldDue string `json:"old_due"`
		NewDue string `json:"new_due"`
	} `json:"moved"`
	Reload string `json:"reload"`
}

// runImport reads a notice's text: with --print it writes the year file it makes and changes
// nothing; otherwise it asks the running API (--api, an admin's token in $WEIQUAN_TOKEN or
// --token) what the notice would change and prints that, and with --yes puts it in force.
func runImport(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("notice", "", "the notice's text, a UTF-8 file (- for standard input)")
	year := fs.Int("year", 0, "the year the notice must be for (default: the year its title names)")
	print := fs.Bool("print", false, "print the year file and change nothing")
	api := fs.String("api", "http://127.0.0.1:8080", "the weiquan API")
	token := fs.String("token", "", "an admin's access token (default $"+TokenEnv+")")
	yes := fs.Bool("yes", false, "put the notice in force after showing what it changes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("calendar import: --notice FILE is required")
	}
	text, err := readNotice(*file)
	if err != nil {
		return err
	}
	n, err := calendar.ReadNotice(text, *year)
	if err != nil {
		return err
	}
	if *print {
		_, err := stdout.Write(n.YearFile())
		return err
	}
	if *token == "" {
		*token = getenv(TokenEnv)
	}
	if *token == "" {
		return fmt.Errorf("calendar import: an admin's token is needed to load the notice (--token or $%s); --print only shows the year file", TokenEnv)
	}
	c := client{api: strings.TrimSuffix(*api, "/"), token: *token}
	var pre importPreview
	if err := c.post(map[string]any{"text": text, "year": n.Year, "preview": true}, http.StatusOK, &pre); err != nil {
		return err
	}
	printPreview(stdout, n, pre)
	if !*yes {
		fmt.Fprintln(stdout, "nothing loaded: run again with --yes to put it in force")
		return nil
	}
	var res importPreview
	if err := c.post(map[string]any{"text": text, "year": n.Year}, http.StatusAccepted, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded: calendar %s is in force; the open cases are being told (%s%s)\n", res.Version, c.api, res.Reload)
	return nil
}

func readNotice(path string) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("calendar import: %w", err)
	}
	return string(b), nil
}

func printPreview(w io.Writer, n calendar.Notice, pre importPreview) {
	fmt.Fprintf(w, "notice for %d: %d days listed\n", n.Year, len(n.Days))
	for _, d := range n.Days {
		what := "off"
		if !d.Off {
			what = "working"
		}
		fmt.Fprintf(w, "  %s %s %-7s %s (line %d)\n", d.Date, d.Date.Weekday().String()[:3], what, d.Name, d.Line)
	}
	fmt.Fprintf(w, "against the calendar in force: %d days change (%s); %d open cases\n", len(pre.ChangedDays),
		strings.Join(pre.ChangedDays, " "), pre.OpenCases)
	for _, m := range pre.Moved {
		fmt.Fprintf(w, "  %s %s: %s -> %s\n", m.Number, m.Clock, m.OldDue, m.NewDue)
	}
	fmt.Fprintf(w, "%d deadlines move\n", len(pre.Moved))
}

// client calls the notices route of the API.
type client struct {
	api, token string
}

func (c client) post(body any, want int, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, c.api+"/api/v1/calendar/notices", bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("calendar import: --api: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("calendar import: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		var p struct {
			Detail string `json:"detail"`
			Errors []struct{ Field, Detail string }
		}
		_ = json.Unmarshal(raw, &p)
		for _, e := range p.Errors {
			p.Detail += "; " + e.Field + ": " + e.Detail
		}
		return fmt.Errorf("calendar import: the API answered %d: %s", resp.StatusCode, p.Detail)
	}
	return json.Unmarshal(raw, out)
}
