package capture

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Find is Get with the messages a user can act on: several matches list the candidates, none
// points at `hooktap captures list`. The CLI and the MCP tools answer with these.
func Find(ctx context.Context, r Reader, id string) (*Capture, error) {
	c, err := r.Get(ctx, id)
	var amb *AmbiguousError
	switch {
	case errors.As(err, &amb):
		return nil, fmt.Errorf("id %q fits several captures; type more of its start or end:\n  %s", id, strings.Join(amb.Candidates, "\n  "))
	case errors.Is(err, ErrNotFound):
		return nil, fmt.Errorf("no capture with id %q (see `hooktap captures list`)", id)
	}
	return c, err
}
