package store

import (
	"strings"
	"unicode"

	"gorm.io/gorm"
)

// Full-text search over summary, counterparty and applicant name behaves the same on both
// dialects. The query is split into terms at every character that is not a letter or digit;
// a case matches when it matches every term:
//   - a term in a script written without spaces (Han, kana, Hangul) matches as a substring,
//     since neither PostgreSQL's "simple" configuration nor FTS5's unicode61 tokenizer
//     segments Chinese: ILIKE on PostgreSQL, LIKE on SQLite;
//   - any other term matches words it begins, case-insensitively: the GIN-indexed tsvector
//     (to_tsquery('simple', 'term:*')) on PostgreSQL, the FTS5 table ("term"*) on SQLite.

// searchTerms splits q into word terms (lower-cased) and substring terms.
func searchTerms(q string) (words, substrings []string) {
	fields := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	for _, f := range fields {
		if strings.IndexFunc(f, unsegmented) >= 0 {
			substrings = append(substrings, f)
		} else {
			words = append(words, strings.ToLower(f))
		}
	}
	return words, substrings
}

// CountSearchTerms is how many terms a search for q holds, as the store splits it.
func CountSearchTerms(q string) int {
	words, substrings := searchTerms(q)
	return len(words) + len(substrings)
}

func unsegmented(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// matchText restricts q (over cases) to the cases matching query; a query with no terms
// matches nothing.
func (s *Store) matchText(q *gorm.DB, query string) *gorm.DB {
	words, substrings := searchTerms(query)
	if len(words) == 0 && len(substrings) == 0 {
		return q.Where("1 = 0")
	}
	like := "LIKE"
	if s.dialect == DialectPostgres {
		like = "ILIKE"
	}
	for _, sub := range substrings {
		pattern := "%" + sub + "%" // terms hold only letters and digits: nothing to escape
		q = q.Where("(cases.summary "+like+" ? OR cases.counterparty "+like+" ? OR cases.applicant_name "+like+" ?)",
			pattern, pattern, pattern)
	}
	if len(words) == 0 {
		return q
	}
	if s.dialect == DialectPostgres {
		return q.Where("cases.search @@ to_tsquery('simple', ?)", strings.Join(words, ":* & ")+":*")
	}
	match := make([]string, len(words))
	for i, w := range words {
		match[i] = `"` + w + `"*`
	}
	return q.Where("cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)", strings.Join(match, " AND "))
}
