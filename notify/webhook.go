package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// Webhook headers. The signature is "sha256=" and the hex HMAC-SHA256 of the body under the
// recipient's secret; the body carries sent_at too, so the signed content dates itself.
const (
	HeaderSignature   = "X-Weiquan-Signature"
	HeaderTimestamp   = "X-Weiquan-Timestamp" // Unix seconds, equal to the body's sent_at
	HeaderDelivery    = "X-Weiquan-Delivery"  // the delivery key, as is Idempotency-Key
	HeaderIdempotency = "Idempotency-Key"
)

// Webhook POSTs a JSON event to the recipient's webhook URL, retrying a few times at once on
// network errors, 429 and 5xx; the dispatcher retries later beyond that.
type Webhook struct {
	Client  *http.Client  // http.DefaultClient when nil
	Tries   int           // attempts per delivery, default 3
	Between time.Duration // wait between tries, doubling; default 250ms
}

// WebhookBody is the JSON a webhook receives.
type WebhookBody struct {
	Delivery   string              `json:"delivery"`
	CaseNumber string              `json:"case_number"`
	Institute  string              `json:"institute"`
	Kind       string              `json:"kind"`
	Event      article23.EventType `json:"event"`
	Seq        int64               `json:"seq"`
	OccurredAt time.Time           `json:"occurred_at"`
	SentAt     int64               `json:"sent_at"`
	Urgent     bool                `json:"urgent"`
	Subject    string              `json:"subject"`
	Text       string              `json:"text"`
	Recipient  string              `json:"recipient"`
	Document   *WebhookDocument    `json:"document,omitempty"`
}

// WebhookDocument names the letter the event produced; the API serves its bytes.
type WebhookDocument struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
}

// Name is "webhook".
func (Webhook) Name() string { return "webhook" }

// Accepts recipients with a webhook URL.
func (Webhook) Accepts(r Recipient) bool { return r.WebhookURL != "" }

// Deliver posts the signed body.
func (w Webhook) Deliver(ctx context.Context, d Delivery) error {
	m := d.Message
	body := WebhookBody{Delivery: d.Key, CaseNumber: m.CaseNumber, Institute: m.Institute, Kind: m.Kind, Event: m.Event,
		Seq: m.Seq, OccurredAt: m.At.UTC(), SentAt: d.At.Unix(), Urgent: m.Urgent, Subject: m.Subject, Text: m.Text,
		Recipient: d.Recipient.ID}
	if m.Letter != nil {
		body.Document = &WebhookDocument{ID: m.Letter.DocumentID, SHA256: m.Letter.SHA256}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	wait := w.Between
	if wait <= 0 {
		wait = 250 * time.Millisecond
	}
	tries := w.Tries
	if tries <= 0 {
		tries = 3
	}
	for try := 1; ; try++ {
		retry, err := w.post(ctx, d, raw)
		if err == nil || !retry || try >= tries {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after %v)", ctx.Err(), err)
		case <-time.After(wait):
			wait *= 2
		}
	}
}

// post sends one request; retry says whether trying again may help.
func (w Webhook) post(ctx context.Context, d Delivery, raw []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Recipient.WebhookURL, bytes.NewReader(raw))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderSignature, Sign(d.Recipient.WebhookSecret, raw))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(d.At.Unix(), 10))
	req.Header.Set(HeaderDelivery, d.Key)
	req.Header.Set(HeaderIdempotency, d.Key)
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return retry, fmt.Errorf("webhook %s answered %s", req.URL.Redacted(), resp.Status)
}

// Sign returns the X-Weiquan-Signature of body under secret: "sha256=<hex HMAC-SHA256>".
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
