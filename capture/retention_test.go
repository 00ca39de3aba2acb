package capture

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPruneByCount(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ids := seed(t, s, 1200, time.Now(), func(i int, c *Capture) {
		c.Deliveries = []Delivery{{Target: "forward"}}
	})
	all, err := s.List(ctx, Filter{Limit: 5000}) // more ids than one deliveries query takes
	if err != nil || len(all.Captures) != 1200 {
		t.Fatalf("List = %d, %v", len(all.Captures), err)
	}
	for _, c := range all.Captures {
		if len(c.Deliveries) != 1 {
			t.Fatalf("capture %s has %d deliveries, want 1", c.ID, len(c.Deliveries))
		}
	}
	n, err := s.Prune(ctx, 0, 100)
	if err != nil || n != 1100 {
		t.Fatalf("Prune = %d, %v; want 1100 deleted over several chunks", n, err)
	}
	page, _ := s.List(ctx, Filter{Limit: 1000})
	if len(page.Captures) != 100 || page.Captures[99].ID != ids[1100] {
		t.Fatalf("kept %d captures, oldest %s", len(page.Captures), page.Captures[len(page.Captures)-1].ID)
	}
	var orphans int
	s.DB().QueryRow(`SELECT COUNT(*) FROM deliveries`).Scan(&orphans)
	if orphans != 100 {
		t.Fatalf("%d delivery rows left, want 100 (deleted with their captures)", orphans)
	}
	if n, err := s.Prune(ctx, 0, 100); n != 0 || err != nil {
		t.Fatalf("second Prune = %d, %v", n, err)
	}
}

func TestPruneByAge(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	s := openTest(t, WithClock(clock.now))
	ctx := context.Background()
	seed(t, s, 10, clock.t.Add(-10*time.Hour), nil) // 10 h .. 9 h ago
	recent := seed(t, s, 5, clock.t.Add(-time.Hour), nil)
	n, err := s.Prune(ctx, 2*time.Hour, 0)
	if err != nil || n != 10 {
		t.Fatalf("Prune = %d, %v; want 10", n, err)
	}
	page, _ := s.List(ctx, Filter{})
	var left []string
	for _, c := range page.Captures {
		left = append(left, c.ID)
	}
	slices.Reverse(left)
	if !slices.Equal(left, recent) {
		t.Fatalf("left %v, want %v", left, recent)
	}
}

func TestBackgroundRetention(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	s := openTest(t, WithClock(clock.now), WithRetention(retentionNudgeRows/2, 24*time.Hour))
	<-s.retentionDone // the pass at open
	seed(t, s, 3, clock.t.Add(-48*time.Hour), nil)
	seed(t, s, retentionNudgeRows-3, clock.t, nil) // the 1000th insert wakes the pruner
	deadline := time.After(10 * time.Second)
	for {
		if n, _ := s.Count(context.Background(), Filter{}); n == retentionNudgeRows/2 {
			return
		}
		select {
		case <-s.retentionDone:
		case <-deadline:
			n, _ := s.Count(context.Background(), Filter{})
			t.Fatalf("background retention left %d captures, want %d", n, retentionNudgeRows/2)
		}
	}
}

func TestClear(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	seed(t, s, 700, time.Now(), nil)
	if n, err := s.Clear(ctx); n != 700 || err != nil {
		t.Fatalf("Clear = %d, %v", n, err)
	}
	if n, err := s.Clear(ctx); n != 0 || err != nil {
		t.Fatalf("Clear(empty) = %d, %v", n, err)
	}
}

// TestAgePruneUsesTheReceivedIndex guards the retention query: with nothing old to delete it
// must be an index probe, never a walk of every row while the writer waits.
func TestAgePruneUsesTheReceivedIndex(t *testing.T) {
	s := analyzedStore(t)
	text := queryPlan(t, s, `SELECT id FROM captures WHERE received_at < ? ORDER BY received_at LIMIT ?`, 1, pruneChunk)
	if !strings.Contains(text, "captures_received") || strings.Contains(text, "TEMP B-TREE") {
		t.Fatalf("age prune plan %q does not use captures_received", text)
	}
}

// TestCountPruneProbesTheRowidSpan guards the count rule's first question, asked every 1 000
// inserts: the oldest and newest rowid must be two probes, never a scan of the table (MIN and
// MAX in one SELECT scan it).
func TestCountPruneProbesTheRowidSpan(t *testing.T) {
	s := analyzedStore(t)
	if text := queryPlan(t, s, rowidSpanQuery); strings.Contains(text, "SCAN captures") || !strings.Contains(text, "SEARCH captures") {
		t.Fatalf("rowid span plan %q scans captures", text)
	}
}
