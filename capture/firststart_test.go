package capture

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A first start creates every table while retention makes its first pass: notify migrates its
// tables right after the capture store opens. The retention delete fires the captures'
// triggers; prepared on a connection whose schema another connection had just changed, it
// failed with "no such table: captures" in about a third of the rounds.
func TestPruneWhileAnotherComponentMigrates(t *testing.T) {
	for round := range 40 {
		s, err := Open(filepath.Join(t.TempDir(), "hooktap.db"))
		if err != nil {
			t.Fatal(err)
		}
		pruned := make(chan error, 1)
		go func() {
			_, err := s.Prune(context.Background(), time.Hour, 0)
			pruned <- err
		}()
		step := `CREATE TABLE other_a(x); CREATE TABLE other_b(y); CREATE INDEX other_a_x ON other_a(x)`
		if err := s.Migrate("other", []string{step}); err != nil {
			t.Fatalf("round %d: migrate: %v", round, err)
		}
		if err := <-pruned; err != nil {
			t.Fatalf("round %d: prune during a migration: %v", round, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
