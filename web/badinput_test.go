package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// An upload to a case the member has withdrawn is refused in Chinese on the case page, and
// nothing is attached.
func TestUploadToWithdrawnCaseRefusedInChinese(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	number := wang.submitCase().caseNumber()
	path := "/cases/" + number
	wang.get(path).must(t, http.StatusOK)
	token := wang.formToken(path + "/attachments") // the page as it was before the withdrawal
	wang.get(path+"/withdraw").must(t, http.StatusOK)
	wang.post(path+"/withdrawal", url.Values{"reason": {"已与事务所和解"}}).must(t, http.StatusOK)
	p := wang.postToken(path+"/attachments", token, nil, "补充材料.pdf")
	if p.status < 400 || p.status >= 500 {
		t.Fatalf("status %d", p.status)
	}
	p.must(t, p.status, "会员已撤回本案，不能再上传材料。")
	if regexp.MustCompile(`case_withdrawn|problem\.`).MatchString(p.body) {
		t.Fatalf("a raw code on the page:\n%s", p.body)
	}
	if after := wang.get(path).must(t, http.StatusOK); strings.Contains(after.body, "补充材料.pdf") {
		t.Fatal("the refused file is on the case")
	}
}
