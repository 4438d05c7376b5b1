package notify

import (
	"context"
	"strings"

	"github.com/cicpa/weiquan/store"
)

// InApp puts messages in the recipient's in-app inbox (store.InboxFor), which the console shows.
type InApp struct {
	Store *store.Store
}

// Name is "inapp".
func (InApp) Name() string { return "inapp" }

// Accepts people: recipients with a user id, not a shared mailbox or a webhook.
func (InApp) Accepts(r Recipient) bool {
	return r.ID != "" && !strings.HasPrefix(r.ID, "email:") && !strings.HasPrefix(r.ID, "webhook:")
}

// Deliver adds the inbox item; a repeat of the same message is skipped by the store.
func (c InApp) Deliver(ctx context.Context, d Delivery) error {
	text := d.Message.Subject + "\n" + d.Message.Text
	if d.Message.Letter != nil {
		text += "\n书面通知：" + d.Message.Letter.Title + "（见案件页「书面通知」）"
	}
	return c.Store.AddInboxItem(ctx, store.InboxItem{UserID: d.Recipient.ID, DedupKey: d.Message.Key,
		CaseNumber: d.Message.CaseNumber, Kind: d.Message.Kind, Text: text, CreatedAt: d.At})
}
