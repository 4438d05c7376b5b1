package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestMintVerifyRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tok, err := Mint(key, MintOptions{Role: article23.RoleMember, Institute: "BJ", MemberNo: "110000123456", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := HS256Verifier{Key: key, Now: func() time.Time { return now.Add(time.Hour) }}.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	a := c.Actor()
	if a.Role != article23.RoleMember || a.Institute != "BJ" || a.MemberNo != "110000123456" || a.ID != "member@BJ/110000123456" {
		t.Fatalf("actor %+v", a)
	}
}

func TestVerifyRefuses(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	good, _ := Mint(key, MintOptions{Role: article23.RoleSecretary, Institute: "SH", Now: now})
	otherKey := []byte(strings.Repeat("x", 32))
	forged, _ := Mint(otherKey, MintOptions{Role: article23.RoleAdmin, Institute: "CICPA", Now: now})
	tests := map[string]struct {
		tok string
		at  time.Time
	}{
		"expired":   {good, now.Add(13 * time.Hour)},
		"forged":    {forged, now},
		"garbage":   {"not.a.token", now},
		"alg none":  {"eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.", now},
		"truncated": {good[:len(good)-4], now},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := HS256Verifier{Key: key, Now: func() time.Time { return tt.at }}.Verify(tt.tok)
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("want ErrInvalidToken, got %v", err)
			}
		})
	}
}

func TestMintRefusesBadClaims(t *testing.T) {
	for name, o := range map[string]MintOptions{
		"member without number": {Role: article23.RoleMember, Institute: "BJ"},
		"unknown role":          {Role: "boss", Institute: "BJ"},
		"bad institute":         {Role: article23.RoleSecretary, Institute: "beijing"},
		"number on secretary":   {Role: article23.RoleSecretary, Institute: "BJ", MemberNo: "1"},
	} {
		if _, err := Mint(key, o); err == nil {
			t.Errorf("%s: minted", name)
		}
	}
	if _, err := Mint([]byte("short"), MintOptions{Role: article23.RoleAdmin, Institute: "CICPA"}); err == nil {
		t.Error("short key accepted")
	}
}

func FuzzVerify(f *testing.F) {
	tok, _ := Mint(key, MintOptions{Role: article23.RoleSupervisor, Institute: "GD", Now: time.Now()})
	f.Add(tok)
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := HS256Verifier{Key: key}.Verify(s)
		if err == nil && c.Validate() != nil {
			t.Fatalf("accepted invalid claims %+v", c)
		}
	})
}
