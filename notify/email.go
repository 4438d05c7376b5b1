package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"time"

	"github.com/cicpa/weiquan/config"
)

// Email sends messages through an SMTP relay: STARTTLS (required unless TLS is "none"), AUTH
// PLAIN when a user is set, one connection per delivery.
type Email struct {
	Addr      string      // host:port of the relay
	From      string      // the From address
	User      string      // AUTH PLAIN user; no AUTH when empty
	Password  string      // AUTH PLAIN password
	TLS       string      // config.SMTPStartTLS or config.SMTPNoTLS
	TLSConfig *tls.Config // roots and server name for STARTTLS; the system's roots when nil
	HelloName string      // the EHLO name, "localhost" when empty
}

// EmailFrom is the e-mail channel of cfg's relay.
func EmailFrom(cfg config.SMTP) *Email {
	return &Email{Addr: cfg.Addr, From: cfg.From, User: cfg.User, Password: cfg.Password, TLS: cfg.TLS}
}

// Name is "email".
func (*Email) Name() string { return "email" }

// Accepts recipients with an e-mail address.
func (*Email) Accepts(r Recipient) bool { return r.Email != "" }

// Deliver sends one message to d.Recipient.Email within ctx's deadline.
func (e *Email) Deliver(ctx context.Context, d Delivery) error {
	host, _, err := net.SplitHostPort(e.Addr)
	if err != nil {
		return fmt.Errorf("smtp: address %q: %w", e.Addr, err)
	}
	raw, err := buildMail(e.From, d)
	if err != nil {
		return err
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", e.Addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(DefaultTimeout))
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) }) // cancel unblocks I/O
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("smtp: greeting: %w", err)
	}
	defer c.Close()
	if err := e.session(c, host, d.Recipient.Email, raw); err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}

// session runs EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA and QUIT.
func (e *Email) session(c *smtp.Client, host, to string, raw []byte) error {
	if err := c.Hello(firstOf(e.HelloName, "localhost")); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok && e.TLS != config.SMTPNoTLS {
		cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if e.TLSConfig != nil {
			cfg = e.TLSConfig.Clone()
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	} else if e.TLS != config.SMTPNoTLS {
		return errors.New("the relay does not offer STARTTLS and WEIQUAN_SMTP_TLS=starttls requires it")
	}
	if e.User != "" {
		if err := c.Auth(smtp.PlainAuth("", e.User, e.Password, host)); err != nil {
			return fmt.Errorf("AUTH PLAIN: %w", err)
		}
	}
	if err := c.Mail(e.From); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return c.Quit()
}
