package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// fillSliceRows is the number of rows whose insert cost is timed together.
const fillSliceRows = 10_000

// fillWriters is how many goroutines save at once, like a busy gateway: the store's single
// writer turns them into batched transactions (group commit).
const fillWriters = 64

// runFill inserts o.fill captures through the store API, timing each slice of 10 000 rows, then
// reports peak RSS, bytes per capture, and how hooktap serve behaves on the filled store.
func runFill(ctx context.Context, o options) error {
	dir, cleanup, err := workDir(o.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	path := filepath.Join(dir, "hooktap.db")
	st, err := capture.Open(path)
	if err != nil {
		return err
	}
	fctx, cancel := context.WithTimeout(ctx, o.fillMax)
	defer cancel()
	slices, inserted, fillErr := fillStore(fctx, st, o.fill)
	rss, rssErr := peakRSS(os.Getpid())
	if err := st.Close(); err != nil {
		return fmt.Errorf("close filled store: %w", err)
	}
	if fillErr != nil && fctx.Err() == nil {
		return fillErr
	}
	printFill(o, slices, inserted, rss, rssErr, storeSize(path))
	if inserted == 0 || ctx.Err() != nil {
		return errors.Join(fillErr, ctx.Err())
	}
	return serveFilled(ctx, o, dir, inserted)
}

// fillSlice is one timed slice: wall time and this process's CPU (every saver and the store's
// writer run in it) per row, and at a few depths the latency of the inspector's queries.
type fillSlice struct {
	wall, cpu time.Duration
	// user is the filling process's own CPU, sys the kernel's on its behalf (writing the files).
	user, sys time.Duration
	queries   *queryTimes
}

// fillStore saves n captures in slices and returns the cost per row of each slice.
func fillStore(ctx context.Context, st capture.Store, n int) ([]fillSlice, int, error) {
	var out []fillSlice
	done := 0
	pid := os.Getpid()
	for done < n {
		size := min(fillSliceRows, n-done)
		began := time.Now()
		user0, sys0, _ := cpuTimes(pid)
		if err := saveSlice(ctx, st, done, size); err != nil {
			return out, done, err
		}
		user1, sys1, _ := cpuTimes(pid)
		per := time.Duration(size)
		sl := fillSlice{wall: time.Since(began) / per, user: (user1 - user0) / per, sys: (sys1 - sys0) / per}
		sl.cpu = sl.user + sl.sys
		done += size
		if done == fillSliceRows || done == n || done == 1_000_000 {
			sl.queries = timeQueries(ctx, st)
		}
		out = append(out, sl)
		if len(out)%10 == 0 {
			fmt.Fprintf(os.Stderr, "filled %d / %d (%.1f µs/row wall, %.1f µs/row CPU in the last slice)\n", done, n,
				us(sl.wall), us(sl.cpu))
		}
	}
	return out, done, nil
}

// queryTimes is the median latency of what the inspector asks most: the newest page of 50, and
// one capture (with its body) by its whole id and by the short id every surface shows.
type queryTimes struct {
	newest, get, short time.Duration
	err                error
}

func timeQueries(ctx context.Context, st capture.Store) *queryTimes {
	const runs = 9
	var q queryTimes
	var newest, get, short []time.Duration
	page, err := st.List(ctx, capture.Filter{Limit: 1})
	if err != nil || len(page.Captures) == 0 {
		return &queryTimes{err: errors.Join(err, errors.New("no capture to look up"))}
	}
	id := page.Captures[0].ID
	for range runs {
		t0 := time.Now()
		if _, err := st.List(ctx, capture.Filter{Limit: 50}); err != nil {
			return &queryTimes{err: err}
		}
		t1 := time.Now()
		if _, err := st.Get(ctx, id); err != nil {
			return &queryTimes{err: err}
		}
		t2 := time.Now()
		if _, err := st.Get(ctx, capture.ShortID(id)); err != nil {
			return &queryTimes{err: err}
		}
		newest, get, short = append(newest, t1.Sub(t0)), append(get, t2.Sub(t1)), append(short, time.Since(t2))
	}
	q.newest, q.get, q.short = median(newest), median(get), median(short)
	return &q
}

// saveSlice saves size captures numbered from first, spread over fillWriters goroutines.
func saveSlice(ctx context.Context, st capture.Store, first, size int) error {
	var wg sync.WaitGroup
	errs := make([]error, fillWriters)
	for w := range fillWriters {
		wg.Go(func() {
			for i := w; i < size && errs[w] == nil; i += fillWriters {
				errs[w] = st.Save(ctx, fillCapture(first+i))
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fillHeaders are the headers a real GitHub push arrives with, as the gateway records them.
var fillHeaders = []capture.Header{
	{Name: "Host", Value: "a1b2-203-0-113-7.ngrok-free.app"}, {Name: "User-Agent", Value: "GitHub-Hookshot/a1b2c3d"},
	{Name: "Content-Length", Value: strconv.Itoa(len(pushPayload))}, {Name: "Accept", Value: "*/*"},
	{Name: "Content-Type", Value: "application/json"}, {Name: "X-Github-Event", Value: "push"},
	{Name: "X-Github-Hook-Id", Value: "123456789"}, {Name: "X-Github-Hook-Installation-Target-Id", Value: "1296269"},
	{Name: "X-Github-Hook-Installation-Target-Type", Value: "repository"},
	{Name: "X-Hub-Signature", Value: "sha1=" + fmt.Sprintf("%040x", 7)},
	{Name: "X-Hub-Signature-256", Value: "sha256=" + fmt.Sprintf("%064x", 7)},
	{Name: "Accept-Encoding", Value: "gzip"}, {Name: "X-Forwarded-For", Value: "140.82.115.1"},
	{Name: "X-Forwarded-Proto", Value: "https"},
}

// fillCapture is capture i: the push payload with its own delivery id, verified, answered 202.
func fillCapture(i int) *capture.Capture {
	id := fmt.Sprintf("72d3162e-cc78-11e3-81ab-%012d", i)
	hs := append(append([]capture.Header(nil), fillHeaders...), capture.Header{Name: "X-Github-Delivery", Value: id})
	return &capture.Capture{Source: capture.SourceTunnel, Peer: "140.82.115.1", Method: "POST",
		Path: "/webhooks/" + routeName, Route: routeName, Event: "push", DeliveryID: id, Headers: hs,
		ContentType: "application/json", Body: pushPayload, Status: 202, ResponseBody: []byte(`{"ok":true}`),
		Latency: 900 * time.Microsecond,
		Verification: signature.Outcome{Scheme: "github", Result: signature.Verified, Reason: signature.ReasonOK,
			Detail: "X-Hub-Signature-256 matches (HMAC-SHA256 over the raw body)", MatchedSecret: routeName}}
}

// headerBytes is the size of the recorded headers: names plus values.
func headerBytes(hs []capture.Header) int {
	n := 0
	for _, h := range hs {
		n += len(h.Name) + len(h.Value)
	}
	return n
}

// storeSize is the store's bytes on disk: the database, its WAL and the body segments beside it
// (docs/store.md).
func storeSize(path string) int64 {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	segs, _ := os.ReadDir(path + ".bodies")
	for _, e := range segs {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	return total
}
