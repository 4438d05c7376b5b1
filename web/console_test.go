package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Handler tests over the real API (SQLite store, calendar, tokens) with the fake engine.

func TestMemberSubmitsAndSeesDecisionDue(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	p := wang.submitCase().must(t, http.StatusOK, "申请已提交", "2026年12月18日", "15 个工作日", "劳动合同.pdf", `lang="zh-CN"`)
	number := p.caseNumber()
	list := wang.get("/cases").must(t, http.StatusOK, number)
	if n := strings.Count(list.body, `href="/cases/BJ-`); n != 1 {
		t.Fatalf("%d cases listed, want 1", n)
	}
	other := sys.browser()
	other.signIn(article23.RoleMember, "BJ", "110000000002")
	other.get("/cases/"+number).must(t, http.StatusNotFound) // never anyone else's case
}

func TestDoubleSubmitOpensOneCase(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	wang.get("/cases/new")
	token := wang.formToken("/cases")
	fields := url.Values{"applicant.name": {"王会计师"}, "applicant.kind": {"practising"}, "counterparty": {"某所"},
		"category": {"labour"}, "summary": {"拖欠工资"}, "claims": {"支付"}}
	first := wang.postToken("/cases", token, fields)
	second := wang.postToken("/cases", token, fields) // the same form, sent twice
	if first.caseNumber() != second.caseNumber() || first.caseNumber() == "" {
		t.Fatalf("double submit opened %q and %q", first.caseNumber(), second.caseNumber())
	}
}

func TestPostWithoutFormTokenIsRefused(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	wang.postToken("/cases", "", url.Values{"summary": {"x"}}).must(t, http.StatusForbidden, "表单已失效")
	wang.postToken("/cases", "forged.token", url.Values{"summary": {"x"}}).must(t, http.StatusForbidden)
	other := sys.browser() // a token from another session is not this session's
	other.get("/signin")
	wang.postToken("/signout", other.formToken("/signin"), nil).must(t, http.StatusForbidden)
}

func TestInvalidSubmissionShowsFieldErrors(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	wang.get("/cases/new")
	p := wang.post("/cases", url.Values{"applicant.name": {"王会计师"}, "applicant.kind": {"practising"}, "category": {"labour"}})
	p.must(t, http.StatusUnprocessableEntity, `id="f-counterparty-err"`, "此项必填", `aria-invalid="true"`, "王会计师")
}

// accepted opens a case as 王会计师 and accepts it as 李秘书 on 2026-12-03.
func accepted(t *testing.T, sys *system) (number string, li *browser) {
	t.Helper()
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	number = wang.submitCase().caseNumber()
	sys.setNow(shanghai("2026-12-03", 10, 0))
	li = sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/cases/"+number).must(t, http.StatusOK, "受理决定", `action="/cases/`+number+`/decision"`)
	li.post("/cases/"+number+"/decision", url.Values{"decision": {"accept"}, "notice_served_on": {"2026-12-03"}}).
		must(t, http.StatusOK, "决定已记录")
	return number, li
}

func TestSecretaryAcceptsAndMemberSeesNextDeadlines(t *testing.T) {
	sys := newSystem(t)
	number, li := accepted(t, sys)
	// the stage's forms only: the committee and the extension, no decision form any more
	p := li.get("/cases/"+number).must(t, http.StatusOK, `/committee-meeting"`, `/extensions"`, "最晚可延至")
	if strings.Contains(p.body, `/decision"`) {
		t.Error("the decision form is still offered after the decision")
	}
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	wang.get("/cases/"+number).must(t, http.StatusOK, "已受理", `id="clock-committee"`, `id="clock-feedback"`, "2026年12月3日 送达")
}

func TestRejectionWithoutReasonsShowsErrorAtReasons(t *testing.T) {
	sys := newSystem(t)
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	number := wang.submitCase().caseNumber()
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/cases/" + number)
	p := li.post("/cases/"+number+"/decision", url.Values{"decision": {"reject"}, "notice_served_on": {"2026-11-27"}})
	p.must(t, http.StatusUnprocessableEntity, `id="f-reasons-err"`, `aria-describedby="f-reasons-err"`)
	li.get("/cases/"+number).must(t, http.StatusOK, "已收到，待决定")
}

