// Package notify delivers what the case workflow decided to tell people: it drains the
// store's outbox (written in the same transaction as each event), resolves each
// notification's recipients from the case and the institute's contacts, and delivers it by
// e-mail, webhook and the in-app inbox — once per recipient and channel, reminders only in
// the institute's working hours — and it issues the written notices (letters as PDF) that
// Article 23 requires.
//
// Exactly once, as the recipient sees it: every delivery carries a key (outbox key + "/" +
// recipient id) — the e-mail's Message-ID, the webhook's Idempotency-Key and
// X-Weiquan-Delivery — and each success is recorded as a delivery receipt, so a retry after a
// partial failure or a crash re-sends only to those not yet reached. The window between a
// send and its receipt is covered by the key, on which the receiver deduplicates.
package notify
