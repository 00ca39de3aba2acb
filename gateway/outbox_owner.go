package gateway

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/internal/procalive"
)

// Owner names are "host/pid/token": a deliverer on the same host whose process is gone (kill -9,
// a crash) cannot finish what it leased, so the next start takes its entries back at once
// instead of waiting for the leases to run out.

func (d *deliverer) reclaimDeadOwners(ctx context.Context) {
	owners, err := d.box.OutboxOwners(ctx)
	if err != nil {
		return
	}
	host, _ := os.Hostname()
	for _, o := range owners {
		if o == d.owner || !ownerIsDeadLocal(o, host) {
			continue
		}
		if n, err := d.box.ReleaseOutboxOwner(ctx, o); err == nil && n > 0 {
			d.s.log.Info("outbox entries of a stopped process resumed", "owner", o, "entries", n)
		}
	}
}

// ownerIsDeadLocal reports whether owner names a process on this host that no longer runs.
func ownerIsDeadLocal(owner, host string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return false // another gateway in this very process: alive
	}
	return !procalive.Alive(pid)
}
