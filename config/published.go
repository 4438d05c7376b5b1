package config

import (
	"bytes"
	"encoding/hex"
	"errors"
)

// publishedKeys are keys anyone can read: the development keys docker-compose.yml carried
// before its secrets moved to .env (they stay in the repository's history). A deployment
// people reach over https must not run on them.
var publishedKeys = []string{
	"6c6f63616c2d6f6e6c792d6465762d6b65792d6368616e67652d6d652d6e6f7721", // WEIQUAN_SIGNING_KEY
	"6c6f63616c2d6f6e6c792d7061796c6f61642d6b65792d6368616e67652d6d65",   // WEIQUAN_PAYLOAD_KEYS k1
}

// isPublished reports whether key is one of publishedKeys.
func isPublished(key []byte) bool {
	for _, h := range publishedKeys {
		if k, err := hex.DecodeString(h); err == nil && bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// validateSecrets refuses what would make a deployment's tokens or payloads readable by
// anyone: a published key behind an https public URL, and an OIDC issuer without an
// audience (any token the issuer signs, for any application, would be accepted).
func (c Config) validateSecrets(role Role) []error {
	var errs []error
	if role != RoleAPI && role != RoleWorker {
		return nil
	}
	if c.OIDCIssuer != "" && c.OIDCAudience == "" && role == RoleAPI {
		errs = append(errs, errors.New("WEIQUAN_OIDC_AUDIENCE: required with WEIQUAN_OIDC_ISSUER (the API's client id at the issuer); without it any token of the issuer would be accepted"))
	}
	if !c.Console.SecureCookies() {
		return errs // a laptop or a test: the published keys are what they are for
	}
	if isPublished(c.SigningKey) {
		errs = append(errs, errors.New("WEIQUAN_SIGNING_KEY: a key published in this repository; generate one (openssl rand -hex 32) for a deployment served over https"))
	}
	for _, k := range c.Temporal.Payload.Keys {
		if isPublished(k.Secret) {
			errs = append(errs, errors.New("WEIQUAN_PAYLOAD_KEYS: "+k.ID+" is a key published in this repository; generate one (openssl rand -hex 32) for a deployment served over https"))
		}
	}
	return errs
}
