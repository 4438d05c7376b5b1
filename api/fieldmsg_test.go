package api

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/workflows"
)

// latinWord is a word in Latin letters; allowedLatin are those a Chinese sentence may hold.
var (
	latinWord    = regexp.MustCompile(`[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]`)
	allowedLatin = map[string]bool{"PDF": true, "JPEG": true, "PNG": true, "Office": true, "MiB": true,
		"JSON": true, "UTF-8": true, "U": true, "HTTPS": true}
)

// englishIn lists the Latin words of s that are not allowed in Chinese text.
func englishIn(s string) []string {
	var out []string
	for _, w := range latinWord.FindAllString(s, -1) {
		if !allowedLatin[w] && !allowedLatin[w+"-8"] {
			out = append(out, w)
		}
	}
	return out
}

// problemCodes are the codes the API's sources and the workflow's refusals use.
func problemCodes(t *testing.T) []string {
	t.Helper()
	literal := regexp.MustCompile(`problem\([^,()]+, "([a-z_]+)"`)
	codes := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			codes[m[1]] = true
		}
	}
	for code := range workflows.ErrorKinds {
		codes[code] = true
	}
	for status := 400; status < 600; status++ {
		codes[httpCode(status)] = true
	}
	out := make([]string, 0, len(codes))
	for c := range codes {
		out = append(out, c)
	}
	return out
}

// Every problem code reads as Chinese for a zh-CN caller: its title and detail hold no
// English, whatever the English detail said.
func TestEveryProblemCodeInChinese(t *testing.T) {
	codes := problemCodes(t)
	if len(codes) < 40 {
		t.Fatalf("found only %d codes: %v", len(codes), codes)
	}
	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			if _, ok := zhDetails[code]; !ok {
				t.Fatalf("no Chinese detail for %q", code)
			}
			for status := range zhTitles {
				p := inChinese(*problem(status, code, "an English detail"))
				if w := englishIn(p.Title + p.Detail); len(w) > 0 {
					t.Fatalf("status %d: %q %q holds English %v", status, p.Title, p.Detail, w)
				}
			}
		})
	}
}

// Every field message has a Chinese form without English, taking no more arguments than
// the English one.
func TestFieldMessagesInChinese(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9]*[a-zA-Z]`)
	for en, zh := range fieldMessages {
		if w := englishIn(verb.ReplaceAllString(zh, "")); len(w) > 0 {
			t.Errorf("%q: %q holds English %v", en, zh, w)
		}
		if n, m := len(verb.FindAllString(strings.ReplaceAll(zh, "%%", ""), -1)), len(verb.FindAllString(strings.ReplaceAll(en, "%%", ""), -1)); n > m {
			t.Errorf("%q: %q takes %d arguments, the English %d", en, zh, n, m)
		}
	}
}

// Every field problem is made from a catalogued format: the format argument of each
// fields.add and fieldProblem call in the API, and of the check helpers of the staff
// directory and the policy, is a key of fieldMessages.
func TestEveryFieldMessageIsCatalogued(t *testing.T) {
	sources, _ := filepath.Glob("*.go")
	sources = append(sources, "../store/staff.go", "../article23/policy.go", "../article23/text.go")
	fset := token.NewFileSet()
	consts := map[string]string{}
	var calls []*ast.CallExpr
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				calls = append(calls, n)
			}
			return true
		})
	}
	checked := 0
	for _, call := range calls {
		at := formatArg(call)
		if at < 0 || at >= len(call.Args) {
			continue
		}
		var format string
		switch a := call.Args[at].(type) {
		case *ast.BasicLit:
			format, _ = strconv.Unquote(a.Value)
		case *ast.Ident:
			v, ok := consts[a.Name]
			if !ok {
				continue // a variable: its values are literals checked where they are set
			}
			format = v
		default:
			continue
		}
		checked++
		if _, ok := fieldMessages[format]; !ok {
			t.Errorf("%s: %q is not in fieldMessages", fset.Position(call.Pos()), format)
		}
	}
	if checked < 60 {
		t.Fatalf("checked only %d calls", checked)
	}
}

// formatArg is the index of the format argument of a call that makes a field message, or -1.
func formatArg(call *ast.CallExpr) int {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		if fn.Sel.Name == "add" {
			return 1
		}
	case *ast.Ident:
		switch fn.Name {
		case "fieldProblem", "check":
			return map[string]int{"fieldProblem": 1, "check": 2}[fn.Name]
		}
	}
	return -1
}

// A date a workflow refuses names its field in Chinese too.
func TestRefusedDateInChinese(t *testing.T) {
	err := temporal.NewApplicationError("given_on: 2027-01-05 is after today (2026-12-03, Asia/Shanghai)", workflows.CodeDateInFuture)
	var appErr *temporal.ApplicationError
	errors.As(err, &appErr)
	p := inChinese(*refusal(appErr))
	if p.Status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != "given_on" ||
		p.Errors[0].Detail != "不能晚于今天（2026年12月3日，北京时间），收到的是2027年1月5日。" {
		t.Fatalf("problem %+v", p)
	}
}
