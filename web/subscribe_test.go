package web

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

var feedInput = regexp.MustCompile(`id="(case-feed|my-feed)" value="([^"]+)"`)

// fetchFeed gets a feed URL as a calendar application does: no cookie, no token header.
func fetchFeed(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// The member subscribes from the case page: the page shows the case's feed and her own,
// which a calendar application fetches without the session; revoking ends both.
func TestSubscribeFromTheCasePage(t *testing.T) {
	sys := newSystem(t)
	b := sys.browser()
	b.signIn(article23.RoleMember, "BJ", "110000000001")
	number := b.submitCase().must(t, http.StatusOK, `id="subscribe"`).caseNumber()
	action := "/cases/" + number + "/subscription"
	p := b.post(action, nil).must(t, http.StatusOK, "日历订阅", "webcal://")
	feeds := map[string]string{}
	for _, m := range feedInput.FindAllStringSubmatch(p.body, -1) {
		feeds[m[1]] = html.UnescapeString(m[2])
	}
	if !strings.HasPrefix(feeds["case-feed"], sys.srv.URL+"/api/v1/feeds/") || !strings.HasSuffix(feeds["case-feed"], "/cases/"+number+"/deadlines.ics") {
		t.Fatalf("feeds %v", feeds)
	}
	for _, id := range []string{"case-feed", "my-feed"} {
		status, body := fetchFeed(t, feeds[id])
		if status != http.StatusOK || !strings.HasPrefix(body, "BEGIN:VCALENDAR") || !strings.Contains(body, "UID:"+number+"-decision@") {
			t.Fatalf("%s: %d\n%s", id, status, body)
		}
	}
	b.post("/calendar/subscription/revoke", map[string][]string{"case": {number}}).must(t, http.StatusOK, "订阅链接已停用")
	for _, id := range []string{"case-feed", "my-feed"} {
		if status, _ := fetchFeed(t, feeds[id]); status != http.StatusNotFound {
			t.Fatalf("%s after revoking: %d", id, status)
		}
	}
}
