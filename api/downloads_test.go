package api

import (
	"net/http"
	"testing"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// A secretary's downloads of an attachment and of a letter are on the case (who, which file,
// when), by the directory's name; the member's own download is not, and the member's case
// document lists none.
func TestStaffDownloadsAreAudited(t *testing.T) {
	a := newTestAPI(t)
	a.addStaff("u-li", "BJ", article23.RoleSecretary, "李秘书")
	li := principal{article23.RoleSecretary, "BJ", "", "u-li", ""}
	c := a.accepted()
	n := "/api/v1/cases/" + c.Number
	body, ct := multipartBody(t, map[string][]byte{"合同.pdf": []byte("%PDF-1.7 contract")})
	var up struct {
		Attachments []wire.Attachment `json:"attachments"`
	}
	a.do(memberWang, "POST", n+"/attachments", body, "Content-Type", ct).want(http.StatusCreated).decode(&up)
	acc := a.letter(c.Number, "acceptance", 3, shanghai("2026-12-03", 10, 0))

	a.do(memberWang, "GET", n+"/attachments/"+up.Attachments[0].ID, nil).want(http.StatusOK)
	a.do(li, "GET", n+"/attachments/"+up.Attachments[0].ID, nil).want(http.StatusOK)
	a.do(li, "GET", n+"/documents/"+acc.ID, nil).want(http.StatusOK)
	a.do(li, "GET", n+"/documents/acceptance-99", nil).problem(http.StatusNotFound, "not_found")

	var staff, member wire.Case
	a.do(supervisorBJ, "GET", n, nil).want(http.StatusOK).decode(&staff)
	if len(staff.Downloads) != 2 {
		t.Fatalf("downloads %+v", staff.Downloads)
	}
	att, doc := staff.Downloads[0], staff.Downloads[1]
	if att.FileKind != "attachment" || att.FileName != "合同.pdf" || att.Actor.ID != "u-li" || att.Actor.Name != "李秘书" ||
		doc.FileKind != "document" || doc.FileID != acc.ID || doc.FileName != "受理通知书.pdf" || doc.At.IsZero() {
		t.Fatalf("downloads %+v", staff.Downloads)
	}
	a.do(memberWang, "GET", n, nil).want(http.StatusOK).decode(&member)
	if member.Downloads != nil {
		t.Fatalf("the member sees the staff's downloads: %+v", member.Downloads)
	}
}
