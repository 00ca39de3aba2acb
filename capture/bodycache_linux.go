package capture

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCached tells the kernel it may drop the cached pages of f, once they are on the disk. Bodies are written once and rarely read again (a new capture reaches the inspector
// from memory), and a page cache holding gigabytes of them made each later write cost the kernel
// three times as much here (BENCHMARKS.md). Advice only: an error changes nothing.
func dropCached(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED) // length 0: to the end of the file
}
