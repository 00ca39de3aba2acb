package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// BenchmarkGetCapture1MiB measures get_capture of a 1 MB compact JSON body through the SDK's
// client and server (in memory, schema validation and the secret filter included) against the
// baseline a CLI pays: reading the capture and encoding its masked JSON form.
func BenchmarkGetCapture1MiB(b *testing.B) {
	g := startGateway(b)
	body := []byte(`{"blob":"` + strings.Repeat("y", 1_000_000-11) + `"}`)
	h := http.Header{"Content-Type": {"application/json"}, "X-Api-Token": {tokenSecret}}
	if st := g.post("/webhooks/tok", body, h); st != http.StatusAccepted {
		b.Fatalf("post: %d", st)
	}
	page, err := g.app.Store.List(context.Background(), capture.Filter{Route: "tok"})
	if err != nil || len(page.Captures) != 1 {
		b.Fatalf("list: %v %d", err, len(page.Captures))
	}
	id := page.Captures[0].ID
	cs := connect(b, g.deps())
	b.Run("mcp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res := call(b, cs, "get_capture", map[string]any{"id": id, "max_body_bytes": 4 << 20})
			if res.IsError {
				b.Fatal(text(res))
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		opts := capture.JSONOptions{SecretHeaders: config.CredentialHeaders(g.cfg.Gateway.Routes), WithBody: true}
		for b.Loop() {
			c, err := g.app.Store.Get(context.Background(), id)
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if err := json.NewEncoder(&buf).Encode(c.JSON(opts)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
