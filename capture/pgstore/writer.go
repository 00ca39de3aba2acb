package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hooktap/hooktap/internal/groupcommit"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hooktap/hooktap/capture"
)

// maxBatch bounds one transaction so a burst never holds row locks or a connection for long.
const maxBatch = 512

// commitTimeout bounds one commit, so a server that stopped answering fails the waiting Saves
// (the gateway answers 503) instead of holding them.
const commitTimeout = 30 * time.Second

// retentionNudgeRows wakes the pruner after this many inserts, so a flood is trimmed promptly.
const retentionNudgeRows = 1000

// writeOp is one queued write. queue adds its statements to the batch; their callbacks record
// what the op learns (an id, ErrNotFound) in err and the op's own fields.
type writeOp struct {
	queue   func(b *pgx.Batch)
	created *capture.Capture // a Save: published after commit
	updated string           // a capture whose change is announced to other instances
	err     error
	done    chan error
}

type writerStats struct {
	commits atomic.Uint64
	writes  atomic.Uint64
}

// WriteStats reports how many operations were committed in how many transactions.
func (s *Store) WriteStats() capture.WriteStats {
	return capture.WriteStats{Commits: s.stats.commits.Load(), Writes: s.stats.writes.Load()}
}

// enqueue hands op to the writer and waits until it is committed, ctx ends, or the store
// closes. When ctx ends after the op was queued the write may still be committed.
func (s *Store) enqueue(ctx context.Context, op *writeOp) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op.done = make(chan error, 1)
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return capture.ErrClosed
	}
	select {
	case s.queue <- op:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	select {
	case err := <-op.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeLoop is the group committer: it takes whatever is queued and commits it as one
// transaction (package groupcommit), so a busy store spends one round trip and one WAL flush on
// many captures.
func (s *Store) writeLoop() {
	defer close(s.done)
	groupcommit.Run(s.queue, s.closing, maxBatch, s.commit)
}

// commit sends the batch as one pipelined implicit transaction: one round trip, committed when
// the server answers. When the server refuses a statement, each op is retried in its own
// transaction so one bad write (a duplicate id) fails alone.
func (s *Store) commit(batch []*writeOp) {
	err := s.run(batch)
	if retryable(err) {
		err = s.run(batch)
	}
	if err != nil {
		var pgErr *pgconn.PgError
		if len(batch) == 1 || !errors.As(err, &pgErr) {
			// A lost connection or an unreachable server fails every op alike: retrying them one
			// by one would only wait for it again, once per op.
			err = fmt.Errorf("write capture store %s: %w", s.location, err)
			for _, op := range batch {
				op.done <- err
			}
			return
		}
		for _, op := range batch {
			s.commit([]*writeOp{op})
		}
		return
	}
	s.stats.commits.Add(1)
	s.stats.writes.Add(uint64(len(batch)))
	inserted := 0
	listening := s.subs.Any()
	for _, op := range batch {
		if op.err == nil && op.created != nil {
			inserted++
			if listening {
				s.subs.Publish(capture.Event{Kind: capture.Created, Capture: capture.CloneCapture(op.created)})
			}
		}
		op.done <- op.err
	}
	s.nudgeRetention(inserted)
}

func (s *Store) run(batch []*writeOp) error {
	b := &pgx.Batch{}
	var notes []string
	for _, op := range batch {
		op.err = nil
		op.queue(b)
		switch {
		case op.created != nil:
			notes = append(notes, s.notePayload(created, op.created.ID))
		case op.updated != "":
			notes = append(notes, s.notePayload(updated, op.updated))
		}
	}
	if len(notes) > 0 {
		// NOTIFY is transactional: other instances hear of these captures once they commit.
		b.Queue(`SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n`, s.channel, notes)
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	return s.pool.SendBatch(ctx, b).Close()
}

// retryable reports whether a batch surely did not commit and may run once more on a fresh
// connection: nothing reached the server, or the server ended the session (a restart, an
// administrator) before answering, which aborts its transaction. Pooled connections the server
// closed while idle fail this way.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	return pgconn.SafeToRetry(err) || errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "57P")
}
