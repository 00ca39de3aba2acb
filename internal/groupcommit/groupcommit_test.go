package groupcommit

import (
	"slices"
	"testing"
)

// Writes queued before closing are all committed, in order, in batches of at most maxBatch.
func TestRunCommitsEverythingQueuedInBoundedBatches(t *testing.T) {
	queue := make(chan int, 100)
	closing := make(chan struct{})
	for i := range 10 {
		queue <- i
	}
	close(closing)
	var got []int
	var sizes []int
	Run(queue, closing, 4, func(batch []int) {
		sizes = append(sizes, len(batch))
		got = append(got, batch...)
	})
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(got, want) {
		t.Fatalf("committed %v, want %v", got, want)
	}
	if !slices.Equal(sizes, []int{4, 4, 2}) {
		t.Fatalf("batch sizes %v, want [4 4 2]", sizes)
	}
}

// Gather takes only what is already queued: it never waits for more.
func TestGatherTakesWhatIsQueued(t *testing.T) {
	queue := make(chan string, 4)
	queue <- "b"
	if got := Gather(queue, "a", 8); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("Gather = %v", got)
	}
	if got := Gather(queue, "c", 8); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("Gather on an empty queue = %v", got)
	}
}
