package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
)

// ClaimNames says which token claims carry weiquan's role, institute, member number and
// name; empty fields default to "role", "institute", "member_no" and "name".
type ClaimNames struct {
	Role, Institute, MemberNo, Name string
}

// OIDCVerifier verifies RS256 and ES256 tokens of an OpenID Connect issuer against its JWKS.
// Keys are cached; a token signed with an unknown key ID refreshes them (at most once a
// minute), so the issuer can rotate keys without a restart.
type OIDCVerifier struct {
	issuer, audience string
	names            ClaimNames
	http             *http.Client
	now              func() time.Time
	jwksURI          string

	mu      sync.Mutex
	keys    map[string]any // by kid
	fetched time.Time
}

// NewOIDCVerifier reads the issuer's discovery document and its keys.
func NewOIDCVerifier(ctx context.Context, issuer, audience string, names ClaimNames, hc *http.Client) (*OIDCVerifier, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	v := &OIDCVerifier{issuer: strings.TrimSuffix(issuer, "/"), audience: audience, names: names.withDefaults(), http: hc, now: time.Now}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := v.getJSON(ctx, v.issuer+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, fmt.Errorf("WEIQUAN_OIDC_ISSUER: %w", err)
	}
	if strings.TrimSuffix(disc.Issuer, "/") != v.issuer || disc.JWKSURI == "" {
		return nil, fmt.Errorf("WEIQUAN_OIDC_ISSUER: discovery says issuer %q, jwks_uri %q", disc.Issuer, disc.JWKSURI)
	}
	v.issuer, v.jwksURI = disc.Issuer, disc.JWKSURI
	if err := v.refresh(ctx); err != nil {
		return nil, fmt.Errorf("WEIQUAN_OIDC_ISSUER: %w", err)
	}
	return v, nil
}

func (n ClaimNames) withDefaults() ClaimNames {
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	return ClaimNames{Role: def(n.Role, "role"), Institute: def(n.Institute, "institute"), MemberNo: def(n.MemberNo, "member_no"), Name: def(n.Name, "name")}
}

// Verify checks the token's signature, algorithm, issuer, audience and expiry, then maps
// its claims to auth.Claims and validates them.
func (v *OIDCVerifier) Verify(token string) (auth.Claims, error) {
	opts := []jwt.ParserOption{jwt.WithValidMethods([]string{"RS256", "ES256"}), jwt.WithIssuer(v.issuer),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(v.now), jwt.WithLeeway(30 * time.Second)}
	if v.audience != "" {
		opts = append(opts, jwt.WithAudience(v.audience))
	}
	mc := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(token, mc, v.keyFor, opts...); err != nil {
		return auth.Claims{}, fmt.Errorf("%w: %w", auth.ErrInvalidToken, err)
	}
	cl := v.mapClaims(mc)
	if err := cl.Validate(); err != nil {
		return auth.Claims{}, fmt.Errorf("%w: %w", auth.ErrInvalidToken, err)
	}
	return cl, nil
}

func (v *OIDCVerifier) mapClaims(mc jwt.MapClaims) auth.Claims {
	str := func(k string) string { s, _ := mc[k].(string); return s }
	cl := auth.Claims{Role: article23.Role(str(v.names.Role)), Institute: str(v.names.Institute),
		MemberNo: str(v.names.MemberNo), Name: str(v.names.Name)}
	cl.Subject, cl.Issuer = str("sub"), str("iss")
	if exp, err := mc.GetExpirationTime(); err == nil {
		cl.ExpiresAt = exp
	}
	return cl
}

// keyFor finds the token's key by kid, refreshing the key set once for an unknown kid.
func (v *OIDCVerifier) keyFor(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	v.mu.Lock()
	key, ok := v.keys[kid]
	stale := v.now().Sub(v.fetched) > time.Minute
	v.mu.Unlock()
	if ok {
		return key, nil
	}
	if stale {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := v.refresh(ctx); err != nil {
			return nil, err
		}
		v.mu.Lock()
		key, ok = v.keys[kid]
		v.mu.Unlock()
	}
	if !ok {
		return nil, fmt.Errorf("no key %q in the issuer's key set", kid)
	}
	return key, nil
}

// refresh fetches the JWKS and replaces the cached keys.
func (v *OIDCVerifier) refresh(ctx context.Context) error {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := v.getJSON(ctx, v.jwksURI, &set); err != nil {
		return err
	}
	keys := map[string]any{}
	for _, k := range set.Keys {
		if pub, err := k.publicKey(); err == nil && (k.Use == "" || k.Use == "sig") {
			keys[k.Kid] = pub
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keys, v.fetched = keys, v.now()
	return nil
}

func (v *OIDCVerifier) getJSON(ctx context.Context, url string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := v.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return json.NewDecoder(http.MaxBytesReader(nil, res.Body, 1<<20)).Decode(dst)
}

// jwk is one JSON Web Key (RFC 7517) of type RSA or EC P-256.
type jwk struct {
	Kty, Kid, Use, Crv, N, E, X, Y string
}

func (k jwk) publicKey() (any, error) {
	b64 := base64.RawURLEncoding.DecodeString
	switch k.Kty {
	case "RSA":
		n, err1 := b64(k.N)
		e, err2 := b64(k.E)
		if err := errors.Join(err1, err2); err != nil || len(e) > 4 || len(n) < 256 {
			return nil, errors.New("bad RSA key")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		x, err1 := b64(k.X)
		y, err2 := b64(k.Y)
		if err := errors.Join(err1, err2); err != nil || k.Crv != "P-256" || len(x) != 32 || len(y) != 32 {
			return nil, errors.New("bad EC key")
		}
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	}
	return nil, fmt.Errorf("unsupported key type %q", k.Kty)
}
