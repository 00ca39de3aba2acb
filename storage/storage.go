// Package storage opens the capture store a URL names: SQLite (sqlite:PATH or a plain path, the
// embedded default) or PostgreSQL (postgres://…, shared by several instances in team mode).
// Everything that works with captures (serve, the CLI, the MCP tools) opens its store here, so
// one URL means the same store on every surface.
package storage

import (
	"context"
	"fmt"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/capture/pgstore"
	"github.com/hooktap/hooktap/config"
)

// Open opens the store at url, creating it when missing: SQLite creates the file and its
// directory, PostgreSQL creates its tables (the database must exist).
func Open(ctx context.Context, url string, opts ...capture.Option) (capture.Store, error) {
	return open(ctx, url, false, opts)
}

// OpenExisting opens the store at url like Open, but a SQLite file that does not exist yet is
// capture.ErrNoStore instead of being created. A PostgreSQL store is a server that exists once
// it answers; its tables are created on first use like Open.
func OpenExisting(ctx context.Context, url string, opts ...capture.Option) (capture.Store, error) {
	return open(ctx, url, true, opts)
}

func open(ctx context.Context, url string, existing bool, opts []capture.Option) (capture.Store, error) {
	kind, target, err := config.ParseStore(url)
	if err != nil {
		return nil, fmt.Errorf("capture store: %w", err)
	}
	if kind == config.StorePostgres {
		s, err := pgstore.Open(ctx, target, opts...)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	var s *capture.SQLite
	if existing {
		s, err = capture.OpenExisting(target, opts...)
	} else {
		s, err = capture.Open(target, opts...)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}
