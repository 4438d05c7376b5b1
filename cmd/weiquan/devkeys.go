package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/config"
)

// devPayloadKeyFile holds the payload keys of a dev data directory ("id:hex,…", the first
// active), so the Temporal history it keeps stays readable across restarts.
const devPayloadKeyFile = "payload.keys"

// ensureDevPayloadKeys returns the payload keys for `weiquan dev`: WEIQUAN_PAYLOAD_KEYS when
// set (including `none`), else the data directory's key file, created on first start.
func ensureDevPayloadKeys(dir string) (config.Payload, error) {
	if v := strings.TrimSpace(os.Getenv("WEIQUAN_PAYLOAD_KEYS")); v != "" {
		cfg, err := config.FromEnv(func(k string) string { return map[string]string{"WEIQUAN_PAYLOAD_KEYS": v}[k] })
		return cfg.Temporal.Payload, err
	}
	path := filepath.Join(dir, devPayloadKeyFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		k, err := codec.NewKey("dev1")
		if err != nil {
			return config.Payload{}, err
		}
		if err := os.WriteFile(path, []byte(k.String()+"\n"), 0o600); err != nil {
			return config.Payload{}, fmt.Errorf("write the dev payload key: %w", err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return config.Payload{}, fmt.Errorf("read the dev payload key: %w", err)
	}
	keys, err := codec.ParseKeys(strings.TrimSpace(string(b)))
	if err != nil {
		return config.Payload{}, fmt.Errorf("%s: %w", path, err)
	}
	return config.Payload{Keys: keys}, nil
}

// encryptPayloads gives the client options the payload codec: payloads and failure messages
// are encrypted before they reach the server. Without keys it changes nothing.
func encryptPayloads(opts *client.Options, p config.Payload) error {
	cd, err := p.Codec()
	if err != nil {
		return fmt.Errorf("WEIQUAN_PAYLOAD_KEYS: %w", err)
	}
	if cd == nil {
		return nil
	}
	opts.DataConverter = cd.DataConverter()
	// Ciphertext does not compress: gzip on the gRPC connection would spend CPU on both ends
	// (7 % of a bench run's CPU) for the little the messages' other fields save.
	opts.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	opts.FailureConverter = temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: opts.DataConverter, EncodeCommonAttributes: true,
	})
	return nil
}

// mountCodec serves the remote payload codec (admin only) on the API when payloads are
// encrypted, so the Temporal Web UI (uiOrigins, for CORS) and CLI can show them.
func mountCodec(a *api.Server, p config.Payload, uiOrigins ...string) error {
	cd, err := p.Codec()
	if err != nil || cd == nil {
		return err
	}
	var origins []string
	for _, o := range uiOrigins {
		if o != "" {
			origins = append(origins, o)
		}
	}
	a.MountCodec(converter.NewPayloadCodecHTTPHandler(cd), origins...)
	return nil
}
