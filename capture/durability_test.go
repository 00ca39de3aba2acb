package capture

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	cmd := exec.Command(os.Args[0], "-test.run=^TestSavedCapturesSurviveKill9$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
