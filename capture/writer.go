package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/hooktap/hooktap/internal/groupcommit"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// maxBatch bounds one transaction so a burst never holds the write lock for long.
const maxBatch = 1024

// retentionNudgeRows wakes the pruner after this many inserts, so a flood is trimmed promptly.
const retentionNudgeRows = 1000

// writeOp is one queued write; apply runs inside the batch transaction.
type writeOp struct {
	apply   func(ctx context.Context, tx *sql.Tx) error
	created *Capture // set for a Save, published after commit
	done    chan error
	// checkpoint asks the writer to checkpoint the WAL after this batch's commit (see checkpoint.go).
	checkpoint bool
	// solo, when set instead of apply, runs on the writer's connection outside any batch, after
	// the batch it was gathered with: a schema migration, which brings its own transaction.
	solo func(ctx context.Context, conn *sql.Conn) error
	// fileBody is a body kept out of the row (bodyfile.go); the writer appends it to a segment
	// and sets bodyRef before apply runs.
	fileBody []byte
	bodyRef  *bodyRef
}

// WriteStats counts the writer's work: Writes queued operations committed in Commits transactions.
type WriteStats struct {
	Commits uint64
	Writes  uint64
}

type writerStats struct {
	commits atomic.Uint64
	writes  atomic.Uint64
}

// WriteStats reports how many operations were committed in how many transactions (group commit).
func (s *SQLite) WriteStats() WriteStats {
	return WriteStats{Commits: s.stats.commits.Load(), Writes: s.stats.writes.Load()}
}

// enqueue hands op to the writer and waits until it is committed, ctx ends, or the store closes.
// When ctx ends after the op was queued the write may still be committed.
func (s *SQLite) enqueue(ctx context.Context, op *writeOp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op.done = make(chan error, 1)
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	select {
	case s.queue <- op:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	if op.solo == nil {
		s.yieldIndex()
	}
	select {
	case err := <-op.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeLoop is the single writer: it takes whatever is queued and commits it as one transaction
// (package groupcommit).
func (s *SQLite) writeLoop() {
	defer close(s.done)
	groupcommit.Run(s.queue, s.closing, maxBatch, s.commitBatch)
}

func (s *SQLite) commitBatch(batch []*writeOp) {
	batch, checkpoints, solos := splitOps(batch)
	defer s.runCheckpoints(checkpoints)
	defer s.runSolos(solos)
	if len(batch) == 0 {
		return
	}
	errs, err := s.runBatch(batch)
	if err != nil {
		err = fmt.Errorf("write capture store: %w", classify(err))
		for _, op := range batch {
			op.done <- err
		}
		return
	}
	s.stats.commits.Add(1)
	s.stats.writes.Add(uint64(len(batch)))
	inserted, bytes := 0, int64(0)
	listening := s.subs.Any()
	for i, op := range batch {
		if errs[i] == nil && op.created != nil {
			inserted++
			bytes += int64(len(op.created.Body) + len(op.created.ResponseBody))
			if listening {
				s.subs.Publish(Event{Kind: Created, Capture: cloneCapture(op.created)})
			}
		}
		op.done <- errs[i]
	}
	s.saved.Add(uint64(inserted))
	s.nudgeRetention(inserted, bytes)
}

// runBatch applies every op in one transaction. Each op is a single statement, so a constraint
// failure undoes only that op; any other failure aborts the whole batch.
func (s *SQLite) runBatch(batch []*writeOp) ([]error, error) {
	ctx := context.Background()
	tx, err := s.wconn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	// Bodies go to their segment first, under the transaction's write lock: a row is never
	// committed pointing at bytes not yet written, and no other writer appends meanwhile.
	if err := s.writeBodies(batch); err != nil {
		tx.Rollback()
		return nil, err
	}
	errs := make([]error, len(batch))
	for i, op := range batch {
		errs[i] = op.apply(ctx, tx)
		if errs[i] != nil && !isConstraint(errs[i]) && !errors.Is(errs[i], ErrNotFound) {
			tx.Rollback()
			return nil, errs[i]
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return errs, nil
}

func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

// splitOps separates checkpoint requests and solo operations from the writes of a batch.
func splitOps(batch []*writeOp) (writes, checkpoints, solos []*writeOp) {
	writes = batch[:0:0]
	for _, op := range batch {
		switch {
		case op.checkpoint:
			checkpoints = append(checkpoints, op)
		case op.solo != nil:
			solos = append(solos, op)
		default:
			writes = append(writes, op)
		}
	}
	return writes, checkpoints, solos
}

// runSolos runs each solo operation on the writer's connection and answers it.
func (s *SQLite) runSolos(ops []*writeOp) {
	for _, op := range ops {
		op.done <- op.solo(context.Background(), s.wconn)
	}
}

// writeBodies appends the batch's out-of-row bodies to the newest segment in one write and
// tells each op where its body went.
func (s *SQLite) writeBodies(batch []*writeOp) error {
	var ops []*writeOp
	var bodies [][]byte
	for _, op := range batch {
		if op.fileBody != nil {
			ops = append(ops, op)
			bodies = append(bodies, op.fileBody)
		}
	}
	if len(ops) == 0 {
		return nil
	}
	refs, err := s.bodies.write(bodies)
	if err != nil {
		return err
	}
	for i, op := range ops {
		op.bodyRef = &refs[i]
	}
	return nil
}
