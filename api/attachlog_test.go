package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// An upload is in the case's log with who added which file; a withdrawn or closed case takes
// none (409, nothing stored, nothing logged).
func TestUploadsAreLoggedAndRefusedOnFinishedCases(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	n := "/api/v1/cases/" + c.Number
	body, ct := multipartBody(t, map[string][]byte{"合同.pdf": []byte("%PDF-1.7 contract")})
	a.do(memberWang, "POST", n+"/attachments", body, "Content-Type", ct).want(http.StatusCreated)
	var got wire.Case
	a.do(memberWang, "GET", n, nil).want(http.StatusOK).decode(&got)
	last := got.Events[len(got.Events)-1]
	var data article23.EventData
	_ = json.Unmarshal(last.Data, &data)
	if last.Type != article23.EventAttachmentsAdded || last.Actor.MemberNo != "110000000001" || len(data.Attachments) != 1 || data.Attachments[0].Name != "合同.pdf" {
		t.Fatalf("log ends with %+v %+v", last, data)
	}

	a.do(memberWang, "POST", n+"/withdrawal", map[string]any{"reason": "已和解"}).want(http.StatusOK)
	body, ct = multipartBody(t, map[string][]byte{"补充.pdf": []byte("%PDF-1.7 late")})
	a.do(memberWang, "POST", n+"/attachments", body, "Content-Type", ct).problem(http.StatusConflict, "case_withdrawn")
	var after wire.Case
	a.do(memberWang, "GET", n, nil).want(http.StatusOK).decode(&after)
	if len(after.Attachments) != 1 || len(after.Events) != len(got.Events)+1 {
		t.Fatalf("a refused upload changed the case: %d attachments, %d events", len(after.Attachments), len(after.Events))
	}
}
