package devserver

import (
	"context"
	"net"
	"strconv"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// uiServer is the Temporal Web UI served from the ui-server Go module.
type uiServer struct{ srv *uiserver.Server }

// startUI serves the Web UI on port against the embedded frontend. ui-server's Start calls
// the logger's Fatal on a listen error, so the port is checked first.
func startUI(port int, frontend, namespace string) (*uiServer, error) {
	if err := portFree(port); err != nil {
		return nil, err
	}
	srv := uiserver.NewServer(uiserveroptions.WithConfigProvider(&uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: frontend,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		CORS:                uiconfig.CORS{CookieInsecure: true},
		HideLogs:            true,
		DisableNewsFetch:    true,
	}))
	go func() { _ = srv.Start() }()
	if err := waitListening(context.Background(), net.JoinHostPort(host, strconv.Itoa(port))); err != nil {
		return nil, err
	}
	return &uiServer{srv: srv}, nil
}

func (u *uiServer) stop() { u.srv.Stop() }
