// Package auth defines weiquan's access tokens: the claims every caller carries, minting
// development tokens with an HS256 key, and verifying them.
package auth

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cicpa/weiquan/article23"
)

// Issuer is the `iss` of tokens weiquan mints itself.
const Issuer = "weiquan"

// Claims are what a token says about its bearer.
type Claims struct {
	Role      article23.Role `json:"role"`
	Institute string         `json:"institute"`
	MemberNo  string         `json:"member_no,omitempty"`
	Name      string         `json:"name,omitempty"`
	jwt.RegisteredClaims
}

// Actor is the bearer as the workflow and the store see them.
func (c Claims) Actor() article23.Actor {
	return article23.Actor{ID: c.Subject, Role: c.Role, Institute: c.Institute, MemberNo: c.MemberNo, Name: c.Name}
}

var (
	instituteCode = regexp.MustCompile(`^[A-Z]{2,5}$`)
	memberNo      = regexp.MustCompile(`^[0-9A-Za-z-]{1,32}$`)
)

// Validate checks the claims weiquan relies on, beyond the token's signature and expiry.
func (c Claims) Validate() error {
	var errs []error
	if !c.Role.Valid() {
		errs = append(errs, fmt.Errorf("role must be member, secretary, supervisor or admin, got %q", c.Role))
	}
	if !instituteCode.MatchString(c.Institute) {
		errs = append(errs, fmt.Errorf("institute must be an institute code such as BJ or CICPA, got %q", c.Institute))
	}
	if c.Role == article23.RoleMember && !memberNo.MatchString(c.MemberNo) {
		errs = append(errs, errors.New("a member token needs member_no (letters, digits, '-')"))
	}
	if c.Role != article23.RoleMember && c.MemberNo != "" {
		errs = append(errs, errors.New("member_no belongs on member tokens only"))
	}
	if c.Subject == "" || len(c.Subject) > 200 {
		errs = append(errs, errors.New("sub must be 1–200 characters"))
	}
	for _, claim := range [][2]string{{"sub", c.Subject}, {"name", c.Name}} {
		if err := article23.CheckText(claim[1]); err != nil {
			errs = append(errs, fmt.Errorf("%s %w", claim[0], err))
		}
	}
	return errors.Join(errs...)
}

// MintOptions describe a development token.
type MintOptions struct {
	Subject   string
	Role      article23.Role
	Institute string
	MemberNo  string
	Name      string
	TTL       time.Duration
	Now       time.Time
}

// Mint signs a token with key (HS256). The subject defaults to role@institute[/member].
func Mint(key []byte, o MintOptions) (string, error) {
	if len(key) < 32 {
		return "", errors.New("signing key shorter than 32 bytes")
	}
	if o.Subject == "" {
		o.Subject = string(o.Role) + "@" + o.Institute
		if o.MemberNo != "" {
			o.Subject += "/" + o.MemberNo
		}
	}
	if o.TTL <= 0 {
		o.TTL = 12 * time.Hour
	}
	c := Claims{Role: o.Role, Institute: o.Institute, MemberNo: o.MemberNo, Name: o.Name, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: Issuer, Subject: o.Subject, IssuedAt: jwt.NewNumericDate(o.Now),
		NotBefore: jwt.NewNumericDate(o.Now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(o.Now.Add(o.TTL)),
	}}
	if err := c.Validate(); err != nil {
		return "", err
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
}

// ErrInvalidToken wraps every reason a token is refused.
var ErrInvalidToken = errors.New("invalid token")

// HS256Verifier verifies tokens minted by Mint.
type HS256Verifier struct {
	Key []byte
	Now func() time.Time
}

// Verify parses and checks a token: signature, algorithm, issuer, expiry, claims.
func (v HS256Verifier) Verify(token string) (Claims, error) {
	var c Claims
	opts := []jwt.ParserOption{jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(Issuer), jwt.WithExpirationRequired()}
	if v.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(v.Now))
	}
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.Key, nil }, opts...)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	if err := c.Validate(); err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	return c, nil
}
