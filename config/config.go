// Package config is weiquan's one configuration struct: read from the environment (and, for
// `weiquan dev`, from flags), validated once at start with messages a person can act on.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything a weiquan process needs to know about its surroundings.
type Config struct {
	Listen       string   // WEIQUAN_LISTEN: the API's listen address
	HealthListen string   // WEIQUAN_HEALTH_LISTEN: the worker's /healthz and /readyz
	DatabaseURL  string   // DATABASE_URL: postgres://… or sqlite://…
	Temporal     Temporal // TEMPORAL_*
	SigningKey   []byte   // WEIQUAN_SIGNING_KEY or WEIQUAN_SIGNING_KEY_FILE: HS256 key for tokens
	CalendarDir  string   // WEIQUAN_CALENDAR_DIR: extra or replacement year files
	OIDCIssuer   string   // WEIQUAN_OIDC_ISSUER: verify tokens against this issuer's JWKS
	OIDCAudience string   // WEIQUAN_OIDC_AUDIENCE
	// OIDCClaims names the issuer's claims that carry role, institute, member number and name
	// (WEIQUAN_OIDC_CLAIM_ROLE, _INSTITUTE, _MEMBER_NO, _NAME); empty means the default name.
	OIDCClaims      OIDCClaims
	LogLevel        string        // WEIQUAN_LOG_LEVEL: debug, info, warn, error
	ShutdownTimeout time.Duration // WEIQUAN_SHUTDOWN_TIMEOUT: how long in-flight work may take on SIGTERM
	// OutboxLease is WEIQUAN_OUTBOX_LEASE: how long a notification a dispatcher claimed is
	// hidden from the others; a dispatcher killed mid-delivery holds its claims that long.
	OutboxLease time.Duration
	SMTP        SMTP    // WEIQUAN_SMTP_*: e-mail notifications
	Font        string  // WEIQUAN_FONT: TrueType CJK font embedded in the PDF letters
	LatinFont   string  // WEIQUAN_LATIN_FONT: TrueType font for digits and Latin text in letters
	LetterDir   string  // WEIQUAN_LETTER_DIR: institutes' letter templates, <INSTITUTE>/<kind>.v<N>.tmpl
	BlobDir     string  // WEIQUAN_BLOB_DIR: where generated letters are stored, by SHA-256
	Console     Console // WEIQUAN_PUBLIC_URL, WEIQUAN_OIDC_CLIENT_*, WEIQUAN_SESSION_KEY: the web console
	// WorkerCacheSize is WEIQUAN_WORKER_CACHE_SIZE: how many case workflows the worker keeps in
	// memory between their tasks (the SDK's sticky cache); 0 when unset: the worker's default.
	WorkerCacheSize int
	// WebhookAllow is WEIQUAN_WEBHOOK_ALLOW: hosts, addresses and CIDR prefixes webhooks may
	// target besides public HTTPS hosts (loopback and private networks are refused otherwise).
	WebhookAllow []string
}

// WEIQUAN_OUTBOX_LEASE's bounds: a lease shorter than a slow delivery (a webhook's retries
// within notify's per-delivery timeout) lets a second dispatcher send the message again.
const (
	MinOutboxLease = 30 * time.Second
	MaxOutboxLease = time.Hour
)

// MaxWorkerCacheSize bounds WEIQUAN_WORKER_CACHE_SIZE: a bigger cache is a typo, not a plan.
const MaxWorkerCacheSize = 1_000_000

