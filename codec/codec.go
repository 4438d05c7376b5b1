// Package codec encrypts Temporal payloads with AES-256-GCM before they leave the process, so
// the personal data in case inputs, updates and activity arguments (member names and numbers,
// summaries, counterparties) is never stored in plaintext in Temporal's history. Every
// encrypted payload names its key in the metadata, so keys can rotate: the first key encrypts,
// every known key decrypts.
package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// Metadata of an encrypted payload.
const (
	// Encoding is the payload encoding of an encrypted payload.
	Encoding = "binary/encrypted"
	// MetadataKeyID names the key that encrypted the payload.
	MetadataKeyID = "encryption-key-id"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// ErrUnknownKey means a payload was encrypted with a key this process does not have.
var ErrUnknownKey = errors.New("payload encrypted with an unknown key")

// Key is one encryption key and the ID payloads name it by.
type Key struct {
	ID     string
	Secret []byte
}

// String is the key in the WEIQUAN_PAYLOAD_KEYS form "id:hex".
func (k Key) String() string { return k.ID + ":" + hex.EncodeToString(k.Secret) }

var keyID = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// ParseKeys reads "k1:<64 hex digits>,k0:<64 hex digits>": the first key is the active one.
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		id, secret, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("want id:hex pairs separated by commas (id of letters, digits, '.', '_', '-'), got %q", redact(part))
		}
		b, err := hex.DecodeString(secret)
		if err != nil || len(b) != KeySize {
			return nil, fmt.Errorf("key %s: want %d bytes as %d hex digits (openssl rand -hex 32)", id, KeySize, 2*KeySize)
		}
		if seen[id] {
			return nil, fmt.Errorf("key %s given twice", id)
		}
		seen[id] = true
		keys = append(keys, Key{ID: id, Secret: b})
	}
	return keys, nil
}

// redact keeps a secret out of an error message.
func redact(part string) string {
	if id, _, ok := strings.Cut(strings.TrimSpace(part), ":"); ok {
		return id + ":…"
	}
	return "…"
}

// NewKey returns a fresh random key named id.
func NewKey(id string) (Key, error) {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		return Key{}, err
	}
	return Key{ID: id, Secret: b}, nil
}

// Codec is a converter.PayloadCodec that encrypts with its active key and decrypts with any
// of its keys. It is safe for concurrent use.
type Codec struct {
	active string
	aeads  map[string]cipher.AEAD
}

var _ converter.PayloadCodec = (*Codec)(nil)

// New returns a codec over keys; keys[0] encrypts.
func New(keys []Key) (*Codec, error) {
	if len(keys) == 0 {
		return nil, errors.New("codec: no keys")
	}
	c := &Codec{active: keys[0].ID, aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("codec: key %s has %d bytes, want %d", k.ID, len(k.Secret), KeySize)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("codec: key %s: %w", k.ID, err)
		}
		if c.aeads[k.ID], err = cipher.NewGCM(block); err != nil {
			return nil, fmt.Errorf("codec: key %s: %w", k.ID, err)
		}
	}
	return c, nil
}

// ActiveKeyID is the ID of the key new payloads are encrypted with.
func (c *Codec) ActiveKeyID() string { return c.active }

// DataConverter is the SDK's default converter with this codec applied: give it to every
// client (client.Options.DataConverter) so workers and API read and write the same payloads.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// Encode encrypts each whole payload (metadata and data) with the active key. The key ID is
// bound to the ciphertext as additional data, so relabelling a payload makes it undecryptable.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead := c.aeads[c.active]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return nil, fmt.Errorf("codec: marshal payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{converter.MetadataEncoding: []byte(Encoding), MetadataKeyID: []byte(c.active)},
			Data:     aead.Seal(nonce, nonce, plain, []byte(c.active)),
		}
	}
	return out, nil
}

// Decode decrypts the encrypted payloads with the key each names and passes others through
// unchanged (histories written before encryption was turned on stay readable).
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.Metadata[MetadataKeyID])
		aead, ok := c.aeads[id]
		if !ok {
			return nil, fmt.Errorf("codec: %w %q: add it to WEIQUAN_PAYLOAD_KEYS (after the active key)", ErrUnknownKey, id)
		}
		if len(p.Data) < aead.NonceSize() {
			return nil, fmt.Errorf("codec: payload encrypted with key %s is too short", id)
		}
		nonce, sealed := p.Data[:aead.NonceSize()], p.Data[aead.NonceSize():]
		plain, err := aead.Open(nil, nonce, sealed, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("codec: payload does not decrypt with key %s: %w", id, err)
		}
		out[i] = &commonpb.Payload{}
		if err := out[i].Unmarshal(plain); err != nil {
			return nil, fmt.Errorf("codec: decrypted payload: %w", err)
		}
	}
	return out, nil
}
