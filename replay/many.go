package replay

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/hooktap/hooktap/capture"
)

// Result is the outcome of one replay in a batch.
type Result struct {
	// Index is the position of ID in the batch.
	Index   int
	ID      string
	Capture *capture.Capture
	Err     error
}

// ReplayMany replays ids in order, at most concurrency at a time and at most perSecond per
// second (0 = unlimited). progress, when set, is called once per replay, never concurrently.
// The results come back in the order of ids.
func (r *Replayer) ReplayMany(ctx context.Context, ids []string, o ReplayOptions, concurrency int, perSecond float64, progress func(Result)) []Result {
	return Many(ctx, r.Replay, ids, o, concurrency, perSecond, progress)
}

// ReplayFunc replays one capture: a local Replayer's Replay, or a remote hooktap's.
type ReplayFunc func(ctx context.Context, id string, o ReplayOptions) (*capture.Capture, error)

// Many is ReplayMany with any ReplayFunc doing each replay.
func Many(ctx context.Context, replay ReplayFunc, ids []string, o ReplayOptions, concurrency int, perSecond float64, progress func(Result)) []Result {
	if concurrency < 1 {
		concurrency = 1
	}
	var limiter *rate.Limiter
	if perSecond > 0 {
		limiter = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	results := make([]Result, len(ids))
	var mu sync.Mutex
	g := new(errgroup.Group)
	g.SetLimit(concurrency)
	for i, id := range ids {
		if limiter != nil {
			if err := limiter.Wait(ctx); err != nil {
				mu.Lock()
				results[i] = Result{Index: i, ID: id, Err: err}
				if progress != nil {
					progress(results[i])
				}
				mu.Unlock()
				continue
			}
		}
		g.Go(func() error {
			c, err := replay(ctx, id, o)
			res := Result{Index: i, ID: id, Capture: c, Err: err}
			mu.Lock()
			defer mu.Unlock()
			results[i] = res
			if progress != nil {
				progress(res)
			}
			return nil
		})
	}
	_ = g.Wait() // workers report through results, never through the group
	return results
}
