package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hooktap/hooktap/internal/procalive"
)

// Runtime says where a running hooktap listens, so commands such as `send --route` and
// `replay` reach it even when it was started with --addr 127.0.0.1:0 or another port.
type Runtime struct {
	PID       int       `json:"pid"`
	Gateway   string    `json:"gateway"`
	Admin     string    `json:"admin"`
	StartedAt time.Time `json:"started_at"`
}

const runtimeFile = "runtime.json"

// ReadRuntime returns the running instance recorded in dataDir, if its process is alive.
func ReadRuntime(dataDir string) (Runtime, bool) {
	var rt Runtime
	data, err := os.ReadFile(filepath.Join(dataDir, runtimeFile))
	if err != nil || json.Unmarshal(data, &rt) != nil || rt.PID <= 0 {
		return Runtime{}, false
	}
	if !procalive.Alive(rt.PID) {
		return Runtime{}, false // a stale file (kill -9) is ignored
	}
	return rt, true
}

// writeRuntime records this process's addresses; it returns a func that, on exit, removes the
// file if it is still this process's — or, when another instance on the same data dir was
// recorded before this one and still runs, puts its record back, so two instances never leave
// each other without one.
func (a *App) writeRuntime() func() {
	rt := Runtime{PID: os.Getpid(), Gateway: a.GatewayAddr(), Admin: a.AdminAddr(), StartedAt: time.Now().UTC()}
	previous, hadPrevious := ReadRuntime(a.Config.DataDir)
	if err := writeRuntimeFile(a.Config.DataDir, rt); err != nil {
		a.Log.Warn("runtime file not written", "dir", a.Config.DataDir, "err", err)
		return func() {}
	}
	return func() {
		cur, ok := ReadRuntime(a.Config.DataDir)
		if !ok || cur.PID != rt.PID {
			return // another instance wrote its own record since; it is the one to keep
		}
		if hadPrevious && previous.PID != rt.PID && procalive.Alive(previous.PID) {
			_ = writeRuntimeFile(a.Config.DataDir, previous)
			return
		}
		_ = os.Remove(filepath.Join(a.Config.DataDir, runtimeFile))
	}
}

func writeRuntimeFile(dataDir string, rt Runtime) error {
	path := filepath.Join(dataDir, runtimeFile)
	data, _ := json.Marshal(rt)
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
