package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cicpa/weiquan/internal/testenv"
)

// Browser tests drive headless Chromium (Debian's chromium) through the console over the
// real API. Without chromium they skip, except under CI=true, where they fail.

// chrome starts a fresh headless Chromium for one test and returns its context.
func chrome(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("a headless Chromium per test: skipped under -short")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		testenv.Missing(t, "chromium is not installed: skipping the browser test (apt-get install -y chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		// the readers' locale, for the browser's own controls (date fields as 年/月/日, 「选择文件」): on
		// Linux Chromium takes it from LANGUAGE, with its zh-CN pack from Debian's chromium-l10n
		chromedp.Flag("lang", "zh-CN"), chromedp.Env("LANGUAGE=zh_CN", "LANG=zh_CN.UTF-8"),
		chromedp.WindowSize(1200, 900)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout on this first call
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// run runs actions; on failure it saves a screenshot under t.TempDir() and logs its path.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	failed(t, ctx, what, chromedp.Do(c, steps...))
}

// get runs one action that reads a value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, a)
	failed(t, ctx, what, err)
	return v
}

func failed(t *testing.T, ctx context.Context, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	shot := filepath.Join(t.TempDir(), "failure.png")
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if png, serr := chromedp.Run(c, chromedp.FullScreenshot(100)); serr == nil && os.WriteFile(shot, png, 0o644) == nil {
		t.Logf("screenshot of the failure: %s", shot)
	}
	t.Fatalf("%s: %v", what, err)
}

// screenshot keeps a full-page screenshot in WEIQUAN_WEB_SCREENSHOTS (if set) for review.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("WEIQUAN_WEB_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Error(err)
	}
}

// signInAs uses the development sign-in page.
func signInAs(t *testing.T, ctx context.Context, base, role, institute, member string) {
	t.Helper()
	signInAccountAs(t, ctx, base, role, institute, member, "")
}

// signInAccountAs signs in with an account of its own (subject), e.g. secretary2@BJ.
func signInAccountAs(t *testing.T, ctx context.Context, base, role, institute, member, subject string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/signin"),
		chromedp.SetValue(chromedp.CSS("#f-role"), role), chromedp.SetValue(chromedp.CSS("#f-institute"), institute)}
	if member != "" {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#f-member_no"), member))
	}
	if subject != "" {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#f-subject"), subject))
	}
	run(t, ctx, "sign in as "+role, append(steps,
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action="/signin"]`)), chromedp.WaitVisible(chromedp.CSS("header nav")))...)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

func wantIn(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("%q not in:\n%s", w, got)
		}
	}
}

// memberSubmits fills in and submits the request form in the browser; it returns the case URL.
func memberSubmits(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	signInAs(t, ctx, base, "member", "BJ", "110000000001")
	run(t, ctx, "submit a request",
		chromedp.Navigate(base+"/cases/new"),
		chromedp.SendKeys(chromedp.CSS("#f-applicant-name"), "王会计师"),
		chromedp.SendKeys(chromedp.CSS("#f-counterparty"), "某会计师事务所"),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "离职后前雇主拖欠三个月工资"),
		chromedp.SendKeys(chromedp.CSS("#f-claims"), "支付拖欠的工资"),
		chromedp.Click(chromedp.CSS(`form[action="/cases"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#clock-decision")))
	url := get(t, ctx, "location", chromedp.Location())
	return strings.SplitN(url, "?", 2)[0]
}
