package capture

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const childEnv = "HOOKTAP_CAPTURE_KILL_CHILD"

// TestSavedCapturesSurviveKill9 backs the synchronous=NORMAL choice: once Save returns, the row
// survives the process being killed without any chance to flush or close.
func TestSavedCapturesSurviveKill9(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		runKillChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "hooktap.db")
	cmd, stdout := startChild(t, "TestSavedCapturesSurviveKill9", childEnv+"="+path)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "saved ") {
		cmd.Process.Kill()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on unix
		t.Fatal(err)
	}
	cmd.Wait()
	s, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range strings.Fields(strings.TrimPrefix(line, "saved ")) {
		if _, err := s.Get(context.Background(), id); err != nil {
			t.Errorf("capture %s lost after kill -9: %v", id, err)
		}
	}
}

// runKillChild saves a few captures, reports their ids and then waits to be killed.
func runKillChild(path string) {
	s, err := Open(path)
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(2)
	}
	var ids []string
	for range 5 {
		c := &Capture{Method: "POST", Body: []byte("payload")}
		if err := s.Save(context.Background(), c); err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(2)
		}
		ids = append(ids, c.ID)
	}
	os.Stdout.WriteString("saved " + strings.Join(ids, " ") + "\n")
	time.Sleep(time.Hour) // the parent kills us long before this ends
}

const loadChildEnv = "HOOKTAP_CAPTURE_KILL_LOAD_CHILD"

// TestBodiesSurviveKill9MidLoad kills a process while 16 goroutines save captures whose bodies
// go to segment files: every capture whose Save returned reads back with its exact body, and
// the store takes new captures after the crash (appending after whatever the kill left).
func TestBodiesSurviveKill9MidLoad(t *testing.T) {
	if path := os.Getenv(loadChildEnv); path != "" {
		runLoadChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "hooktap.db")
	cmd, stdout := startChild(t, "TestBodiesSurviveKill9MidLoad", loadChildEnv+"="+path)
	acked := map[string]uint64{}
	lines := bufio.NewScanner(stdout)
	for len(acked) < 1500 && lines.Scan() {
		var id string
		var seed uint64
		if _, err := fmt.Sscan(lines.Text(), &id, &seed); err != nil {
			cmd.Process.Kill()
			t.Fatalf("child said %q", lines.Text())
		}
		acked[id] = seed
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL, mid-load
		t.Fatal(err)
	}
	cmd.Wait()
	if len(acked) < 1500 {
		t.Fatalf("only %d saves acknowledged before the child stopped", len(acked))
	}
	s, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for id, seed := range acked {
		c, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("capture %s lost after kill -9: %v", id, err)
		}
		if !bytes.Equal(c.Body, loadBody(seed)) {
			t.Fatalf("capture %s: body of %d bytes differs after kill -9", id, len(c.Body))
		}
	}
	after := benchCapture()
	if err := s.Save(ctx, after); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Get(ctx, after.ID); err != nil || !bytes.Equal(c.Body, after.Body) {
		t.Fatalf("capture saved after the crash: %v", err)
	}
}

func loadBody(seed uint64) []byte { return randomBody(seed, 1500+int(seed%20_000)) }

// runLoadChild saves from 16 goroutines until killed, printing "id seed" once each Save returns.
func runLoadChild(path string) {
	s, err := Open(path)
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(2)
	}
	var mu sync.Mutex
	var seq atomic.Uint64
	for range 16 {
		go func() {
			for {
				seed := seq.Add(1)
				c := &Capture{Method: "POST", Body: loadBody(seed)}
				if err := s.Save(context.Background(), c); err != nil {
					os.Stdout.WriteString("error " + err.Error() + "\n")
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "%s %d\n", c.ID, seed)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Hour)
}

// startChild runs this test binary again as a child running only test name, with env added,
// and returns it with its standard output.
func startChild(t *testing.T, name, env string) (*exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$")
	cmd.Env = append(os.Environ(), env)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout
}
