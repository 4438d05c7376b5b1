package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServer is an in-process SMTP server: it records what it receives, can require STARTTLS
// and AUTH PLAIN, and can refuse every message (failMail) as a broken relay would.
type mailServer struct {
	Addr     string
	RootCAs  *x509.CertPool // trusts the server's self-signed certificate
	failMail error

	mu     sync.Mutex
	mails  []receivedMail
	logins []string
	tried  int
}

type receivedMail struct {
	From, To string
	TLS      bool
	Data     []byte
}

type mailSession struct {
	s    *mailServer
	conn *smtp.Conn
	m    receivedMail
}

func startMailServer(t *testing.T, withTLS bool, failMail error) *mailServer {
	t.Helper()
	ms := &mailServer{failMail: failMail}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &mailSession{s: ms, conn: c}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = !withTLS
	if withTLS {
		cert, pool := selfSigned(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		ms.RootCAs = pool
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ms
}

func (ms *mailServer) received() []receivedMail {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]receivedMail(nil), ms.mails...)
}

func (ms *mailServer) attempts() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.tried
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "weiquan" || pass != "secret" {
			return errors.New("bad credentials")
		}
		s.s.mu.Lock()
		s.s.logins = append(s.s.logins, user)
		s.s.mu.Unlock()
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.s.mu.Lock()
	s.s.tried++
	s.s.mu.Unlock()
	if s.s.failMail != nil {
		return s.s.failMail
	}
	s.m.From = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.m.To = to; return nil }

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, s.m.TLS = s.conn.TLSConnectionState()
	s.s.mu.Lock()
	s.s.mails = append(s.s.mails, receivedMail{From: s.m.From, To: s.m.To, TLS: s.m.TLS, Data: b})
	s.s.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.m = receivedMail{} }
func (s *mailSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "weiquan test relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
