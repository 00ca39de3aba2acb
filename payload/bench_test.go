package payload

import (
	"os"
	"testing"
)

func loadPush(b *testing.B) []byte {
	b.Helper()
	body, err := os.ReadFile("testdata/github_push.json")
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkParse(b *testing.B) {
	body := loadPush(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, ok := Parse("application/json", body); !ok {
			b.Fatal("parse failed")
		}
	}
}

func BenchmarkRender(b *testing.B) {
	body := loadPush(b)
	v, _ := Parse("application/json", body)
	tmpl := "New push to {repository.full_name} branch {ref}: {head_commit.message} by {{event.pusher.name}} ({commits.0.id})"
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = Render(tmpl, v, body)
	}
}

func BenchmarkRenderRaw(b *testing.B) {
	body := loadPush(b)
	v, _ := Parse("application/json", body)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = Render("{__raw__}", v, body)
	}
}

func TestPushFixture(t *testing.T) {
	body, err := os.ReadFile("testdata/github_push.json")
	if err != nil {
		t.Fatal(err)
	}
	v, ok := Parse("application/json", body)
	if !ok {
		t.Fatal("fixture does not parse")
	}
	got := Render("{repository.full_name} {ref} {commits.1.author.username}", v, body)
	if want := "octo-org/hello-world refs/heads/main mona"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}
