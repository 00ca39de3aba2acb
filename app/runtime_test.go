package app

import (
	"io"
	"log/slog"
	"net"
	"os/exec"
	"testing"

	"github.com/hooktap/hooktap/config"
)

// Two instances on one data dir: when the second exits, the first (still running) is recorded
// again instead of being left without a runtime.json.
func TestSecondInstanceExitingRestoresTheFirstsRecord(t *testing.T) {
	dir := t.TempDir()
	first := exec.Command("sleep", "30")
	if err := first.Start(); err != nil {
		t.Skip("no sleep binary to stand in for the first instance:", err)
	}
	t.Cleanup(func() { _ = first.Process.Kill(); _ = first.Wait() })
	if err := writeRuntimeFile(dir, Runtime{PID: first.Process.Pid, Admin: "127.0.0.1:1111"}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	second := &App{Config: &config.Config{DataDir: dir}, adminLn: ln, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cleanup := second.writeRuntime()
	if rt, ok := ReadRuntime(dir); !ok || rt.Admin != ln.Addr().String() {
		t.Fatalf("while running, runtime.json = %+v %v; want the second instance", rt, ok)
	}
	cleanup()
	if rt, ok := ReadRuntime(dir); !ok || rt.PID != first.Process.Pid {
		t.Fatalf("after the second exits, runtime.json = %+v %v; want the first instance back", rt, ok)
	}
	_ = first.Process.Kill()
	_ = first.Wait()
	cleanup = second.writeRuntime()
	cleanup()
	if rt, ok := ReadRuntime(dir); ok {
		t.Fatalf("a lone instance left %+v behind", rt)
	}
}
