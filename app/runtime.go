package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
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
	// Signal 0 checks the process exists without touching it; a stale file (kill -9) is ignored.
	if err := syscall.Kill(rt.PID, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return Runtime{}, false
	}
	return rt, true
}

// writeRuntime records this process's addresses; it returns a func that removes the file if it
// is still this process's.
func (a *App) writeRuntime() func() {
	path := filepath.Join(a.Config.DataDir, runtimeFile)
	rt := Runtime{PID: os.Getpid(), Gateway: a.GatewayAddr(), Admin: a.AdminAddr(), StartedAt: time.Now().UTC()}
	data, _ := json.Marshal(rt)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil || os.Rename(tmp, path) != nil {
		a.Log.Warn("runtime file not written", "path", path, "err", err)
		return func() {}
	}
	return func() {
		if cur, ok := ReadRuntime(a.Config.DataDir); ok && cur.PID == rt.PID {
			_ = os.Remove(path)
		}
	}
}
