package notify

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicpa/weiquan/config"
)

func sampleDelivery() Delivery {
	msg := Message{Key: "BJ-2026-0042/2/member", CaseNumber: "BJ-2026-0042", Institute: "BJ", Kind: "accepted",
		Event: "accepted", Seq: 2, At: at(2026, 12, 18, 10, 0), Subject: "【维权】BJ-2026-0042 维权服务申请已受理",
		Text: "案件 BJ-2026-0042 已于 2026-12-18 受理。",
		Letter: &Attachment{DocumentID: "acceptance-2", Name: "BJ-2026-0042-acceptance-2.pdf", MediaType: "application/pdf",
			SHA256: "ab", Data: []byte("%PDF-1.3 test")}}
	r := Recipient{ID: "wang", Name: "王会计师", Email: "wang@example.com", WebhookURL: "http://x", WebhookSecret: "k"}
	return Delivery{Key: DeliveryKey(msg.Key, r.ID), Message: msg, Recipient: r, At: at(2026, 12, 18, 10, 1)}
}

func TestEmailOverSTARTTLSWithAuth(t *testing.T) {
	ms := startMailServer(t, true, nil)
	e := &Email{Addr: ms.Addr, From: "weiquan@bicpa.example", User: "weiquan", Password: "secret", TLS: config.SMTPStartTLS,
		TLSConfig: &tls.Config{RootCAs: ms.RootCAs, ServerName: "127.0.0.1"}}
	d := sampleDelivery()
	if err := e.Deliver(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 || !got[0].TLS || got[0].To != "wang@example.com" || len(ms.logins) != 1 {
		t.Fatalf("received %+v, logins %v", got, ms.logins)
	}
	m, err := mail.ReadMessage(strings.NewReader(string(got[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if m.Header.Get("Message-ID") != MessageID(d.Key, "weiquan@bicpa.example") || subject != d.Message.Subject ||
		m.Header.Get(HeaderDelivery) != d.Key {
		t.Fatalf("headers %v (subject %q)", m.Header, subject)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	var names []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Header.Get("Content-Type")+"|"+p.FileName())
	}
	if strings.Join(names, ",") != "text/plain; charset=UTF-8|,application/pdf|BJ-2026-0042-acceptance-2.pdf" {
		t.Fatalf("parts %v", names)
	}
}

func TestEmailRefusesWithoutSTARTTLS(t *testing.T) {
	ms := startMailServer(t, false, nil)
	e := &Email{Addr: ms.Addr, From: "weiquan@bicpa.example", TLS: config.SMTPStartTLS}
	if err := e.Deliver(t.Context(), sampleDelivery()); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("plain relay with starttls required: %v", err)
	}
	e.TLS, e.User, e.Password = config.SMTPNoTLS, "weiquan", "secret" // a trusted local relay
	if err := e.Deliver(t.Context(), sampleDelivery()); err != nil || len(ms.received()) != 1 || ms.received()[0].TLS {
		t.Fatalf("plain relay allowed: %v %+v", err, ms.received())
	}
}

func TestEmailHonoursTheDeadline(t *testing.T) {
	l, err := (&net0{}).listen(t) // accepts, never greets
	if err != nil {
		t.Fatal(err)
	}
	e := &Email{Addr: l, From: "weiquan@bicpa.example", TLS: config.SMTPNoTLS}
	ctx, cancel := contextWithTimeout(t, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := e.Deliver(ctx, sampleDelivery()); err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("silent relay: %v after %v", err, time.Since(start))
	}
}

func TestWebhookSignsAndRetries(t *testing.T) {
	var calls atomic.Int32
	var body WebhookBody
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get(HeaderSignature) != Sign("k", raw) || r.Header.Get(HeaderIdempotency) != "BJ-2026-0042/2/member/wang" ||
			r.Header.Get(HeaderDelivery) != r.Header.Get(HeaderIdempotency) || r.Header.Get(HeaderTimestamp) == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.Unmarshal(raw, &body)
	}))
	defer srv.Close()
	d := sampleDelivery()
	d.Recipient.WebhookURL = srv.URL
	if err := (Webhook{Between: time.Millisecond}).Deliver(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || body.CaseNumber != "BJ-2026-0042" || body.Document == nil || body.Document.ID != "acceptance-2" ||
		body.SentAt != d.At.Unix() {
		t.Fatalf("calls %d body %+v", calls.Load(), body)
	}
	d.Recipient.WebhookSecret = "wrong"
	calls.Store(1)
	err := Webhook{Between: time.Millisecond}.Deliver(t.Context(), d)
	if err == nil || !strings.Contains(err.Error(), "401") || calls.Load() != 2 {
		t.Fatalf("a 4xx is not retried: %v after %d calls", err, calls.Load()-1)
	}
}
