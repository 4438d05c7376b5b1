package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// settingsPost is the settings form of Beijing as posted with the defaults, replacing version.
func settingsPost(version string) url.Values {
	return url.Values{"institute": {"BJ"}, "version": {version},
		"policy.decision_workdays": {"15"}, "policy.committee_workdays": {"30"}, "policy.feedback_workdays": {"60"},
		"policy.cap_workdays": {"90"}, "policy.count_from": {"decision"}, "policy.reminder_workdays": {"5, 1"},
		"policy.escalate_after_workdays": {"5"}, "policy.supplement_window_workdays": {"5"},
		"policy.working_hours_start": {"09:00"}, "policy.working_hours_end": {"18:00"}, "policy.routing": {"unassigned"},
		"contacts.secretary.emails": {""}, "contacts.secretary.webhooks[0].url": {""}, "contacts.secretary.webhooks[0].secret": {""},
		"contacts.supervisors.emails": {""}, "contacts.supervisors.webhooks[0].url": {""}, "contacts.supervisors.webhooks[0].secret": {""}}
}

// TestAdminChangesSettings: CICPA's admin changes Beijing's settings; wrong fields are shown
// beside themselves with what was typed, a save over a newer version is refused with a way
// to reload, the history names who saved, and the next case follows the new routing.
func TestAdminChangesSettings(t *testing.T) {
	sys := newSystem(t)
	admin := sys.browser()
	admin.signIn(article23.RoleAdmin, article23.NationalInstitute, "")
	admin.get("/admin/settings?institute=BJ").must(t, http.StatusOK, "修改只适用于此后收到的申请；进行中的案件沿用其受理时的规则。",
		"当前为默认设置", "第二十三条：受理期限 ≤ 15 个工作日", `name="policy.decision_workdays" type="number" value="15"`, `<option value="BJ" selected>`)

	bad := settingsPost("0")
	bad.Set("policy.decision_workdays", "16")
	bad.Set("policy.escalate_after_workdays", "五")
	bad.Set("policy.routing", "round_robin")
	bad.Set("contacts.secretary.emails", "office@bj.example\nbad@")
	bad.Set("contacts.secretary.webhooks[0].url", "https://hooks.example.com/wq")
	admin.post("/admin/settings", bad).must(t, http.StatusUnprocessableEntity, `id="f-policy-escalate_after_workdays-err"`, `value="五"`)
	bad.Set("policy.escalate_after_workdays", "5")
	admin.post("/admin/settings", bad).must(t, http.StatusUnprocessableEntity,
		`id="f-policy-decision_workdays-err"`, "须为 1–15 个工作日（第二十三条）", `value="16"`,
		`id="f-contacts-secretary-emails-err"`, "「bad@」不是有效的电子邮件地址", "office@bj.example\nbad@",
		`id="f-contacts-secretary-webhooks-0-secret-err"`, "新地址须设置 16–200 个字符的密钥", `value="https://hooks.example.com/wq"`,
		`value="round_robin" checked`)

	good := bad
	good.Set("policy.decision_workdays", "10")
	good.Set("contacts.secretary.emails", "office@bj.example")
	good.Set("contacts.secretary.webhooks[0].secret", "0123456789abcdef-secret")
	admin.post("/admin/settings", good).must(t, http.StatusOK, "设置已保存，适用于此后收到的申请。", "当前为第 1 版，由系统管理员于",
		"已设置，留空则不变", "第 1 版", "10、30、60、90 个工作日", "轮流分配")
	admin.post("/admin/settings", good).must(t, http.StatusConflict, "未保存：您打开页面后，设置已被他人修改", `id="reload"`)

	again := settingsPost("1") // the webhook kept without its secret keeps the secret
	again.Set("policy.routing", "round_robin")
	again.Set("contacts.secretary.webhooks[0].url", "https://hooks.example.com/wq")
	again.Set("contacts.secretary.webhooks[0].secret_set", "true")
	admin.post("/admin/settings", again).must(t, http.StatusOK, "当前为第 2 版")

	number := submitAt(t, sys) // round robin: the first active secretary by account
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	if facts := between(li.get("/cases/"+number).body, `id="assignee"`, "</div>"); !strings.Contains(facts, "马秘书") {
		t.Errorf("a new case under round robin went to %q", facts)
	}
}

// TestSupervisorReadsSettings: the institute's supervisor reads the settings, cannot change
// them; a secretary cannot open them.
func TestSupervisorReadsSettings(t *testing.T) {
	sys := newSystem(t)
	zhang := sys.browser()
	zhang.signIn(article23.RoleSupervisor, "BJ", "")
	p := zhang.get("/admin/settings").must(t, http.StatusOK, `<fieldset class="plain" disabled>`, "您可以查看；如需修改，请联系管理员。")
	if strings.Contains(p.body, "保存设置") {
		t.Error("a supervisor is offered to save")
	}
	li := sys.browser()
	li.signIn(article23.RoleSecretary, "BJ", "")
	li.get("/admin/settings").must(t, http.StatusForbidden)
}
