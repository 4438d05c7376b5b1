package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
)

// testIssuer is an in-process OpenID Connect issuer whose keys the test signs with.
type testIssuer struct {
	srv   *httptest.Server
	mu    sync.Mutex
	jwks  []map[string]string
	fetch int
}

func newTestIssuer(t *testing.T) *testIssuer {
	is := &testIssuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": is.srv.URL, "jwks_uri": is.srv.URL + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		is.fetch++
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": is.jwks})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (is *testIssuer) addRSA(kid string, k *rsa.PrivateKey) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.jwks = append(is.jwks, map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())})
}

func (is *testIssuer) addEC(kid string, k *ecdsa.PrivateKey) {
	is.mu.Lock()
	defer is.mu.Unlock()
	pub, _ := k.PublicKey.Bytes() // 0x04 || X || Y
	is.jwks = append(is.jwks, map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64(pub[1:33]), "y": b64(pub[33:])})
}

func sign(t *testing.T, m jwt.SigningMethod, kid string, key any, claims jwt.MapClaims) string {
	tok := jwt.NewWithClaims(m, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOIDCVerifier(t *testing.T) {
	is := newTestIssuer(t)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	is.addRSA("r1", rsaKey)
	is.addEC("e1", ecKey)
	v, err := NewOIDCVerifier(t.Context(), is.srv.URL, "weiquan-api", ClaimNames{Institute: "org"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": is.srv.URL, "aud": "weiquan-api", "sub": "u-li", "exp": now.Add(time.Hour).Unix(),
			"role": "secretary", "org": "BJ", "name": "李秘书"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	cl, err := v.Verify(sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(nil)))
	if err != nil || cl.Role != article23.RoleSecretary || cl.Institute != "BJ" || cl.Subject != "u-li" || cl.Name != "李秘书" {
		t.Fatalf("RS256: %+v %v", cl, err)
	}
	if _, err := v.Verify(sign(t, jwt.SigningMethodES256, "e1", ecKey, claims(nil))); err != nil {
		t.Fatalf("ES256: %v", err)
	}
	for name, tok := range map[string]string{
		"wrong audience":                      sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(func(c jwt.MapClaims) { c["aud"] = "other" })),
		"wrong issuer":                        sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(func(c jwt.MapClaims) { c["iss"] = "https://evil" })),
		"expired":                             sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"no expiry":                           sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"bad role":                            sign(t, jwt.SigningMethodRS256, "r1", rsaKey, claims(func(c jwt.MapClaims) { c["role"] = "root" })),
		"key mismatch":                        sign(t, jwt.SigningMethodES256, "r1", ecKey, claims(nil)),
		"HS256 with the public key as secret": sign(t, jwt.SigningMethodHS256, "r1", rsaKey.N.Bytes(), claims(nil)),
		"none":                                sign(t, jwt.SigningMethodNone, "r1", jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"garbage":                             "not.a.token",
	} {
		if _, err := v.Verify(tok); !errors.Is(err, auth.ErrInvalidToken) {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
}

// TestOIDCKeyRotation: a token signed with a new key is accepted after one refresh.
func TestOIDCKeyRotation(t *testing.T) {
	is := newTestIssuer(t)
	old, _ := rsa.GenerateKey(rand.Reader, 2048)
	is.addRSA("old", old)
	v, err := NewOIDCVerifier(t.Context(), is.srv.URL, "", ClaimNames{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v.now = func() time.Time { return time.Now().Add(2 * time.Minute) } // the cache is stale
	next, _ := rsa.GenerateKey(rand.Reader, 2048)
	is.addRSA("new", next)
	tok := sign(t, jwt.SigningMethodRS256, "new", next, jwt.MapClaims{"iss": is.srv.URL, "sub": "m1", "exp": time.Now().Add(time.Hour).Unix(),
		"role": "member", "institute": "BJ", "member_no": "110000000001"})
	cl, err := v.Verify(tok)
	if err != nil || cl.MemberNo != "110000000001" {
		t.Fatalf("rotated key: %+v %v", cl, err)
	}
	if is.fetch != 2 {
		t.Errorf("fetched the key set %d times, want 2", is.fetch)
	}
}

func TestOIDCDiscoveryFailure(t *testing.T) {
	if _, err := NewOIDCVerifier(t.Context(), "http://127.0.0.1:1", "", ClaimNames{}, nil); err == nil {
		t.Fatal("an unreachable issuer was accepted")
	}
}
