package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/cicpa/weiquan/calendar"
)

// buildMail writes d as an RFC 5322 message from from: UTF-8 text, the letter as a PDF
// attachment when there is one, and a Message-ID derived from the delivery key, so a
// re-sent delivery is recognisably the same message.
func buildMail(from string, d Delivery) ([]byte, error) {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("smtp: From %q: %w", from, err)
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", addr.String())
	header("To", (&mail.Address{Name: d.Recipient.Name, Address: d.Recipient.Email}).String())
	header("Subject", mime.BEncoding.Encode("UTF-8", d.Message.Subject))
	header("Date", d.At.In(calendar.Shanghai()).Format(time.RFC1123Z))
	header("Message-ID", MessageID(d.Key, addr.Address))
	header(HeaderDelivery, d.Key)
	header("MIME-Version", "1.0")
	if d.Message.Letter == nil {
		header("Content-Type", "text/plain; charset=UTF-8")
		header("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		writeBase64(&b, []byte(d.Message.Text+"\r\n"))
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	parts := []struct {
		h    textproto.MIMEHeader
		body []byte
	}{
		{textproto.MIMEHeader{"Content-Type": {"text/plain; charset=UTF-8"}, "Content-Transfer-Encoding": {"base64"}}, []byte(d.Message.Text + "\r\n")},
		{textproto.MIMEHeader{"Content-Type": {d.Message.Letter.MediaType}, "Content-Transfer-Encoding": {"base64"},
			"Content-Disposition": {mime.FormatMediaType("attachment", map[string]string{"filename": d.Message.Letter.Name})}}, d.Message.Letter.Data},
	}
	for _, p := range parts {
		w, err := mw.CreatePart(p.h)
		if err != nil {
			return nil, err
		}
		var part bytes.Buffer
		writeBase64(&part, p.body)
		if _, err := w.Write(part.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MessageID is the Message-ID of the e-mail for delivery key, in the From address's domain.
func MessageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "weiquan.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// writeBase64 writes data base64-encoded in lines of 76 characters.
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}
