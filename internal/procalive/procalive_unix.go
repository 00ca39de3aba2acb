//go:build unix

package procalive

import (
	"errors"
	"syscall"
)

// Alive reports whether process pid runs. Signal 0 only checks that it exists; EPERM means it
// runs under another user.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
