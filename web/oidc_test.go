package web

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cicpa/weiquan/auth"
)

// issuer is an in-process OpenID provider: discovery, JWKS, an authorize endpoint that
// signs the user in at once, and a token endpoint that checks the PKCE verifier.
type issuer struct {
	t                *testing.T
	srv              *httptest.Server
	key              *rsa.PrivateKey
	challenge, nonce string
	badNonce         bool
}

func newIssuer(t *testing.T) *issuer {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	is := &issuer{t: t, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": is.srv.URL, "authorization_endpoint": is.srv.URL + "/authorize",
			"token_endpoint": is.srv.URL + "/token", "jwks_uri": is.srv.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" {
			http.Error(w, "PKCE, state and nonce are required", http.StatusBadRequest)
			return
		}
		is.challenge, is.nonce = q.Get("code_challenge"), q.Get("nonce")
		http.Redirect(w, r, q.Get("redirect_uri")+"?code=c1&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
		if r.FormValue("code") != "c1" || base64.RawURLEncoding.EncodeToString(sum[:]) != is.challenge {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		nonce := is.nonce
		if is.badNonce {
			nonce = "other"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": is.sign(jwt.MapClaims{"aud": "weiquan-api", "role": "secretary", "institute": "BJ"}),
			"token_type": "Bearer", "expires_in": 3600, "id_token": is.sign(jwt.MapClaims{"aud": "console", "nonce": nonce})})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) sign(c jwt.MapClaims) string {
	now := time.Now()
	c["iss"], c["sub"], c["iat"], c["exp"] = is.srv.URL, "li@bj", now.Unix(), now.Add(time.Hour).Unix()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(is.key)
	if err != nil {
		is.t.Fatal(err)
	}
	return s
}

// oidcConsole is a console with OIDC sign-in only; its Verify accepts the issuer's access
// tokens as the API's OIDC verifier would.
func oidcConsole(t *testing.T, is *issuer) *httptest.Server {
	var srv *httptest.Server
	verify := func(tok string) (auth.Claims, error) {
		var c auth.Claims
		_, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return &is.key.PublicKey, nil },
			jwt.WithAudience("weiquan-api"), jwt.WithIssuer(is.srv.URL))
		return c, err
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"cases":[]}`)) // the pages under test only list
	})
	srv = httptest.NewUnstartedServer(nil)
	srv.Start()
	srv.Config.Handler = New(Deps{API: api, SessionKey: testKey, OIDC: &OIDCConfig{Issuer: is.srv.URL, ClientID: "console",
		ClientSecret: "s3cret", RedirectURL: srv.URL + "/auth/callback", Verify: verify}}).Handler()
	t.Cleanup(srv.Close)
	return srv
}

func TestOIDCSignIn(t *testing.T) {
	is := newIssuer(t)
	srv := oidcConsole(t, is)
	b := (&system{t: t, srv: srv}).browser()
	b.get("/signin").must(t, http.StatusOK, "/signin/oidc")
	p := b.get("/signin/oidc?next=/cases")
	if p.status != http.StatusOK || !strings.HasPrefix(p.url, "/cases") {
		t.Fatalf("ended at %s with %d\n%s", p.url, p.status, p.body)
	}
	p.must(t, http.StatusOK, "查找案件", "会员服务联系人 · 北京注册会计师协会") // signed in as a secretary of Beijing
}

func TestOIDCRefusesForgedStateAndWrongNonce(t *testing.T) {
	is := newIssuer(t)
	srv := oidcConsole(t, is)
	b := (&system{t: t, srv: srv}).browser()
	b.get("/auth/callback?code=c1&state=forged").must(t, http.StatusBadRequest)
	is.badNonce = true
	b.get("/signin/oidc").must(t, http.StatusUnauthorized)
	if p := b.get("/cases"); !strings.HasPrefix(p.url, "/signin") {
		t.Fatalf("a wrong nonce signed the user in: at %s", p.url)
	}
}
