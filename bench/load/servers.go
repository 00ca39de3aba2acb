package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one measured child process: the bare baseline or hooktap serve.
type server struct {
	name    string
	cmd     *exec.Cmd
	addr    string // host:port the process announced
	logPath string
	done    chan struct{} // closed when the process has exited
	exitErr error         // set before done is closed
}

// pinning says how processes are tied to cores; cpus == "" means not pinned.
type pinning struct {
	serverCPUs string // e.g. "0"
	loadCPUs   string // e.g. "1"; "" when the generator shares the servers' cores
	taskset    string // path of taskset, "" when absent
	note       string // what the harness could and could not do, for the report
}

// planPinning pins the servers to the first n cores and the generator to the rest.
func planPinning(n int) pinning {
	cores := numCPU()
	ts, err := exec.LookPath("taskset")
	switch {
	case n <= 0:
		return pinning{note: "not pinned (-cpu 0)"}
	case err != nil:
		return pinning{note: "not pinned: taskset (util-linux) not found"}
	case n >= cores:
		return pinning{taskset: ts, serverCPUs: cpuRange(0, cores),
			note: fmt.Sprintf("servers on all %d cores; the generator shares them", cores)}
	}
	p := pinning{taskset: ts, serverCPUs: cpuRange(0, n), loadCPUs: cpuRange(n, cores)}
	p.note = fmt.Sprintf("servers pinned to CPU %s (taskset), load generator to CPU %s", p.serverCPUs, p.loadCPUs)
	return p
}

func cpuRange(from, to int) string {
	if to-from == 1 {
		return strconv.Itoa(from)
	}
	return fmt.Sprintf("%d-%d", from, to-1)
}

// numCPU counts the cores the harness may use (its affinity at start).
func numCPU() int { return runtime.NumCPU() }

// pinSelf moves every thread of this process to the generator's cores.
func (p pinning) pinSelf() error {
	if p.taskset == "" || p.loadCPUs == "" {
		return nil
	}
	out, err := exec.Command(p.taskset, "-a", "-p", "-c", p.loadCPUs, strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pin load generator: %v: %s", err, out)
	}
	return nil
}

// wrap prefixes argv with taskset so the child starts (and stays) on the servers' cores.
func (p pinning) wrap(argv []string) []string {
	if p.taskset == "" || p.serverCPUs == "" {
		return argv
	}
	return append([]string{p.taskset, "-c", p.serverCPUs}, argv...)
}

// buildBinaries compiles hooktap and the bare baseline into dir.
func buildBinaries(ctx context.Context, root, dir string) (hooktap, bare string, err error) {
	hooktap, bare = filepath.Join(dir, "hooktap"), filepath.Join(dir, "bare")
	if err := buildOne(ctx, root, hooktap, "."); err != nil {
		return "", "", err
	}
	return hooktap, bare, buildOne(ctx, root, bare, "./bench/bare")
}

// buildOne runs go build -o out pkg in the module root.
func buildOne(ctx context.Context, root, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// repoRoot is the directory of the main module's go.mod.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", errors.New("run the harness from inside the hooktap module (go run ./bench/load)")
	}
	return filepath.Dir(mod), nil
}

// startServer runs argv with stderr going straight to logPath (no pipe through the harness, so
// hooktap's per-request log lines cost the harness nothing) and waits for ready's first group.
func startServer(name string, argv, env []string, logPath string, ready *regexp.Regexp) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		s.exitErr = cmd.Wait()
		close(s.done)
	}()
	if s.addr, err = s.awaitAddr(ready, 60*time.Second); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) awaitAddr(ready *regexp.Regexp, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if addr := scanFor(s.logPath, ready); addr != "" {
			return addr, nil
		}
		select {
		case <-s.done:
			return "", fmt.Errorf("%s exited before listening (%v); its log: %s", s.name, s.exitErr, tail(s.logPath))
		case <-time.After(50 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("%s did not announce its address within %s; its log: %s", s.name, limit, tail(s.logPath))
}

func scanFor(path string, re *regexp.Regexp) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	return ""
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// peakRSS is the process's high-water resident set (VmHWM) in bytes.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS needs /proc: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// userHZ is the kernel's clock tick for /proc times; Linux fixes it at 100 for user space.
const userHZ = 100

// cpuTime is the CPU (user + system) the process has used so far, from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, error) {
	user, sys, err := cpuTimes(pid)
	return user + sys, err
}

// cpuTimes is the CPU the process has used so far in its own code (user) and in the kernel on
// its behalf (system), from /proc/<pid>/stat.
func cpuTimes(pid int) (user, sys time.Duration, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("CPU time needs /proc: %w", err)
	}
	// The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
	end := strings.LastIndexByte(string(b), ')')
	fields := strings.Fields(string(b[end+1:]))
	if end < 0 || len(fields) < 13 {
		return 0, 0, errors.New("unexpected /proc stat format")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, err
	}
	return time.Duration(utime) * time.Second / userHZ, time.Duration(stime) * time.Second / userHZ, nil
}

// stop asks the process to shut down cleanly (hooktap flushes its store) and kills it after 15 s.
func (s *server) stop() error {
	if s == nil || s.cmd.Process == nil {
		return nil
	}
	select {
	case <-s.done:
		return s.exitErr
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return s.exitErr
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("%s did not stop within 15s after SIGTERM; killed", s.name)
	}
}
