package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/wire"
)

// Each timeline entry says what it changed, in the page's language.
func TestTimelineDetails(t *testing.T) {
	c := &Console{cat: mustCatalogue()}
	ev := func(typ article23.EventType, d article23.EventData) article23.Event {
		raw, _ := json.Marshal(d)
		return article23.Event{Type: typ, Data: raw}
	}
	tests := []struct {
		ev     article23.Event
		zh, en string
	}{
		{ev(article23.EventClockStarted, article23.EventData{Clock: article23.ClockCommittee, Workdays: 30, Due: "2027-01-15"}),
			"委员会会议期限开始计算：30 个工作日，截至 2027年1月15日（含当日）24:00", "Committee meeting clock started: 30 working days, until 2027-01-15 24:00 (that day included)"},
		{ev(article23.EventClockMet, article23.EventData{Clock: article23.ClockDecision, Date: "2026-12-03", Workdays: 4, Due: "2026-12-18"}),
			"受理决定期限于 2026年12月3日 完成，用时 4 个工作日（截至 2026年12月18日）", ""},
		{ev(article23.EventAttachmentsAdded, article23.EventData{Attachments: []article23.AttachmentNote{{Name: "合同.pdf", Size: 2048}, {Name: "流水.png", Size: 3 << 20}}}),
			"合同.pdf（2.0 KB）、流水.png（3.0 MB）", ""},
		{ev(article23.EventSupplementRequested, article23.EventData{Note: "工资流水"}), "须补充：工资流水", "To supply: 工资流水"},
		{ev(article23.EventWithdrawn, article23.EventData{Reason: "已和解"}), "理由：已和解", "Reasons: 已和解"},
	}
	for _, tt := range tests {
		if got := c.eventDetail(tt.ev, "zh"); got != tt.zh {
			t.Errorf("%s zh: %q, want %q", tt.ev.Type, got, tt.zh)
		}
		if got := c.eventDetail(tt.ev, "en"); tt.en != "" && got != tt.en {
			t.Errorf("%s en: %q, want %q", tt.ev.Type, got, tt.en)
		}
	}
}

// The staff's downloads are lines of the timeline among the events, newest first: 「下载文件」,
// who, and which file.
func TestTimelineDownloads(t *testing.T) {
	c := &Console{cat: mustCatalogue()}
	at := func(h int) time.Time { return time.Date(2026, 12, 3, h, 0, 0, 0, time.UTC) }
	li := article23.Actor{ID: "u-li", Name: "李秘书", Role: article23.RoleSecretary}
	k := wire.Case{Events: []article23.Event{
		{Seq: 1, Type: article23.EventReceived, At: at(1), Actor: article23.SystemActor},
		{Seq: 2, Type: article23.EventAccepted, At: at(3), Actor: li}},
		Downloads: []wire.Download{{At: at(2), Actor: li, FileKind: "attachment", FileName: "合同.pdf"},
			{At: at(4), Actor: li, FileKind: "document", FileName: "受理通知书.pdf"}}}
	rows := c.timeline(k, nil, "zh")
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %s %s", r.When, c.cat.t("zh", "event."+string(r.Type)), r.Who, r.Detail))
	}
	want := []string{
		"2026年12月3日 12:00 下载文件 李秘书 书面通知「受理通知书.pdf」",
		"2026年12月3日 11:00 决定受理 李秘书 ",
		"2026年12月3日 10:00 下载文件 李秘书 附件「合同.pdf」",
		"2026年12月3日 09:00 收到申请  ",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("timeline\n%q\nwant\n%q", got, want)
	}
}

// An instant is written in Shanghai's time, its date as the page's dates are: Chinese dates
// in Chinese, ISO dates otherwise.
func TestLocalTime(t *testing.T) {
	at := time.Date(2026, 12, 31, 16, 5, 0, 0, time.UTC) // 2027-01-01 00:05 in Shanghai
	for lang, want := range map[string]string{"zh": "2027年1月1日 00:05", "en": "2027-01-01 00:05"} {
		if got := localTime(lang, at); got != want {
			t.Errorf("localTime(%s) = %q, want %q", lang, got, want)
		}
	}
}
