package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/store"
)

// Recipient is one person a notification reaches, and where.
type Recipient struct {
	ID            string // user id (login subject): the in-app inbox; "email:<addr>" when only an address is known
	Name          string
	Role          article23.Role
	Email         string
	WebhookURL    string
	WebhookSecret string
}

// Attachment is a file sent with a message: the letter the event produced.
type Attachment struct {
	DocumentID string
	Title      string // the letter's name, e.g. 受理通知书
	Name       string // file name, ASCII
	MediaType  string
	SHA256     string
	Data       []byte
}

// Message is what a notification says, the same for every recipient.
type Message struct {
	Key        string // the outbox key
	CaseNumber string
	Institute  string
	Kind       string
	Event      article23.EventType
	Seq        int64
	At         time.Time // when the event happened
	Urgent     bool
	Subject    string
	Text       string
	Letter     *Attachment // nil when the event produced no letter
}

// Delivery is one message to one recipient. Key is what the recipient deduplicates on.
type Delivery struct {
	Key       string
	Message   Message
	Recipient Recipient
	At        time.Time // when it is sent
}

// Channel is a way to reach people. Deliver must honour ctx's deadline and may be called
// again with the same Delivery.Key after a failure or a crash.
type Channel interface {
	Name() string
	Accepts(r Recipient) bool
	Deliver(ctx context.Context, d Delivery) error
}

// DeliveryKey is the key a recipient sees for message key: unique per recipient.
func DeliveryKey(messageKey, recipientID string) string { return messageKey + "/" + recipientID }

// ChannelsFor is the channels of a process: the in-app inbox and webhooks (to the targets
// policy allows) always, e-mail when the relay is configured (WEIQUAN_SMTP_ADDR).
func ChannelsFor(st *store.Store, relay config.SMTP, policy TargetPolicy) []Channel {
	chs := []Channel{InApp{Store: st}, Webhook{Client: policy.Client(DefaultTimeout)}}
	if relay.Addr != "" {
		chs = append(chs, EmailFrom(relay))
	}
	return chs
}

// New is the dispatcher of a worker: channels from cfg, recipients from st's contacts,
// working days from cal, letters issued by letters (nil for none).
func New(st *store.Store, cfg config.Config, cal CalendarSource, letters *Letters, logger *slog.Logger) *Dispatcher {
	return &Dispatcher{Store: st, Channels: ChannelsFor(st, cfg.SMTP, TargetPolicy{Allow: cfg.WebhookAllow}), Recipients: StoreRecipients{Store: st},
		Clock: time.Now, Calendar: cal, Letters: letters, Logger: logger, Lease: cfg.OutboxLease}
}
