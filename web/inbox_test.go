package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// submitAt opens a case as 王会计师 at the harness's current time and returns its number.
func submitAt(t *testing.T, sys *system) string {
	t.Helper()
	wang := sys.browser()
	wang.signIn(article23.RoleMember, "BJ", "110000000001")
	return wang.submitCase().caseNumber()
}

// TestInboxLeadsWithOverdue: what is overdue comes first and says by how many working days;
// the rest say how many are left, amber within five, "today" on the day.
func TestInboxLeadsWithOverdue(t *testing.T) {
	sys := newSystem(t)
	early := submitAt(t, sys) // Friday 2026-11-27: decision due 2026-12-18
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/inbox").must(t, http.StatusOK, `class="row-ok" id="task-`+early+`"`, "剩 15 个工作日", "受理决定：2026年12月18日 到期")
	sys.setNow(shanghai("2026-12-04", 20, 0))
	late := submitAt(t, sys) // Friday 2026-12-04: due 2026-12-25

	sys.setNow(shanghai("2026-12-18", 9, 0))
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/inbox").must(t, http.StatusOK, `class="row-soon" id="task-`+early+`"`, "今天到期", `class="row-soon" id="task-`+late+`"`, "剩 5 个工作日")

	sys.setNow(shanghai("2026-12-21", 9, 0))
	li.signIn(article23.RoleSecretary, "BJ", "")
	p := li.get("/inbox").must(t, http.StatusOK, `class="row-late" id="task-`+early+`"`, "已超期 1 个工作日",
		`class="row-soon" id="task-`+late+`"`, "剩 4 个工作日")
	if strings.Index(p.body, "task-"+early) > strings.Index(p.body, "task-"+late) {
		t.Error("the overdue case is not first")
	}
	if strings.Contains(p.body, "/calendar/due") || strings.Contains(p.body, "secretary@BJ") {
		t.Error("the inbox shows what it should not")
	}
}

// TestSecretaryClaimsFromInbox: a new case waits in the queue, every secretary of the
// institute is told, 李秘书 claims it from the 待认领 tab and it is hers; 马秘书 sees it as
// 李秘书's and cannot claim it any more.
func TestSecretaryClaimsFromInbox(t *testing.T) {
	sys := newSystem(t)
	number := submitAt(t, sys)
	sys.deliver()
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/notifications").must(t, http.StatusOK, "维权服务申请已收到", number)
	li.get("/inbox?tab=unassigned").must(t, http.StatusOK, `id="tab-unassigned" aria-current="page"`, number, "待认领",
		`action="/cases/`+number+`/claim"`)
	li.post("/cases/"+number+"/claim", url.Values{"back": {"/inbox?tab=unassigned"}}).
		must(t, http.StatusOK, "已认领，可在「我的」中查看。", "没有待认领的案件。")
	li.get("/inbox?tab=mine").must(t, http.StatusOK, `id="tab-mine" aria-current="page"`, number, "李秘书")

	ma := sys.browser()
	ma.signInAccount(article23.RoleSecretary, "BJ", "", "secretary2@BJ").must(t, http.StatusOK, "马秘书")
	ma.get("/notifications").must(t, http.StatusOK, "维权服务申请已收到") // told while the case was in the queue
	if p := ma.get("/inbox?tab=mine"); strings.Contains(p.body, number) {
		t.Errorf("马秘书's own cases list 李秘书's case:\n%s", p.body)
	}
	p := ma.get("/inbox").must(t, http.StatusOK, number, "李秘书")
	if strings.Contains(p.body, `/claim"`) {
		t.Error("a claimed case still offers 认领")
	}
	ma.get("/cases/" + number)
	ma.postToken("/cases/"+number+"/claim", ma.formToken("/cases/"+number+"/attachments"), nil).
		must(t, http.StatusConflict, "该案件已有经办人")
}

// TestCasePageHandsOver: the case page names the assignee, offers 认领 to secretaries while
// the case is in the queue and 转交 to the institute's other active secretaries by name; the
// timeline says who took it and from whom to whom.
func TestCasePageHandsOver(t *testing.T) {
	sys := newSystem(t)
	number := submitAt(t, sys)
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "")
	p := zhang.get("/cases/"+number).must(t, http.StatusOK, `<option value="secretary@BJ">李秘书</option>`, `<option value="secretary2@BJ">马秘书</option>`)
	if strings.Contains(p.body, `id="form-claim"`) {
		t.Error("a supervisor is offered 认领")
	}
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/cases/"+number).must(t, http.StatusOK, `<span class="badge queue">待认领</span>`, `id="form-claim"`)
	p = li.post("/cases/"+number+"/claim", nil).must(t, http.StatusOK, "已认领", "认领案件", "李秘书 · 会员服务联系人")
	if strings.Contains(p.body, `id="form-claim"`) || strings.Contains(p.body, `<option value="secretary@BJ">`) {
		t.Error("after the claim: 认领 still offered, or the assignee offered as a colleague")
	}
	if facts := between(p.body, `id="assignee"`, "</div>"); !strings.Contains(facts, "李秘书") {
		t.Errorf("assignee fact %q", facts)
	}
	li.post("/cases/"+number+"/assignment", url.Values{"secretary": {"supervisor@BJ"}}).
		must(t, http.StatusUnprocessableEntity, `id="f-secretary-err"`, "请选择本注协在岗的会员服务联系人")
	li.get("/cases/" + number)
	p = li.post("/cases/"+number+"/assignment", url.Values{"secretary": {"secretary2@BJ"}}).
		must(t, http.StatusOK, "已转交。", "转交经办人", "由李秘书转交给马秘书")
	if facts := between(p.body, `id="assignee"`, "</div>"); !strings.Contains(facts, "马秘书") {
		t.Errorf("assignee fact %q", facts)
	}
	if tl := between(p.body, `id="h-timeline"`, "</section>"); strings.Contains(tl, "@BJ") {
		t.Errorf("the timeline shows raw ids:\n%s", tl)
	}
}

// TestSignInWithAccount: the development sign-in takes an account, whose name the header
// shows and whose cases are its own.
func TestSignInWithAccount(t *testing.T) {
	sys := newSystem(t)
	number := submitAt(t, sys)
	ma := sys.browser()
	ma.signInAccount(article23.RoleSecretary, "BJ", "", "secretary2@BJ").must(t, http.StatusOK, `<span class="me">马秘书 · 会员服务联系人 · 北京注册会计师协会</span>`)
	ma.get("/cases/" + number)
	ma.post("/cases/"+number+"/claim", nil).must(t, http.StatusOK, "认领案件", "马秘书 · 会员服务联系人")
	ma.get("/inbox?tab=mine").must(t, http.StatusOK, number)
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	if p := li.get("/inbox?tab=mine"); strings.Contains(p.body, number) {
		t.Error("李秘书 sees 马秘书's case as hers")
	}
}
