// Package groupcommit is the loop of a group committer: one goroutine takes the first queued
// write and everything queued behind it and commits them together, so an idle store commits a
// single write at once and a busy one spends one commit on many. Both capture stores run it.
package groupcommit

import "runtime"

// Run commits batches taken from queue until closing is closed; then it commits everything still
// queued and returns. The owner must stop sending on queue before closing closing, so the final
// drain sees every accepted write.
func Run[T any](queue <-chan T, closing <-chan struct{}, maxBatch int, commit func([]T)) {
	for {
		select {
		case op := <-queue:
			commit(Gather(queue, op, maxBatch))
		case <-closing:
			for {
				select {
				case op := <-queue:
					commit(Gather(queue, op, maxBatch))
				default:
					return
				}
			}
		}
	}
}

// Gather returns first and up to maxBatch-1 writes queued behind it. It yields once first: a
// handler that queues a write wakes the committer straight into the scheduler's next slot, so on
// a busy core it would otherwise commit that one write while every other handler is still
// runnable and about to queue its own. The yield (not a sleep) lets them join this commit; an
// idle store pays a scheduler round trip of well under a microsecond.
func Gather[T any](queue <-chan T, first T, maxBatch int) []T {
	runtime.Gosched()
	batch := []T{first}
	for len(batch) < maxBatch {
		select {
		case op := <-queue:
			batch = append(batch, op)
		default:
			return batch
		}
	}
	return batch
}
