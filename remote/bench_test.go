package remote

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// benchEnv is a store with n captures behind an admin API, and a client of it.
func benchEnv(b *testing.B, n int) (*capture.SQLite, *Client) {
	b.Helper()
	st, err := capture.Open(filepath.Join(b.TempDir(), "hooktap.db"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		c := sample("github-pr", "push", signature.Verified, 202, fmt.Sprintf(`{"n":%d,"pad":"%0200d"}`, i, i))
		if err := st.Save(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
	cfg := config.Default()
	hs := httptest.NewServer(admin.New(admin.Deps{Config: &cfg, Store: st}).Handler())
	c, err := New(hs.URL, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); hs.CloseClientConnections(); hs.Close(); st.Close() })
	return st, c
}

// BenchmarkCommitToEvent is the time from a Save returning on the server to its event reaching a
// remote subscriber (one capture at a time): how "live" the attached list is.
func BenchmarkCommitToEvent(b *testing.B) {
	st, c := benchEnv(b, 0)
	sub := c.Subscribe(1024)
	defer sub.Close()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		cp := sample("github-pr", "push", signature.Verified, 202, `{"live":true}`)
		if err := st.Save(ctx, cp); err != nil {
			b.Fatal(err)
		}
		for ev := range sub.C() {
			if ev.Capture.ID == cp.ID {
				break
			}
		}
	}
}

// BenchmarkListPage reads the inspector's first page (100 captures, no bodies) from the local
// store and through the admin API.
func BenchmarkListPage(b *testing.B) {
	st, c := benchEnv(b, 1000)
	ctx := context.Background()
	for _, r := range []struct {
		name string
		rd   capture.Reader
	}{{"local", st}, {"remote", c}} {
		b.Run(r.name, func(b *testing.B) {
			for range b.N {
				page, err := r.rd.List(ctx, capture.Filter{Limit: 100})
				if err != nil || len(page.Captures) != 100 {
					b.Fatalf("%d captures, %v", len(page.Captures), err)
				}
			}
		})
	}
}