// Default letter fonts: a CJK TrueType font fpdf can embed (Debian's fonts-droid-fallback),
// which has no Latin glyphs, and a Latin one for digits and letters (fonts-dejavu-core).
const (
	DefaultFont      = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	DefaultLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// SMTP TLS modes.
const (
	SMTPStartTLS = "starttls" // refuse to send unless the server offers STARTTLS
	SMTPNoTLS    = "none"     // plain SMTP: only for a relay on a trusted network
)

// SMTP is the mail relay notifications are sent through; e-mail is off when Addr is empty.
type SMTP struct {
	Addr     string // WEIQUAN_SMTP_ADDR host:port
	User     string // WEIQUAN_SMTP_USER: AUTH PLAIN user; no AUTH when empty
	Password string // WEIQUAN_SMTP_PASSWORD
	From     string // WEIQUAN_SMTP_FROM: the From address
	TLS      string // WEIQUAN_SMTP_TLS: SMTPStartTLS (default) or SMTPNoTLS
}

// OIDCClaims maps an OIDC issuer's claim names onto weiquan's.
type OIDCClaims struct{ Role, Institute, MemberNo, Name string }

// Temporal is how to reach the Temporal cluster.
type Temporal struct {
	Address    string  // TEMPORAL_ADDRESS host:port
	Namespace  string  // TEMPORAL_NAMESPACE
	TLSCert    string  // TEMPORAL_TLS_CERT: client certificate file (mTLS)
	TLSKey     string  // TEMPORAL_TLS_KEY
	TLSCA      string  // TEMPORAL_TLS_CA: CA bundle to verify the server
	ServerName string  // TEMPORAL_TLS_SERVER_NAME
	APIKey     string  // TEMPORAL_API_KEY: implies TLS
	Payload    Payload // WEIQUAN_PAYLOAD_KEYS: how payloads are encrypted (payload.go)
}

// TLS reports whether the Temporal connection uses TLS.
func (t Temporal) TLS() bool {
	return t.TLSCert != "" || t.TLSCA != "" || t.APIKey != "" || t.ServerName != ""
}

// Vars lists every environment variable weiquan reads, for docs and the compose-file test.
var Vars = append([]string{
	"WEIQUAN_LISTEN", "WEIQUAN_HEALTH_LISTEN", "DATABASE_URL",
	"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY",
	"TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_API_KEY",
	"WEIQUAN_SIGNING_KEY", "WEIQUAN_SIGNING_KEY_FILE", "WEIQUAN_CALENDAR_DIR",
	"WEIQUAN_OIDC_ISSUER", "WEIQUAN_OIDC_AUDIENCE", "WEIQUAN_OIDC_CLAIM_ROLE", "WEIQUAN_OIDC_CLAIM_INSTITUTE",
	"WEIQUAN_OIDC_CLAIM_MEMBER_NO", "WEIQUAN_OIDC_CLAIM_NAME", "WEIQUAN_LOG_LEVEL", "WEIQUAN_SHUTDOWN_TIMEOUT",
	"WEIQUAN_SMTP_ADDR", "WEIQUAN_SMTP_USER", "WEIQUAN_SMTP_PASSWORD", "WEIQUAN_SMTP_FROM", "WEIQUAN_SMTP_TLS",
	"WEIQUAN_FONT", "WEIQUAN_LATIN_FONT", "WEIQUAN_LETTER_DIR", "WEIQUAN_BLOB_DIR",
	"WEIQUAN_PAYLOAD_KEYS", "WEIQUAN_WORKER_CACHE_SIZE", "WEIQUAN_WEBHOOK_ALLOW", "WEIQUAN_OUTBOX_LEASE",
}, consoleVars...)

// FromEnv reads the configuration with production defaults; call Validate before use.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Listen:       get("WEIQUAN_LISTEN", ":8080"),
		HealthListen: get("WEIQUAN_HEALTH_LISTEN", ":8081"),
		DatabaseURL:  get("DATABASE_URL", ""),
		Temporal: Temporal{
			Address: get("TEMPORAL_ADDRESS", "127.0.0.1:7233"), Namespace: get("TEMPORAL_NAMESPACE", "default"),
			TLSCert: get("TEMPORAL_TLS_CERT", ""), TLSKey: get("TEMPORAL_TLS_KEY", ""), TLSCA: get("TEMPORAL_TLS_CA", ""),
			ServerName: get("TEMPORAL_TLS_SERVER_NAME", ""), APIKey: get("TEMPORAL_API_KEY", ""),
		},
		CalendarDir:  get("WEIQUAN_CALENDAR_DIR", ""),
		OIDCIssuer:   get("WEIQUAN_OIDC_ISSUER", ""),
		OIDCAudience: get("WEIQUAN_OIDC_AUDIENCE", ""),
		OIDCClaims: OIDCClaims{Role: get("WEIQUAN_OIDC_CLAIM_ROLE", ""), Institute: get("WEIQUAN_OIDC_CLAIM_INSTITUTE", ""),
			MemberNo: get("WEIQUAN_OIDC_CLAIM_MEMBER_NO", ""), Name: get("WEIQUAN_OIDC_CLAIM_NAME", "")},
		LogLevel: get("WEIQUAN_LOG_LEVEL", "info"),
		SMTP: SMTP{
			Addr: get("WEIQUAN_SMTP_ADDR", ""), User: get("WEIQUAN_SMTP_USER", ""), Password: getenv("WEIQUAN_SMTP_PASSWORD"),
			From: get("WEIQUAN_SMTP_FROM", ""), TLS: get("WEIQUAN_SMTP_TLS", SMTPStartTLS),
		},
		Font:      get("WEIQUAN_FONT", DefaultFont),
		LatinFont: get("WEIQUAN_LATIN_FONT", DefaultLatinFont),
		LetterDir: get("WEIQUAN_LETTER_DIR", ""),
		BlobDir:   get("WEIQUAN_BLOB_DIR", ""),
	}
	for _, a := range strings.Split(get("WEIQUAN_WEBHOOK_ALLOW", ""), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.WebhookAllow = append(c.WebhookAllow, a)
		}
	}
	var errs []error
	d, err := time.ParseDuration(get("WEIQUAN_SHUTDOWN_TIMEOUT", "30s"))
	if err != nil || d <= 0 {
		errs = append(errs, fmt.Errorf("WEIQUAN_SHUTDOWN_TIMEOUT: want a duration like 30s, got %q", getenv("WEIQUAN_SHUTDOWN_TIMEOUT")))
	}
	c.ShutdownTimeout = d
	lease, err := time.ParseDuration(get("WEIQUAN_OUTBOX_LEASE", "5m"))
	if err != nil || lease < MinOutboxLease || lease > MaxOutboxLease {
		errs = append(errs, fmt.Errorf("WEIQUAN_OUTBOX_LEASE: want a duration from %s to %s, like 5m, got %q", MinOutboxLease, MaxOutboxLease, getenv("WEIQUAN_OUTBOX_LEASE")))
	}
	c.OutboxLease = lease
	if v := get("WEIQUAN_WORKER_CACHE_SIZE", ""); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= MaxWorkerCacheSize {
			c.WorkerCacheSize = n
		} else {
			errs = append(errs, fmt.Errorf("WEIQUAN_WORKER_CACHE_SIZE: want a number of workflows from 1 to %d, like 1000, got %q", MaxWorkerCacheSize, v))
		}
	}
	key, err := signingKey(get("WEIQUAN_SIGNING_KEY", ""), get("WEIQUAN_SIGNING_KEY_FILE", ""))
	if err != nil {
		errs = append(errs, err)
	}
	c.SigningKey = key
	if c.Temporal.Payload, err = payloadFromEnv(getenv("WEIQUAN_PAYLOAD_KEYS")); err != nil {
		errs = append(errs, err)
	}
	if c.Console, err = consoleFromEnv(get); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// signingKey decodes WEIQUAN_SIGNING_KEY or WEIQUAN_SIGNING_KEY_FILE.
