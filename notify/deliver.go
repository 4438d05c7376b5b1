package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
)

// deliverAll sends msg to every recipient on every channel that can reach them and has no
// receipt yet, all at once and each with its own timeout, so a slow or failing channel
// delays nobody else; use picks the channels. It returns which roles were reached (now or before) and the failures.
func (d *Dispatcher) deliverAll(ctx context.Context, msg Message, recipients []Recipient, now time.Time, use func(Channel) bool) (map[article23.Role]bool, error) {
	receipts, err := d.Store.Receipts(ctx, msg.Key)
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(receipts))
	for _, r := range receipts {
		done[r.Recipient+"\x00"+r.Channel] = true
	}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		errs    []error
		reached = map[article23.Role]bool{}
	)
	for _, r := range recipients {
		for _, ch := range d.Channels {
			if !use(ch) || !ch.Accepts(r) {
				continue
			}
			if done[r.ID+"\x00"+ch.Name()] {
				reached[r.Role] = true
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.deliverOne(ctx, ch, Delivery{Key: DeliveryKey(msg.Key, r.ID), Message: msg, Recipient: r, At: now})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s to %s: %w", ch.Name(), r.ID, err))
					return
				}
				reached[r.Role] = true
			}()
		}
	}
	wg.Wait()
	return reached, errors.Join(errs...)
}

// deliverOne sends one delivery within the per-delivery timeout and records its receipt.
func (d *Dispatcher) deliverOne(ctx context.Context, ch Channel, dl Delivery) error {
	dctx, cancel := context.WithTimeout(ctx, d.or(d.Timeout, DefaultTimeout))
	defer cancel()
	if err := ch.Deliver(dctx, dl); err != nil {
		return err
	}
	return d.record(ctx, "receipt", func(ctx context.Context) error {
		return d.Store.AddReceipt(ctx, store.Receipt{DedupKey: dl.Message.Key, Recipient: dl.Recipient.ID, Channel: ch.Name(), DeliveredAt: d.now()})
	})
}
