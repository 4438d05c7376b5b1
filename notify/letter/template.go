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

// newest parses the highest <kind>.v<N>.tmpl in dir of fsys.
func newest(fsys fs.FS, dir, source string, kind Kind) (Template, error) {
	names, err := fs.Glob(fsys, path.Join(dir, string(kind)+".v*.tmpl"))
	if err != nil {
		return Template{}, fmt.Errorf("letter template %s/%s: %w", source, kind, err)
	}
	best, bestName := 0, ""
	for _, name := range names {
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path.Base(name), string(kind)+".v"), ".tmpl"))
		if err == nil && v > best {
			best, bestName = v, name
		}
	}
	if bestName == "" {
		return Template{}, fmt.Errorf("letter template %s/%s: %w", source, kind, fs.ErrNotExist)
	}
	text, err := fs.ReadFile(fsys, bestName)
	if err != nil {
		return Template{}, fmt.Errorf("letter template %s: %w", bestName, err)
	}
	id := fmt.Sprintf("%s/%s.v%d", source, kind, best)
	tmpl, err := template.New(id).Option("missingkey=error").Funcs(template.FuncMap{"zhdate": zhdate}).Parse(string(text))
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
