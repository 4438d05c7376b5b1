package api

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// wangSubject is memberWang's token subject (auth.Mint's default), whose inbox the tests fill.
const wangSubject = "member@BJ/110000000001"

// notice puts an in-app item in user's list at minute m of 2026-12-03 and returns its id.
func (a *testAPI) notice(user, key string, m int) int64 {
	a.t.Helper()
	it := store.InboxItem{UserID: user, DedupKey: key, CaseNumber: "BJ-2026-0001", Kind: "accepted", Text: "受理通知 " + key,
		CreatedAt: shanghai("2026-12-03", 10, m)}
	if err := a.st.AddInboxItem(a.t.Context(), it); err != nil {
		a.t.Fatal(err)
	}
	items, err := a.st.InboxFor(a.t.Context(), user)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, x := range items {
		if x.DedupKey == key {
			return x.ID
		}
	}
	a.t.Fatalf("item %s not stored", key)
	return 0
}

func TestNotifications(t *testing.T) {
	a := newTestAPI(t)
	first := a.notice(wangSubject, "a", 1)
	a.notice(wangSubject, "b", 2)
	last := a.notice(wangSubject, "c", 3)
	others := a.notice("member@BJ/110000000002", "a", 4)
	var l wire.Notifications
	a.do(memberWang, "GET", "/api/v1/notifications", nil).want(http.StatusOK).decode(&l)
	if l.Unread != 3 || len(l.Notifications) != 3 || l.Notifications[0].ID != last || l.Notifications[2].ID != first {
		t.Fatalf("list %+v", l)
	}
	a.do(memberWang, "GET", "/api/v1/notifications?limit=0", nil).want(http.StatusOK).decode(&l)
	if l.Unread != 3 || len(l.Notifications) != 0 {
		t.Fatalf("count only: %+v", l)
	}
	a.do(memberWang, "GET", "/api/v1/notifications?limit=201", nil).problem(http.StatusUnprocessableEntity, "invalid")

	read := "/api/v1/notifications/" + strconv.FormatInt(first, 10) + "/read"
	a.do(memberWang, "POST", read, nil).want(http.StatusNoContent)
	a.do(memberWang, "POST", read, nil).want(http.StatusNoContent) // again: still read, first time kept
	a.do(memberWang, "GET", "/api/v1/notifications", nil).want(http.StatusOK).decode(&l)
	if l.Unread != 2 || l.Notifications[2].ReadAt == nil || l.Notifications[0].ReadAt != nil {
		t.Fatalf("after reading: %+v", l)
	}
	a.do(memberWang, "POST", "/api/v1/notifications/"+strconv.FormatInt(others, 10)+"/read", nil).problem(http.StatusNotFound, "not_found")
	a.do(secretaryBJ, "POST", read, nil).problem(http.StatusNotFound, "not_found")
	a.do(memberWang, "POST", "/api/v1/notifications/x/read", nil).problem(http.StatusNotFound, "not_found")
	a.do(secretaryBJ, "GET", "/api/v1/notifications", nil).want(http.StatusOK).decode(&l)
	if l.Unread != 0 || len(l.Notifications) != 0 {
		t.Fatalf("the secretary sees %+v", l)
	}
}
