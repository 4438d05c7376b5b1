package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/config"
)

// TestDevPayloadKeysAndCodecMount: dev keeps one key across starts, and the codec endpoint
// exists only when payloads are encrypted (and then wants a token).
func TestDevPayloadKeysAndCodecMount(t *testing.T) {
	t.Setenv("WEIQUAN_PAYLOAD_KEYS", "")
	dir := t.TempDir()
	p1, err := ensureDevPayloadKeys(dir)
	if err != nil || len(p1.Keys) != 1 {
		t.Fatalf("first start: %+v %v", p1, err)
	}
	p2, _ := ensureDevPayloadKeys(dir)
	if p2.Keys[0].String() != p1.Keys[0].String() {
		t.Fatal("the dev payload key changed across starts")
	}
	for _, tc := range []struct {
		payload config.Payload
		want    int
	}{{p1, http.StatusUnauthorized}, {config.Payload{None: true}, http.StatusNotFound}} {
		a := api.New(api.Deps{})
		if err := mountCodec(a, tc.payload, ""); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/codec/decode", strings.NewReader(`{"payloads":[]}`)))
		if rec.Code != tc.want {
			t.Errorf("codec endpoint with %+v: %d, want %d", tc.payload.None, rec.Code, tc.want)
		}
	}
}

// TestEncryptedPayloadsTravelUncompressed: with payload keys the client encrypts and asks for
// no gzip on the gRPC connection (ciphertext does not compress); without keys it keeps the
// SDK's default.
func TestEncryptedPayloadsTravelUncompressed(t *testing.T) {
	t.Setenv("WEIQUAN_PAYLOAD_KEYS", "")
	keys, err := ensureDevPayloadKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var enc client.Options
	if err := encryptPayloads(&enc, keys); err != nil {
		t.Fatal(err)
	}
	if _, none := enc.ConnectionOptions.GrpcCompression.(*client.GrpcCompressionNone); !none || enc.DataConverter == nil {
		t.Errorf("encrypted: compression %T, data converter %v", enc.ConnectionOptions.GrpcCompression, enc.DataConverter)
	}
	var plain client.Options
	if err := encryptPayloads(&plain, config.Payload{None: true}); err != nil {
		t.Fatal(err)
	}
	if plain.ConnectionOptions.GrpcCompression != nil || plain.DataConverter != nil {
		t.Errorf("unencrypted: compression %T, data converter %v", plain.ConnectionOptions.GrpcCompression, plain.DataConverter)
	}
}
