package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// TestAdminManagesStaff: CICPA's admin lists Beijing's people, adds one (a wrong e-mail is
// shown beside its field and nothing typed is lost; the same account twice is refused at the
// account), edits a name, and deactivates someone, who can then no longer work.
func TestAdminManagesStaff(t *testing.T) {
	sys := newSystem(t)
	admin := sys.browser()
	admin.signIn(article23.RoleAdmin, article23.NationalInstitute, "").must(t, http.StatusOK, "人员名录", "李秘书", "系统管理员 · 运维管理员")
	admin.get("/admin/staff?institute=BJ").must(t, http.StatusOK, `<option value="BJ" selected>`, "李秘书", "马秘书", "张处长")
	if strings.Contains(admin.last, "注册管理部") {
		t.Error("the Beijing filter lists CICPA's people")
	}
	add := url.Values{"filter": {"BJ"}, "id": {"secretary3@BJ"}, "name": {"赵秘书"}, "role": {"secretary"}, "new_institute": {"BJ"}, "email": {"zhao@"}}
	admin.post("/admin/staff", add).must(t, http.StatusUnprocessableEntity, `id="f-email-err"`, "「zhao@」不是有效的电子邮件地址",
		`value="赵秘书"`, `value="secretary3@BJ"`)
	add.Set("email", "zhao@bj.example")
	admin.post("/admin/staff", add).must(t, http.StatusOK, "已添加。", "赵秘书", "zhao@bj.example", "从未登录")
	admin.post("/admin/staff", add).must(t, http.StatusConflict, `id="f-id-err"`, "该账号已在人员名录中。")

	admin.get("/admin/staff?institute=BJ")
	edit := "/admin/staff/secretary2@BJ"
	admin.post(edit, url.Values{"filter": {"BJ"}, "name": {"马秘书"}, "email": {"ma@"}, "role": {"secretary"}}).
		must(t, http.StatusUnprocessableEntity, `<details class="edit" open>`, "「ma@」不是有效的电子邮件地址", `value="ma@"`)
	admin.get("/admin/staff?institute=BJ")
	admin.post(edit, url.Values{"filter": {"BJ"}, "name": {"马晓秘书"}, "email": {"ma@bj.example"}, "role": {"secretary"}}).
		must(t, http.StatusOK, "已保存。", "马晓秘书")
	admin.post(edit+"/active", url.Values{"filter": {"BJ"}, "active": {"false"}}).must(t, http.StatusOK, "已停用该账号。", "已停用", "启用")

	ma := sys.browser()
	ma.get("/signin")
	ma.post("/signin", url.Values{"role": {"secretary"}, "institute": {"BJ"}, "subject": {"secretary2@BJ"}}).
		must(t, http.StatusForbidden, "您的账号已被管理员停用")
	if p := admin.get("/admin/staff"); strings.Contains(p.body, `action="/admin/staff/admin@CICPA/active"`) {
		t.Error("the admin is offered to deactivate themselves")
	}
	p := admin.postToken("/admin/staff/admin@CICPA/active", admin.formToken("/signout"), url.Values{"active": {"false"}}).
		must(t, http.StatusUnprocessableEntity, "不能停用自己的账号")
	if strings.Contains(p.body, " open>") || !strings.Contains(p.body, `value="系统管理员"`) {
		t.Error("a refused deactivation opens the edit form or loses the name")
	}
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/admin/staff").must(t, http.StatusForbidden)
}

// TestInstituteAdminSeesOwnStaff: an institute's admin has no institute filter and sees only
// their own people.
func TestInstituteAdminSeesOwnStaff(t *testing.T) {
	sys := newSystem(t)
	admin := sys.browser()
	p := admin.signIn(article23.RoleAdmin, "BJ", "").must(t, http.StatusOK, "李秘书", "张处长")
	if strings.Contains(p.body, `id="f-filter"`) || strings.Contains(p.body, "注册管理部") || strings.Contains(p.body, `name="new_institute"`) {
		t.Errorf("an institute admin sees other institutes:\n%s", p.body)
	}
}
