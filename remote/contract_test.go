package remote

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/capture/storetest"
	"github.com/hooktap/hooktap/config"
)

// throughAdmin is a store whose writes go to a real SQLite file and whose reads (Reader and
// OutboxAdmin) go through a real admin API in front of it: the contract suite then checks that
// what a remote reader sees agrees with what the store holds.
type throughAdmin struct {
	*capture.SQLite
	remote *Client
}

func (s throughAdmin) Get(ctx context.Context, id string) (*capture.Capture, error) {
	return s.remote.Get(ctx, id)
}
func (s throughAdmin) List(ctx context.Context, f capture.Filter) (capture.Page, error) {
	return s.remote.List(ctx, f)
}
func (s throughAdmin) Count(ctx context.Context, f capture.Filter) (int, error) {
	return s.remote.Count(ctx, f)
}
func (s throughAdmin) Subscribe(buffer int) *capture.Subscription { return s.remote.Subscribe(buffer) }
func (s throughAdmin) RoutePins(ctx context.Context) (map[string]capture.RoutePin, error) {
	return s.remote.RoutePins(ctx)
}
func (s throughAdmin) OutboxFor(ctx context.Context, id string) ([]capture.OutboxEntry, error) {
	return s.remote.OutboxFor(ctx, id)
}
func (s throughAdmin) ListOutbox(ctx context.Context, f capture.OutboxFilter) ([]capture.OutboxEntry, error) {
	return s.remote.ListOutbox(ctx, f)
}
func (s throughAdmin) RetryOutbox(ctx context.Context, ids ...int64) (int64, error) {
	return s.remote.RetryOutbox(ctx, ids...)
}
func (s throughAdmin) PurgeOutbox(ctx context.Context, ids ...int64) (int64, error) {
	return s.remote.PurgeOutbox(ctx, ids...)
}
func (s throughAdmin) Close() error {
	s.remote.Close()
	return s.SQLite.Close()
}

func TestContractThroughTheAdminAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T) capture.Store {
		st, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
		if err != nil {
			t.Fatal(err)
		}
		cfg := config.Default()
		hs := httptest.NewServer(admin.New(admin.Deps{Config: &cfg, Store: st}).Handler())
		c, err := New(hs.URL, Options{Reveal: true})
		if err != nil {
			t.Fatal(err)
		}
		s := throughAdmin{SQLite: st, remote: c}
		t.Cleanup(func() {
			hs.CloseClientConnections()
			hs.Close()
			s.Close()
		})
		return s
	})
}
