package capture

import "time"

// processIDs is shared by every caller in the process that needs an id before saving, so ids
// stay strictly increasing across them.
var processIDs idGenerator

// NewID returns a new capture id (a lowercase ULID) for a capture received at t. The gateway uses
// it to name a capture in its answer before the capture is saved.
func NewID(t time.Time) string { return processIDs.next(t) }
