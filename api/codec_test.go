package api

import (
	"net/http"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cicpa/weiquan/codec"
)

// TestCodecEndpointAdminOnly: the remote codec answers an admin and nobody else, speaks the
// Temporal remote codec protocol, and answers the Web UI's CORS preflight.
func TestCodecEndpointAdminOnly(t *testing.T) {
	a := newTestAPI(t)
	k, _ := codec.NewKey("k1")
	cd, err := codec.New([]codec.Key{k})
	if err != nil {
		t.Fatal(err)
	}
	a.srv.MountCodec(converter.NewPayloadCodecHTTPHandler(cd), "http://127.0.0.1:8233")
	plain, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{{
		Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`{"name":"王会计师"}`)}}})

	a.do(principal{}, http.MethodPost, "/codec/encode", string(plain)).problem(http.StatusUnauthorized, "unauthenticated")
	for _, p := range []principal{memberWang, secretaryBJ, national} {
		a.do(p, http.MethodPost, "/codec/decode", string(plain)).problem(http.StatusForbidden, "forbidden")
	}
	enc := a.do(admin, http.MethodPost, "/codec/encode", string(plain)).want(http.StatusOK)
	var encoded commonpb.Payloads
	if err := protojson.Unmarshal(enc.Body.Bytes(), &encoded); err != nil || string(encoded.Payloads[0].Metadata["encryption-key-id"]) != "k1" {
		t.Fatalf("encode answered %s (%v)", enc.Body, err)
	}
	body, _ := protojson.Marshal(&encoded)
	dec := a.do(admin, http.MethodPost, "/codec/decode", string(body)).want(http.StatusOK)
	var decoded commonpb.Payloads
	if err := protojson.Unmarshal(dec.Body.Bytes(), &decoded); err != nil || string(decoded.Payloads[0].Data) != `{"name":"王会计师"}` {
		t.Fatalf("decode answered %s (%v)", dec.Body, err)
	}
	pre := a.do(principal{}, http.MethodOptions, "/codec/decode", nil, "Origin", "http://127.0.0.1:8233",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type,x-namespace")
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8233" {
		t.Fatalf("preflight: %d %v", pre.Code, pre.Header())
	}
	other := a.do(principal{}, http.MethodOptions, "/codec/decode", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if other.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("preflight allowed an unknown origin")
	}
}
