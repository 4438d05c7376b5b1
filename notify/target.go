package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// TargetPolicy says which webhook targets the operator allows beyond public HTTPS hosts:
// entries of WEIQUAN_WEBHOOK_ALLOW, each a host name ("hooks.internal"), an IP address or a
// CIDR prefix ("10.8.0.0/16"). An allowed target may also use plain http. Loopback, private,
// link-local and other non-public addresses are refused unless allowed, both when a setting
// is saved and again when a delivery connects (a name may resolve elsewhere later).
type TargetPolicy struct {
	Allow []string
}

// ErrTargetRefused is a webhook target the policy does not allow.
var ErrTargetRefused = errors.New("webhook target not allowed")

// CheckURL reports why raw may not be a webhook URL, or nil. Names are not resolved here:
// the delivery's dialer checks the addresses a name resolves to.
func (p TargetPolicy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%w: must be an https:// URL with a host and no user info", ErrTargetRefused)
	}
	host := strings.ToLower(u.Hostname())
	allowed := p.allowsHost(host)
	if u.Scheme == "http" && !allowed {
		return fmt.Errorf("%w: must use https (plain http only for a host in WEIQUAN_WEBHOOK_ALLOW)", ErrTargetRefused)
	}
	if allowed {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s is this machine (allow it in WEIQUAN_WEBHOOK_ALLOW)", ErrTargetRefused, host)
	}
	if ip, err := netip.ParseAddr(host); err == nil && !p.allowsAddr(ip) {
		return fmt.Errorf("%w: %s is not a public address (allow it in WEIQUAN_WEBHOOK_ALLOW)", ErrTargetRefused, ip)
	}
	return nil
}

func (p TargetPolicy) allowsHost(host string) bool {
	for _, a := range p.Allow {
		if strings.EqualFold(a, host) {
			return true
		}
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && p.allowsAllowed(ip)
}

// allowsAllowed reports whether ip is listed (as an address or in a prefix).
func (p TargetPolicy) allowsAllowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, a := range p.Allow {
		if pfx, err := netip.ParsePrefix(a); err == nil && pfx.Contains(ip) {
			return true
		}
		if addr, err := netip.ParseAddr(a); err == nil && addr.Unmap() == ip {
			return true
		}
	}
	return false
}

// allowsAddr reports whether a delivery may connect to ip: a public unicast address, or one
// the operator listed.
func (p TargetPolicy) allowsAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	public := ip.IsGlobalUnicast() && !ip.IsPrivate() && !cgnat.Contains(ip) && !uniqueLocal.Contains(ip)
	return public || p.allowsAllowed(ip)
}

var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10")
	uniqueLocal = netip.MustParsePrefix("fc00::/7")
)

// Client is an HTTP client whose connections refuse addresses the policy does not allow,
// whatever a name resolved to, and which follows no redirects (a redirect could lead
// anywhere).
func (p TargetPolicy) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !p.allowsAddr(ip) {
			return fmt.Errorf("%w: %s is not a public address", ErrTargetRefused, host)
		}
		return nil
	}}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}
	return &http.Client{Timeout: timeout, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
