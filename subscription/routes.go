package subscription

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hooktap/hooktap/config"
)

// RoutesFile is another system's dynamic routes file (Hermes' webhook_subscriptions.json beside
// its config.yaml), read with that system's decoder and watched like the subscriptions file.
// hooktap only reads it: `hermes webhook subscribe` keeps writing it.
type RoutesFile struct {
	file   *File
	decode func(data []byte) ([]config.Route, error)
}

// OpenRoutes returns the routes file at path, read with decode; the file need not exist yet.
func OpenRoutes(path string, decode func(data []byte) ([]config.Route, error), opts ...Option) *RoutesFile {
	return &RoutesFile{file: Open(path, opts...), decode: decode}
}

// Path is the file's location.
func (r *RoutesFile) Path() string { return r.file.path }

// List reads the routes; a missing file is no routes.
func (r *RoutesFile) List() ([]config.Route, error) {
	data, err := os.ReadFile(r.file.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read routes %s: %w", r.file.path, err)
	}
	return r.decode(data)
}

// Watch calls onChange with the current routes, then after every change to the file, until ctx
// ends; a file that cannot be read or parsed is logged and the last good set is kept.
func (r *RoutesFile) Watch(ctx context.Context, onChange func([]config.Route)) error {
	return watchFile(ctx, r.file, r.List, onChange)
}
