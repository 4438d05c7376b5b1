package letter

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var defaults embed.FS

// DefaultSource names the embedded templates in a Template's ID.
const DefaultSource = "default"

// Templates finds the template for an institute's letter: the highest version the institute
// has in Dir (<Dir>/<INSTITUTE>/<kind>.v<N>.tmpl), else the highest embedded default. Files
// are read at every lookup, so a new version takes effect without a restart; the version used
// is recorded with each letter.
type Templates struct {
	Dir string // "" for the embedded defaults only
}

// Template is one parsed letter template.
type Template struct {
	ID      string // "<INSTITUTE or default>/<kind>.v<N>", as recorded with the letter
	Kind    Kind
	Version int
	tmpl    *template.Template
}

// Lookup returns the template institute uses for kind.
func (t Templates) Lookup(institute string, kind Kind) (Template, error) {
	if t.Dir != "" && institute != "" && !strings.ContainsAny(institute, `/\.`) {
		dir := filepath.Join(t.Dir, institute)
		tpl, err := newest(os.DirFS(dir), ".", institute, kind)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return tpl, err
		}
	}
	return newest(defaults, "templates", DefaultSource, kind)
}

// ByID returns the template a letter recorded as issued with ("BJ/acceptance.v2",
// "default/acceptance.v1"), that version and no later one: re-rendering a letter uses it.
func (t Templates) ByID(id string) (Template, error) {
	source, file, ok := strings.Cut(id, "/")
	kind, v, ok2 := strings.Cut(file, ".v")
	version, err := strconv.Atoi(v)
	if !ok || !ok2 || err != nil || version < 1 || strings.ContainsAny(source, `/\.`) {
		return Template{}, fmt.Errorf("letter template %q: not <source>/<kind>.v<N>", id)
	}
	if source == DefaultSource {
		return parse(defaults, "templates", source, Kind(kind), version)
	}
	if t.Dir == "" {
		return Template{}, fmt.Errorf("letter template %s: %w (no WEIQUAN_LETTER_DIR)", id, fs.ErrNotExist)
	}
	return parse(os.DirFS(filepath.Join(t.Dir, source)), ".", source, Kind(kind), version)
}

// newest parses the highest <kind>.v<N>.tmpl in dir of fsys.
func newest(fsys fs.FS, dir, source string, kind Kind) (Template, error) {
	names, err := fs.Glob(fsys, path.Join(dir, string(kind)+".v*.tmpl"))
	if err != nil {
		return Template{}, fmt.Errorf("letter template %s/%s: %w", source, kind, err)
	}
	best := 0
	for _, name := range names {
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path.Base(name), string(kind)+".v"), ".tmpl"))
		if err == nil && v > best {
			best = v
		}
	}
	if best == 0 {
		return Template{}, fmt.Errorf("letter template %s/%s: %w", source, kind, fs.ErrNotExist)
	}
	return parse(fsys, dir, source, kind, best)
}

// parse reads and parses version v of kind's template in dir of fsys.
func parse(fsys fs.FS, dir, source string, kind Kind, v int) (Template, error) {
	name := path.Join(dir, fmt.Sprintf("%s.v%d.tmpl", kind, v))
	text, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Template{}, fmt.Errorf("letter template %s/%s: %w", source, name, err)
	}
	best := v
	id := fmt.Sprintf("%s/%s.v%d", source, kind, best)
	tmpl, err := template.New(id).Option("missingkey=error").Funcs(template.FuncMap{"zhdate": ZhDate}).Parse(string(text))
	if err != nil {
		return Template{}, fmt.Errorf("letter template %s: %w", id, err)
	}
	return Template{ID: id, Kind: kind, Version: best, tmpl: tmpl}, nil
}

// Execute fills the template with d and returns the letter's text.
func (t Template) Execute(d Data) (string, error) {
	var b bytes.Buffer
	if err := t.tmpl.Execute(&b, d); err != nil {
		return "", fmt.Errorf("letter template %s: %w", t.ID, err)
	}
	return b.String(), nil
}
