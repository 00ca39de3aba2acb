// Package admin serves hooktap's loopback admin API: captures (list, one, live stream, replay),
// routes, the same captures in the shape of ngrok's local agent API, and whatever handlers other
// packages mount under it. It only ever answers requests whose Host names the loopback interface
// and, when admin.token is set, that carry that bearer token.
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// Timeouts of the admin listener. There is no overall write timeout because the capture stream
// stays open for as long as its client wants; other answers get a per-request write deadline.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	answerTimeout     = 30 * time.Second
	shutdownTimeout   = 5 * time.Second
	defaultHeartbeat  = 15 * time.Second
)

// Deps is what the admin API needs from the rest of the program; the app wires it.
type Deps struct {
	Config      *config.Config
	Store       capture.Store
	GatewayAddr string
	// PublicURL returns the tunnel's or public_base_url's base URL, "" when local only.
	PublicURL func() string
	// Routes returns the effective routes including dynamic subscriptions.
	Routes func() []config.Route
	// GatewayReplay runs a request through the gateway as a replay (nil without a gateway).
	GatewayReplay func(ctx context.Context, req *http.Request, original string) (*capture.Capture, error)
	// Replay replays a capture; nil until the replay engine is wired, and the endpoint says so.
	Replay func(ctx context.Context, id string, o ReplayOptions) (*capture.Capture, error)
	// TunnelURL returns the tunnel's public URL while it is online, else "" (the ngrok-compatible
	// /api/tunnels lists no tunnel then); nil means no tunnel.
	TunnelURL func() string
	// Mounts are extra handlers by path prefix (notify's webhooks and events API).
	Mounts map[string]http.Handler
	Logger *slog.Logger
}

// Server is the admin API.
type Server struct {
	deps      Deps
	log       *slog.Logger
	heartbeat time.Duration
	// streamBuffer is how many captures a stream client may fall behind before it is dropped.
	streamBuffer int
	// closing is closed when Serve shuts down so open streams end instead of holding Shutdown.
	closing   chan struct{}
	closeOnce sync.Once
	handler   http.Handler
}

// New builds the admin API from its dependencies.
func New(d Deps) *Server {
	if d.Config == nil {
		def := config.Default()
		d.Config = &def
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: d, log: log, heartbeat: defaultHeartbeat, streamBuffer: 256, closing: make(chan struct{})}
	s.handler = guard(d.Config.Admin.Token, s.routes())
	return s
}

// Handler is the whole API with the Host guard and token check applied to everything, mounts included.
func (s *Server) Handler() http.Handler { return s.handler }

// routes builds the request router.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/captures", withDeadline(http.HandlerFunc(s.listCaptures)))
	mux.Handle("GET /api/v1/captures/stream", http.HandlerFunc(s.streamCaptures))
	mux.Handle("GET /api/v1/captures/count", withDeadline(http.HandlerFunc(s.countCaptures)))
	mux.Handle("GET /api/v1/captures/{id}", withDeadline(http.HandlerFunc(s.getCapture)))
	mux.Handle("GET /api/v1/captures/{id}/outbox", withDeadline(http.HandlerFunc(s.captureOutbox)))
	mux.Handle("GET /api/v1/captures/{id}/doctor", withDeadline(http.HandlerFunc(s.captureDoctor)))
	mux.Handle("GET /api/v1/deliveries", withDeadline(http.HandlerFunc(s.listDeliveries)))
	mux.Handle("POST /api/v1/deliveries/retry", withDeadline(http.HandlerFunc(s.retryDeliveries)))
	mux.Handle("POST /api/v1/deliveries/purge", withDeadline(http.HandlerFunc(s.purgeDeliveries)))
	mux.Handle("GET /api/v1/routes/pins", withDeadline(http.HandlerFunc(s.listPins)))
	mux.Handle("POST /api/v1/captures/{id}/replay", withDeadline(http.HandlerFunc(s.replayCapture)))
	mux.Handle("POST "+GatewayReplayPath, withDeadline(http.HandlerFunc(s.gatewayReplay)))
	mux.Handle("GET /api/v1/routes", withDeadline(http.HandlerFunc(s.listRoutes)))
	s.compatRoutes(mux)
	for _, p := range []string{"/api/v1/captures", "/api/v1/captures/{id}", "/api/v1/captures/{id}/replay",
		"/api/v1/captures/{id}/outbox", "/api/v1/captures/{id}/doctor", "/api/v1/deliveries", "/api/v1/deliveries/retry",
		"/api/v1/deliveries/purge", "/api/v1/routes"} {
		mux.HandleFunc(p, methodNotAllowed)
	}
	for prefix, h := range s.deps.Mounts {
		s.mount(mux, prefix, h)
	}
	mux.HandleFunc("/", notFound)
	return mux
}

// mount registers h for prefix and everything under it. A prefix that collides with a built-in
// endpoint is a wiring mistake; it is logged and skipped rather than crashing the program.
func (s *Server) mount(mux *http.ServeMux, prefix string, h http.Handler) {
	if h == nil || !strings.HasPrefix(prefix, "/") {
		s.log.Warn("admin: ignoring mount", "prefix", prefix)
		return
	}
	patterns := []string{prefix}
	if !strings.HasSuffix(prefix, "/") {
		patterns = append(patterns, prefix+"/")
	}
	for _, p := range patterns {
		if err := safeHandle(mux, p, withDeadline(h)); err != nil {
			s.log.Warn("admin: ignoring mount", "prefix", p, "err", err)
		}
	}
}

// safeHandle turns ServeMux's panic on a conflicting pattern into an error.
func safeHandle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// withDeadline bounds how long a client may take to read an ordinary answer.
func withDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(answerTimeout))
		next.ServeHTTP(w, r)
	})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, apiError{Message: "no such endpoint: " + r.URL.Path})
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, apiError{Message: "method " + r.Method + " not allowed on " + r.URL.Path})
}

// Serve answers on ln until ctx ends, then shuts down gracefully: open streams are ended and
// in-flight answers get a few seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("admin API on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.closeOnce.Do(func() { close(s.closing) })
	shCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shCtx)
	<-errc
	if err != nil {
		return fmt.Errorf("admin API shutdown: %w", err)
	}
	return nil
}
