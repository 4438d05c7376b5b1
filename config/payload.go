package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cicpa/weiquan/codec"
)

// PayloadKeysNone is the explicit WEIQUAN_PAYLOAD_KEYS value that turns payload encryption off.
const PayloadKeysNone = "none"

// Payload is how Temporal payloads (case inputs, updates, activity arguments: personal data)
// are encrypted before they reach the Temporal server.
type Payload struct {
	// Keys encrypt and decrypt payloads; Keys[0] encrypts new ones. Empty: no encryption.
	Keys []codec.Key
	// None records that WEIQUAN_PAYLOAD_KEYS=none was set on purpose.
	None bool
}

// Codec returns the payload codec, or nil when encryption is off.
func (p Payload) Codec() (*codec.Codec, error) {
	if len(p.Keys) == 0 {
		return nil, nil
	}
	return codec.New(p.Keys)
}

// payloadFromEnv reads WEIQUAN_PAYLOAD_KEYS: "k1:<hex>,k0:<hex>" (first active), "none" or "".
func payloadFromEnv(v string) (Payload, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return Payload{}, nil
	case strings.EqualFold(v, PayloadKeysNone):
		return Payload{None: true}, nil
	}
	keys, err := codec.ParseKeys(v)
	if err != nil {
		return Payload{}, fmt.Errorf("WEIQUAN_PAYLOAD_KEYS: %w", err)
	}
	return Payload{Keys: keys}, nil
}

// validate refuses to run api or worker without a decision on payload encryption: without
// keys, members' names, numbers and complaints would sit in Temporal's history in plaintext.
func (p Payload) validate(role Role) error {
	if (role != RoleAPI && role != RoleWorker) || len(p.Keys) > 0 || p.None {
		return nil
	}
	return errors.New("WEIQUAN_PAYLOAD_KEYS: not set; personal data would reach Temporal's history in plaintext: " +
		"set k1:$(openssl rand -hex 32) (the same keys for api and worker), or `none` to accept plaintext")
}
