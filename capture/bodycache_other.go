//go:build !linux

package capture

import "os"

// dropCached is advice the kernel takes on Linux only (bodycache_linux.go).
func dropCached(*os.File) {}
