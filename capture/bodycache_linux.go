package capture

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCached tells the kernel it may drop the cached pages of f up to size, once they are on
// the disk. Bodies are written once and rarely read again (a new capture reaches the inspector
// from memory), and a page cache holding gigabytes of them made each later write cost the kernel
// three times as much here (BENCHMARKS.md). Advice only: an error changes nothing.
func dropCached(f *os.File, size int64) {
	_ = unix.Fadvise(int(f.Fd()), 0, size, unix.FADV_DONTNEED)
}
