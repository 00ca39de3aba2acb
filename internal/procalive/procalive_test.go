package procalive

import (
	"os"
	"os/exec"
	"testing"
)

func TestAlive(t *testing.T) {
	if !Alive(os.Getpid()) {
		t.Fatal("this process is not alive")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if Alive(cmd.Process.Pid) {
		t.Fatalf("process %d exited and was reaped, yet alive", cmd.Process.Pid)
	}
	if Alive(0) || Alive(-1) {
		t.Fatal("no process has a pid below 1")
	}
}
