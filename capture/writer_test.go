package capture

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestGroupCommitBatchesConcurrentSaves(t *testing.T) {
	s := openTest(t)
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.Save(context.Background(), &Capture{Method: "POST", Path: "/", Body: make([]byte, 1024+i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := s.WriteStats()
	if st.Writes != n || st.Commits >= n/2 {
		t.Fatalf("stats %+v: %d concurrent saves should share far fewer transactions", st, n)
	}
	if c, _ := s.Count(context.Background(), Filter{}); c != n {
		t.Fatalf("Count = %d, want %d", c, n)
	}
	t.Logf("%d saves in %d transactions", st.Writes, st.Commits)
}

func TestIdleSaveCommitsAlone(t *testing.T) {
	s := openTest(t)
	seed(t, s, 3, time.Now(), nil)
	if st := s.WriteStats(); st.Commits != 3 || st.Writes != 3 {
		t.Fatalf("sequential saves: %+v, want one transaction each", st)
	}
}

func TestSubscribeOrderAndUpdates(t *testing.T) {
	s := openTest(t)
	sub := s.Subscribe(100)
	defer sub.Close()
	ctx := context.Background()
	ids := seed(t, s, 20, time.Now(), nil)
	for i, id := range ids {
		ev := <-sub.C()
		if ev.Kind != Created || ev.Capture.ID != id {
			t.Fatalf("event %d = %v %s, want created %s", i, ev.Kind, ev.Capture.ID, id)
		}
	}
	if err := s.AddDelivery(ctx, ids[3], Delivery{Target: "forward", Status: 202, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResult(ctx, ids[3], 503, []byte("busy")); err != nil {
		t.Fatal(err)
	}
	ev := <-sub.C()
	if ev.Kind != Updated || len(ev.Capture.Deliveries) != 1 {
		t.Fatalf("after AddDelivery: %v %+v", ev.Kind, ev.Capture)
	}
	ev = <-sub.C()
	if ev.Kind != Updated || ev.Capture.Status != 503 || string(ev.Capture.ResponseBody) != "busy" {
		t.Fatalf("after SetResult: %v %+v", ev.Kind, ev.Capture)
	}
	got, _ := s.Get(ctx, ids[3])
	if len(got.Body) == 0 || got.Deliveries[0].Target != "forward" {
		t.Fatalf("AddDelivery must keep the body: %+v", got)
	}
}

func TestSlowSubscriberDoesNotBlockWriter(t *testing.T) {
	s := openTest(t)
	slow := s.Subscribe(2) // never read
	fast := s.Subscribe(100)
	seed(t, s, 50, time.Now(), nil) // would deadlock if publish blocked on slow
	if slow.Dropped() != 48 {
		t.Fatalf("slow subscriber dropped %d, want 48", slow.Dropped())
	}
	if len(fast.C()) != 50 || fast.Dropped() != 0 {
		t.Fatalf("fast subscriber has %d events, dropped %d", len(fast.C()), fast.Dropped())
	}
	slow.Close()
	slow.Close()
	buffered := 0
	for range slow.C() { // ends only if Close closed the channel
		buffered++
	}
	if buffered != 2 {
		t.Fatalf("slow subscriber kept %d events, want its buffer of 2", buffered)
	}
}

func TestSubscribersGetCopies(t *testing.T) {
	s := openTest(t)
	sub := s.Subscribe(1)
	c := &Capture{Body: []byte("abc"), Headers: []Header{{"A", "1"}}}
	if err := s.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	c.Body[0], c.Headers[0].Value = 'X', "changed"
	ev := <-sub.C()
	if string(ev.Capture.Body) != "abc" || ev.Capture.Headers[0].Value != "1" {
		t.Fatal("subscriber saw the caller's later changes")
	}
}

func TestWritesToMissingCaptureAndDuplicates(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.AddDelivery(ctx, "01nope", Delivery{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddDelivery(missing) = %v", err)
	}
	if err := s.SetResult(ctx, "01nope", 200, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetResult(missing) = %v", err)
	}
	c := &Capture{}
	if err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &Capture{ID: c.ID}); err == nil {
		t.Error("saving a duplicate id must fail")
	}
	if err := s.Save(ctx, nil); err == nil {
		t.Error("saving nil must fail")
	}
	if err := s.Save(ctx, &Capture{}); err != nil {
		t.Errorf("a failed op must not poison the store: %v", err)
	}
}

func TestSaveHonoursCancelledContext(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Save(ctx, &Capture{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Save(cancelled) = %v", err)
	}
	if n, _ := s.Count(context.Background(), Filter{}); n != 0 {
		t.Fatalf("a Save refused before queueing stored %d rows", n)
	}
}
