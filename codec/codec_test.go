package codec

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func mustKey(t *testing.T, id string) Key {
	t.Helper()
	k, err := NewKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustCodec(t *testing.T, keys ...Key) *Codec {
	t.Helper()
	c, err := New(keys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRoundTripHidesPlaintext(t *testing.T) {
	c := mustCodec(t, mustKey(t, "k1"))
	dc := c.DataConverter()
	p, err := dc.ToPayload(map[string]string{"name": "王会计师", "member_no": "110000000001"})
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Metadata[converter.MetadataEncoding]) != Encoding || string(p.Metadata[MetadataKeyID]) != "k1" {
		t.Fatalf("metadata %q", p.Metadata)
	}
	if bytes.Contains(p.Data, []byte("110000000001")) || bytes.Contains(p.Data, []byte("王会计师")) || bytes.Contains(p.Data, []byte("json")) {
		t.Fatal("plaintext in the encrypted payload")
	}
	var got map[string]string
	if err := dc.FromPayload(p, &got); err != nil || got["name"] != "王会计师" {
		t.Fatalf("round trip: %v %v", got, err)
	}
}

// TestRotation: a payload written with the old key reads with the new key set (new key
// first); a process that lacks the old key says which key it is missing.
func TestRotation(t *testing.T) {
	k0, k1 := mustKey(t, "k0"), mustKey(t, "k1")
	old := mustCodec(t, k0)
	enc, err := old.Encode([]*commonpb.Payload{{Data: []byte("secret")}})
	if err != nil {
		t.Fatal(err)
	}
	rotated := mustCodec(t, k1, k0)
	dec, err := rotated.Decode(enc)
	if err != nil || string(dec[0].Data) != "secret" {
		t.Fatalf("rotated codec cannot read the old key: %v", err)
	}
	again, _ := rotated.Encode(dec)
	if string(again[0].Metadata[MetadataKeyID]) != "k1" {
		t.Fatalf("new payloads use %q, want the active k1", again[0].Metadata[MetadataKeyID])
	}
	_, err = mustCodec(t, k1).Decode(enc)
	if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `"k0"`) {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestTamperingAndRelabellingFail(t *testing.T) {
	k0, k1 := mustKey(t, "k0"), mustKey(t, "k1")
	c := mustCodec(t, k0, k1)
	enc, _ := c.Encode([]*commonpb.Payload{{Data: []byte("secret")}})
	flipped := &commonpb.Payload{Metadata: enc[0].Metadata, Data: bytes.Clone(enc[0].Data)}
	flipped.Data[len(flipped.Data)-1] ^= 1
	if _, err := c.Decode([]*commonpb.Payload{flipped}); err == nil {
		t.Fatal("a flipped bit decrypted")
	}
	relabelled := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(Encoding), MetadataKeyID: []byte("k1")}, Data: enc[0].Data}
	if _, err := c.Decode([]*commonpb.Payload{relabelled}); err == nil {
		t.Fatal("a payload relabelled with another key id decrypted")
	}
	plain := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte("json/plain")}, Data: []byte(`"x"`)}
	if out, err := c.Decode([]*commonpb.Payload{plain}); err != nil || out[0] != plain {
		t.Fatalf("unencrypted payload not passed through: %v", err)
	}
}

func TestParseKeys(t *testing.T) {
	hex64 := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		in   string
		ids  []string
		fail string
	}{
		{in: "k1:" + hex64 + ", k0:" + strings.Repeat("cd", 32), ids: []string{"k1", "k0"}},
		{in: "k1:" + hex64[:62], fail: "64 hex digits"},
		{in: hex64, fail: "id:hex"},
		{in: "k1:" + hex64 + ",k1:" + hex64, fail: "twice"},
		{in: "bad id:" + hex64, fail: "bad id:…"},
	} {
		keys, err := ParseKeys(tc.in)
		if tc.fail != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fail) || strings.Contains(err.Error(), hex64) {
				t.Errorf("%q: error %v, want one mentioning %q without the secret", tc.in, err, tc.fail)
			}
			continue
		}
		if err != nil || len(keys) != len(tc.ids) || keys[0].ID != tc.ids[0] || keys[1].ID != tc.ids[1] {
			t.Errorf("%q: %v %v", tc.in, keys, err)
		}
	}
	k := mustKey(t, "k9")
	back, err := ParseKeys(k.String())
	if err != nil || !bytes.Equal(back[0].Secret, k.Secret) {
		t.Fatalf("String does not parse back: %v", err)
	}
}

// TestRemoteCodecProtocol: the SDK's remote codec client (what the Temporal UI and CLI speak)
// round-trips through the SDK's HTTP handler over this codec.
func TestRemoteCodecProtocol(t *testing.T) {
	c := mustCodec(t, mustKey(t, "k1"))
	srv := httptest.NewServer(converter.NewPayloadCodecHTTPHandler(c))
	defer srv.Close()
	remote := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{Endpoint: srv.URL, Client: http.Client{}})
	enc, err := remote.Encode([]*commonpb.Payload{{Data: []byte("secret")}})
	if err != nil || string(enc[0].Metadata[MetadataKeyID]) != "k1" {
		t.Fatalf("remote encode: %v", err)
	}
	dec, err := remote.Decode(enc)
	if err != nil || string(dec[0].Data) != "secret" {
		t.Fatalf("remote decode: %v", err)
	}
}
