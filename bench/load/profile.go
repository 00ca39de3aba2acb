package main

import (
	"context"
	"fmt"
	"github.com/hooktap/hooktap/capture"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync/atomic"

	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/internal/logbuf"
)

// runProfile runs the same app `hooktap serve` runs, in this process, drives it at the largest
// -conns count and writes a CPU profile; the generator's samples carry the label side=client so
// the printed top lists only the server's work.
func runProfile(ctx context.Context, o options) error {
	dir, cleanup, err := workDir(o.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	dataDir := dir
	if o.store != "" {
		dataDir = o.store
	}
	secret := newSecret()
	a, logf, err := newInProcessApp(dir, dataDir, secret)
	if err != nil {
		return err
	}
	defer logf.Close()
	runCtx, stop := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(runCtx) }()
	var seq atomic.Uint64
	tgt := githubTarget("http://"+a.GatewayAddr()+"/webhooks/"+o.routes[0].name, secret, &seq)
	conns := slices.Max(o.conns)
	res, profErr := profiledLoad(ctx, o, tgt, conns)
	if profErr == nil && o.memprof != "" {
		profErr = writeHeapProfile(o.memprof)
	}
	ws := writeStats(a.Store)
	stop()
	if err := <-runErr; err != nil {
		return fmt.Errorf("in-process hooktap: %w", err)
	}
	if profErr != nil {
		return profErr
	}
	fmt.Printf("in-process hooktap, %s route, at %d conns: %.0f req/s, p50 %s, p99 %s, %d errors; store: %d rows in %d commits (%.1f rows/commit)\n\n",
		o.routes[0].label, conns, res.rps(), ms(res.percentile(50)), ms(res.percentile(99)), res.errors,
		ws.Writes, ws.Commits, ratio(float64(ws.Writes), float64(ws.Commits)))
	return printTop(o.profile)
}

// newInProcessApp loads the harness's config the way `hooktap serve` does and builds the app,
// logging to a file through the same batching writer serve puts in front of stderr. The returned
// closer flushes the log and closes the file.
func newInProcessApp(dir, dataDir, secret string) (*app.App, io.Closer, error) {
	cfgPath := filepath.Join(dir, "config.yaml")
	maxCount := 0 // the default retention, as a fresh serve has
	if dataDir != dir {
		maxCount = 1_000_000_000 // never prune a store brought to be measured
	}
	if err := os.WriteFile(cfgPath, []byte(hooktapConfig(secret, maxCount)), 0o600); err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: cfgPath, DataDir: dataDir, Addr: "127.0.0.1:0",
		AdminAddr: "127.0.0.1:0", Tunnel: "off"}, nil)
	if err != nil {
		return nil, nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "hooktap.log"))
	if err != nil {
		return nil, nil, err
	}
	out := &logFile{Writer: logbuf.New(logf), file: logf}
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(out, nil)))
	if err != nil {
		out.Close()
		return nil, nil, err
	}
	return a, out, nil
}

// logFile is the batching log writer over its file.
type logFile struct {
	*logbuf.Writer
	file *os.File
}

func (l *logFile) Close() error {
	l.Writer.Close()
	return l.file.Close()
}

func profiledLoad(ctx context.Context, o options, tgt target, conns int) (result, error) {
	if o.warmup > 0 {
		runLoad(ctx, tgt, conns, o.warmup)
	}
	f, err := os.Create(o.profile)
	if err != nil {
		return result{}, err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return result{}, err
	}
	res := runLoad(ctx, tgt, conns, o.duration)
	pprof.StopCPUProfile()
	return res, f.Close()
}

// writeHeapProfile writes what the running app holds: a GC first, so the profile's in-use
// figures are live memory, not garbage waiting for the next cycle.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "heap profile written to %s (go tool pprof -sample_index=inuse_space -top %s)\n", path, path)
	return f.Close()
}

// printTop shows the server side of the profile, by flat and by cumulative time.
func printTop(path string) error {
	for _, sort := range []string{"-flat", "-cum"} {
		cmd := exec.Command("go", "tool", "pprof", "-top", sort, "-nodecount=30", "-tagignore=side=client", path)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go tool pprof: %w", err)
		}
		fmt.Println()
	}
	fmt.Printf("profile written to %s (go tool pprof -http=127.0.0.1:0 -tagignore=side=client %s)\n", path, path)
	return nil
}

// writeStats reads the group-commit counters of a store that keeps them (SQLite does).
func writeStats(st capture.Store) capture.WriteStats {
	if ws, ok := st.(interface{ WriteStats() capture.WriteStats }); ok {
		return ws.WriteStats()
	}
	return capture.WriteStats{}
}
