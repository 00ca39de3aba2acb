package subscription

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file entry without a secret would be an open route: it is skipped with an error line, and the
// file's other subscriptions still load.
func TestSecretlessSubscriptionIsSkipped(t *testing.T) {
	logs := make(logRecords, 8)
	f := Open(filepath.Join(t.TempDir(), "subscriptions.json"), WithLogger(slog.New(logs)))
	doc := `{"subscriptions":[{"name":"open","secret":""},{"name":"blank","secret":"  "},` +
		`{"name":"ok","secret":"s3cret"},{"name":"test","secret":"INSECURE_NO_AUTH"}]}`
	if err := os.WriteFile(f.Path(), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	subs, err := f.List()
	if err != nil || names(subs) != "ok,test" {
		t.Fatalf("List = %s, %v; want ok,test", names(subs), err)
	}
	for range 2 {
		select {
		case msg := <-logs:
			if !strings.Contains(msg, "skipped") {
				t.Fatalf("log line %q does not say the subscription was skipped", msg)
			}
		default:
			t.Fatal("a skipped subscription was not logged")
		}
	}
}

// `webhook subscribe` refuses a blank secret rather than storing an open route.
func TestAddRefusesBlankSecret(t *testing.T) {
	f := openTemp(t)
	if err := f.Add(Subscription{Name: "open", Secret: " \t"}); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Add with a blank secret: %v, want ErrNoSecret", err)
	}
}

// A file holding only a newline keeps the last good set instead of dropping every route.
func TestWatchKeepsLastGoodSetOnBlankFile(t *testing.T) {
	f := openTemp(t)
	mustAdd(t, f, Subscription{Name: "keep", Secret: "x"})
	changes, stop := startWatch(t, f)
	defer stop()
	if got := nextChange(t, changes, waitLimit); names(got) != "keep" {
		t.Fatalf("initial set = %s", names(got))
	}
	if err := os.WriteFile(f.Path(), []byte("\n  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustAddOverCorrupt(t, f)
	if got := nextChange(t, changes, waitLimit); names(got) != "fixed" {
		t.Fatalf("after a blank file and a rewrite: %s (an empty set must never be published)", names(got))
	}
}

func TestVerifyPinsTheRouteScheme(t *testing.T) {
	s := Subscription{Name: "gh", Secret: "x", Verify: "github"}
	if err := s.Validate(); err != nil || s.Route().Verify != "github" {
		t.Fatalf("Validate = %v, route verify %q", err, s.Route().Verify)
	}
	s.Verify = "discord"
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "--verify") {
		t.Fatalf("--verify discord (needs a public key) accepted: %v", err)
	}
}
