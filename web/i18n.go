package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cicpa/weiquan/article23"
)

// languages the console speaks; the first is the default.
var languages = []string{"zh", "en"}

// catalogue maps a language to its messages: web/i18n/<lang>.json, and clock.<name> from
// article23's clock labels, which every other part of weiquan names the clocks with too.
type catalogue map[string]map[string]string

func loadCatalogue() (catalogue, error) {
	cat := catalogue{}
	for _, l := range languages {
		b, err := assets.ReadFile("i18n/" + l + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", l, err)
		}
		for _, n := range article23.ClockNames {
			m["clock."+string(n)] = n.Label(l)
		}
		cat[l] = m
	}
	return cat, nil
}

func mustCatalogue() catalogue {
	cat, err := loadCatalogue()
	if err != nil {
		panic(err) // embedded; TestCatalogues keeps it valid
	}
	return cat
}

// t translates key into lang, formatting args with fmt verbs in the message; a missing key
// shows itself, so a gap is visible rather than blank.
func (cat catalogue) t(lang, key string, args ...any) string {
	msg, ok := cat[lang][key]
	if !ok {
		msg, ok = cat[languages[0]][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// has reports whether key is in the catalogue.
func (cat catalogue) has(key string) bool { _, ok := cat[languages[0]][key]; return ok }

// language is ?lang=, else the lang cookie, else Simplified Chinese.
func language(r *http.Request) string {
	l := r.URL.Query().Get("lang")
	if l == "" {
		if ck, err := r.Cookie("lang"); err == nil {
			l = ck.Value
		}
	}
	for _, k := range languages {
		if strings.EqualFold(l, k) {
			return k
		}
	}
	return languages[0]
}