func TestSupervisorApprovesExtension(t *testing.T) {
	sys := newSystem(t)
	number, li := accepted(t, sys)
	li.get("/cases/" + number)
	capDue := between(li.last, `id="f-until" name="until" type="date" value="" max="`, `"`)
	li.post("/cases/"+number+"/extensions", url.Values{"until": {capDue}, "reason": {"案情复杂，需补充鉴定"}}).
		must(t, http.StatusOK, "延期申请已提交", "待审批")
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "")
	zhang.get("/dashboard").must(t, http.StatusOK, "案情复杂", "按时完成率", "<svg")
	zhang.post("/cases/"+number+"/extensions/1/decision", url.Values{"approve": {"true"}, "back": {"/dashboard"}}).
		must(t, http.StatusOK, "已批准延期", "没有待审批的延期申请")
	li.get("/cases/"+number).must(t, http.StatusOK, "已批准", capDue)
}

func TestComplianceCSVIsTheAPIs(t *testing.T) {
	sys := newSystem(t)
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "")
	zhang.get("/reports/compliance").must(t, http.StatusOK, "下载表格")
	p := zhang.get("/reports/compliance.csv?from=2026-01-01&to=2026-12-31").must(t, http.StatusOK, "注协代码,注协,阶段,按时办结")
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
}

func TestEnglishSwitch(t *testing.T) {
	sys := newSystem(t)
	b := sys.browser()
	b.get("/signin?lang=en").must(t, http.StatusOK, `<html lang="en">`, "Sign in", "中文")
	b.get("/signin").must(t, http.StatusOK, `<html lang="en">`) // the cookie keeps it
	b.get("/signin?lang=zh").must(t, http.StatusOK, `<html lang="zh-CN">`, "登录")
}

func TestPagesNeedSignIn(t *testing.T) {
	sys := newSystem(t)
	for _, path := range []string{"/cases", "/inbox", "/dashboard", "/calendar", "/cases/BJ-2026-0001"} {
		p := sys.browser().get(path)
		if !strings.HasPrefix(p.url, "/signin?") {
			t.Errorf("%s: ended at %s", path, p.url)
		}
	}
}

func TestAPIPathsPassThrough(t *testing.T) {
	sys := newSystem(t)
	sys.browser().get("/healthz").must(t, http.StatusOK, `"status":"ok"`)
	sys.browser().get("/api/v1/cases").must(t, http.StatusUnauthorized, "unauthenticated")
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

// TestSupervisorAcknowledgesEscalation: a breached case reaches the institute's supervisor's
// dashboard, and acknowledging it there removes it.
func TestSupervisorAcknowledgesEscalation(t *testing.T) {
	sys := newSystem(t)
	number, _ := accepted(t, sys)
	escalate(t, sys.engine, number, 1)
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "")
	zhang.get("/dashboard").must(t, http.StatusOK, "待确认的超期提醒", number, "最高第 1 级", "确认受理决定第 1 级")
	zhang.post("/escalations/"+number+"/1/acknowledgement", url.Values{"back": {"/dashboard"}}).
		must(t, http.StatusOK, "没有待确认的超期提醒")
	other := sys.browser()
	other.signIn(article23.RoleSupervisor, "SH", "")
	other.get("/dashboard").must(t, http.StatusOK, "没有待确认的超期提醒")
}

// TestOutOfStepBannerForStaff: a case the store is behind on says so to the secretary, in
// Chinese, and not to the member.
func TestOutOfStepBannerForStaff(t *testing.T) {
	sys := newSystem(t)
	number, li := accepted(t, sys)
	if err := sys.st.NoteRecordFailure(t.Context(), number, errors.New("database refused")); err != nil {
		t.Fatal(err)
	}
	li.get("/cases/"+number).must(t, http.StatusOK, `id="out-of-step"`, "未能写入案件库（已尝试 1 次）")
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	if p := wang.get("/cases/"+number).must(t, http.StatusOK, "已受理"); strings.Contains(p.body, "out-of-step") {
		t.Error("the member is shown the out-of-step banner")
	}
}

// TestCorrectionNoteForStaff: a case whose log entries a step redone after a crash replaced
// says so to the secretary, in Chinese, and not to the member.
func TestCorrectionNoteForStaff(t *testing.T) {
	sys := newSystem(t)
	number, li := accepted(t, sys)
	view, err := sys.st.Case(t.Context(), number)
	if err != nil {
		t.Fatal(err)
	}
	last := view.Events[len(view.Events)-1]
	last.At = last.At.Add(time.Second) // the step redone: the same entry, a second later
	if err := sys.st.Replace(t.Context(), article23.Record{Event: last, Case: view.Case}); err != nil {
		t.Fatal(err)
	}
	li.get("/cases/"+number).must(t, http.StatusOK, `class="note correction"`,
		fmt.Sprintf("此前记下的 1 条办理记录（自第 %d 条起）已由重做的结果取代", last.Seq))
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	if p := wang.get("/cases/"+number).must(t, http.StatusOK, "已受理"); strings.Contains(p.body, "correction") {
		t.Error("the member is shown the correction")
	}
}
