package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// session is what the sealed session cookie holds: the bearer token the API checks, what
// the pages need to know about its holder, and the secret the form tokens are bound to.
// An anonymous session (no token) still carries a CSRF secret, so the sign-in form has one.
type session struct {
	Token     string         `json:"t,omitempty"`
	Subject   string         `json:"s,omitempty"`
	Role      article23.Role `json:"r,omitempty"`
	Institute string         `json:"i,omitempty"`
	MemberNo  string         `json:"m,omitempty"`
	Name      string         `json:"n,omitempty"`
	Expires   int64          `json:"e,omitempty"` // Unix seconds; the token's expiry
	CSRF      string         `json:"c"`
}

// SignedIn reports whether the session holds a token.
func (s *session) SignedIn() bool { return s != nil && s.Token != "" }

// Is reports whether the holder has role r.
func (s *session) Is(r string) bool { return s.SignedIn() && string(s.Role) == r }

// National reports a CICPA supervisor, who sees every institute.
func (s *session) National() bool { return s.Institute == article23.NationalInstitute }

const (
	sessionCookie = "wq_session"
	oidcCookie    = "wq_oidc"
)

// sealer encrypts and authenticates cookie values with AES-256-GCM; the cookie's name is
// the additional data, so a value cannot be moved to another cookie.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) sealer {
	sum := sha256.Sum256(append([]byte("weiquan web session v1\x00"), key...))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return sealer{aead}
}

func (s sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

func (s sealer) open(name, value string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return errors.New("malformed cookie")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], []byte(name))
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

// setCookie writes a sealed cookie; maxAge 0 keeps it for the browser session.
func (c *Console) setCookie(w http.ResponseWriter, name string, v any, maxAge int) {
	val, err := c.seal.seal(name, v)
	if err != nil {
		c.log.Error("web: seal cookie", "error", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: val, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.deps.Secure})
}

func (c *Console) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.deps.Secure})
}

// session returns the request's session: the sealed cookie if it opens and its token has
// not expired, else a new anonymous one (written to w, so the next form post carries it).
func (c *Console) session(w http.ResponseWriter, r *http.Request) *session {
	var s session
	if ck, err := r.Cookie(sessionCookie); err == nil && c.seal.open(sessionCookie, ck.Value, &s) == nil && s.CSRF != "" {
		if s.Token == "" || s.Expires > c.deps.Now().Unix() {
			return &s
		}
	}
	s = session{CSRF: randomString(16)}
	c.setCookie(w, sessionCookie, s, 0)
	return &s
}

// saveSession starts a signed-in session with a fresh CSRF secret.
func (c *Console) saveSession(w http.ResponseWriter, s session) {
	s.CSRF = randomString(16)
	c.setCookie(w, sessionCookie, s, 0)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Form tokens: every rendered form gets its own nonce, MACed with the session's CSRF
// secret. A post is refused unless its token verifies against the session that posts it,
// and the nonce doubles as the Idempotency-Key of the API call, so a form submitted twice
// (a double click, a resent POST) is applied once.

func (s *session) formToken() string {
	nonce := randomString(12)
	return nonce + "." + s.mac(nonce)
}

func (s *session) mac(nonce string) string {
	m := hmac.New(sha256.New, []byte(s.CSRF))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// checkForm verifies a posted form token and returns its nonce.
func (s *session) checkForm(token string) (string, bool) {
	nonce, mac, ok := strings.Cut(token, ".")
	if !ok || nonce == "" || s.CSRF == "" {
		return "", false
	}
	return nonce, hmac.Equal([]byte(mac), []byte(s.mac(nonce)))
}

// idempotencyKey derives the API's Idempotency-Key from a form nonce and the API path.
func idempotencyKey(nonce, path string) string {
	sum := sha256.Sum256([]byte("weiquan console\x00" + nonce + "\x00" + path))
	return hex.EncodeToString(sum[:16])
}

// expiresIn converts a token expiry to a session lifetime.
func expiresIn(exp time.Time, now time.Time) int64 {
	if exp.IsZero() {
		return now.Add(8 * time.Hour).Unix()
	}
	return exp.Unix()
}
