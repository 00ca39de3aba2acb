package payload

import (
	"os"
	"testing"
)

func loadPush(tb testing.TB) []byte {
	tb.Helper()
	body, err := os.ReadFile("testdata/github_push.json")
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// BenchmarkPushRef is the gateway's cost for the common route template: open (validate) the
// 7.6 KB GitHub push and render "push to {ref}".
func BenchmarkPushRef(b *testing.B) {
	benchPushRef(b, func(body []byte) string {
		d := Open("application/json", body)
		return d.Render("push to {ref}")
	})
}

// BenchmarkPushRefTree is the same through the tree decoder Doc replaced, for the ratio.
func BenchmarkPushRefTree(b *testing.B) {
	benchPushRef(b, func(body []byte) string {
		v, _ := refParse("application/json", body)
		return refRender("push to {ref}", v, body)
	})
}

func benchPushRef(b *testing.B, render func(body []byte) string) {
	body := loadPush(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if render(body) != "push to refs/heads/main" {
			b.Fatal("wrong render")
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	body := loadPush(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Open("application/json", body); !d.Parsed() {
			b.Fatal("parse failed")
		}
	}
}

func BenchmarkRender(b *testing.B) {
	body := loadPush(b)
	d := Open("application/json", body)
	tmpl := "New push to {repository.full_name} branch {ref}: {head_commit.message} by {{event.pusher.name}} ({commits.0.id})"
	b.ReportAllocs()
	for b.Loop() {
		_ = d.Render(tmpl)
	}
}

func BenchmarkRenderRaw(b *testing.B) {
	body := loadPush(b)
	d := Open("application/json", body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = d.Render("{__raw__}")
	}
}

func TestPushFixture(t *testing.T) {
	body := loadPush(t)
	d := Open("application/json", body)
	if !d.Parsed() {
		t.Fatal("fixture does not parse")
	}
	got := d.Render("{repository.full_name} {ref} {commits.1.author.username}")
	if want := "octo-org/hello-world refs/heads/main mona"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}

// TestPushRefAllocations holds the template's cost on the push to a handful of allocations, so
// a change that decodes the whole body again fails here rather than in a load run.
func TestPushRefAllocations(t *testing.T) {
	body := loadPush(t)
	allocs := testing.AllocsPerRun(100, func() {
		d := Open("application/json", body)
		_ = d.Render("push to {ref}")
	})
	if allocs > 5 {
		t.Errorf("Open+Render on the push: %.0f allocations, want ≤ 5", allocs)
	}
}
