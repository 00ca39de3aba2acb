package tunnel

import (
	"context"
	"log/slog"
)

// debugHandler lowers every record to debug level: the ngrok library logs each failed reconnect
// as an error, while hooktap already reports those as tunnel status.
type debugHandler struct{ inner slog.Handler }

func (d debugHandler) Enabled(ctx context.Context, _ slog.Level) bool {
	return d.inner.Enabled(ctx, slog.LevelDebug)
}

func (d debugHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Level = slog.LevelDebug
	return d.inner.Handle(ctx, r)
}

func (d debugHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return debugHandler{d.inner.WithAttrs(attrs)}
}

func (d debugHandler) WithGroup(name string) slog.Handler {
	return debugHandler{d.inner.WithGroup(name)}
}

func libraryLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(debugHandler{logger.Handler()}).With("component", "ngrok")
}