func signingKey(inline, file string) ([]byte, error) {
	return keySetting("WEIQUAN_SIGNING_KEY", inline, file)
}

// keySetting decodes the key setting name, given inline (hex or base64) or in the file of
// name_FILE (hex or base64).
func keySetting(name, inline, file string) ([]byte, error) {
	raw := inline
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: %w", name, err)
		}
		name, raw = name+"_FILE", strings.TrimSpace(string(b))
	}
	if raw == "" {
		return nil, nil
	}
	key, err := DecodeKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return key, nil
}

// DecodeKey decodes a hex or base64 key of at least 32 bytes.
func DecodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) >= 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= 32 {
			return b, nil
		}
	}
	return nil, errors.New("want at least 32 random bytes, hex or base64 encoded (e.g. `openssl rand -hex 32`)")
}

// Role is which weiquan process the configuration is for; each needs different settings.
type Role string

// Process roles.
const (
	RoleAPI     Role = "api"
	RoleWorker  Role = "worker"
	RoleMigrate Role = "migrate"
	RoleToken   Role = "token"
)

// Validate reports every setting the given process cannot run with, joined.
func (c Config) Validate(role Role) error {
	var errs []error
	needDB := role == RoleAPI || role == RoleWorker || role == RoleMigrate
	if needDB {
		errs = append(errs, validateDatabaseURL(c.DatabaseURL))
	}
	if role == RoleAPI || role == RoleWorker {
		if _, _, err := net.SplitHostPort(c.Temporal.Address); err != nil {
			errs = append(errs, fmt.Errorf("TEMPORAL_ADDRESS: want host:port, got %q", c.Temporal.Address))
		}
		if (c.Temporal.TLSCert == "") != (c.Temporal.TLSKey == "") {
			errs = append(errs, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together"))
		}
	}
	if role == RoleAPI {
		errs = append(errs, validateListen("WEIQUAN_LISTEN", c.Listen))
		if len(c.SigningKey) == 0 && c.OIDCIssuer == "" {
			errs = append(errs, errors.New("WEIQUAN_SIGNING_KEY (or _FILE) or WEIQUAN_OIDC_ISSUER: the API needs a way to verify tokens"))
		}
	}
	if role == RoleWorker {
		errs = append(errs, validateListen("WEIQUAN_HEALTH_LISTEN", c.HealthListen))
	}
	if (role == RoleAPI || role == RoleWorker) && c.BlobDir == "" {
		errs = append(errs, errors.New("WEIQUAN_BLOB_DIR: not set (attachments and letters are stored there; share it between api and worker)"))
	}
	errs = append(errs, c.Temporal.Payload.validate(role))
	errs = append(errs, c.validateSecrets(role)...)
	if role == RoleToken && len(c.SigningKey) == 0 {
		errs = append(errs, errors.New("no signing key: set WEIQUAN_SIGNING_KEY, or pass --data-dir of a `weiquan dev` data directory"))
	}
	errs = append(errs, c.SMTP.Validate())
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("WEIQUAN_LOG_LEVEL: want debug, info, warn or error, got %q", c.LogLevel))
	}
	return errors.Join(errs...)
}

// Validate reports an unusable mail relay setting; an empty Addr (e-mail off) is valid.
func (m SMTP) Validate() error {
	var errs []error
	if m.TLS != SMTPStartTLS && m.TLS != SMTPNoTLS {
		errs = append(errs, fmt.Errorf("WEIQUAN_SMTP_TLS: want %s or %s, got %q", SMTPStartTLS, SMTPNoTLS, m.TLS))
	}
	if m.Addr == "" {
		return errors.Join(errs...)
	}
	if _, _, err := net.SplitHostPort(m.Addr); err != nil {
		errs = append(errs, fmt.Errorf("WEIQUAN_SMTP_ADDR: want host:port, got %q", m.Addr))
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		errs = append(errs, fmt.Errorf("WEIQUAN_SMTP_FROM: want an address like weiquan@institute.example, got %q", m.From))
	}
	if m.User != "" && m.Password == "" {
		errs = append(errs, errors.New("WEIQUAN_SMTP_PASSWORD: not set, but WEIQUAN_SMTP_USER is"))
	}
	return errors.Join(errs...)
}

func validateDatabaseURL(s string) error {
	if s == "" {
		return errors.New("DATABASE_URL: not set (postgres://user@host:5432/db?sslmode=disable or sqlite:///path/weiquan.db)")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	switch u.Scheme {
	case "postgres", "postgresql", "sqlite":
		return nil
	}
	return fmt.Errorf("DATABASE_URL: scheme %q is not postgres:// or sqlite://", u.Scheme)
}

func validateListen(name, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%s: want [host]:port, got %q", name, addr)
	}
	return nil
}
