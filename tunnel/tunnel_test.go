package tunnel

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
)

func TestNoneStatus(t *testing.T) {
	tun := NewNone()
	if ln, err := tun.Start(context.Background()); err != nil || ln != nil {
		t.Fatalf("Start = %v, %v; want no listener: nothing arrives from outside", ln, err)
	}
	st := tun.Status()
	if st.State != StateOff || st.Hint != HintLocalOnly || st.URL != "" || tun.URL() != "" {
		t.Fatalf("status = %+v, want off with the local-only hint", st)
	}
	select {
	case got := <-tun.Subscribe(t.Context()):
		if got.State != StateOff {
			t.Fatalf("first update = %+v", got)
		}
	default:
		t.Fatal("a new subscription holds no initial status")
	}
	if err := tun.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestNewPicksTunnel(t *testing.T) {
	tests := []struct {
		name      string
		cfg       config.Tunnel
		env       string
		wantState State
		wantHint  string
		wantErr   error
		anyErr    bool
	}{
		{name: "off with token", cfg: config.Tunnel{Mode: "off", Authtoken: "tok"}, wantState: StateOff, wantHint: HintLocalOnly},
		{name: "auto without token", cfg: config.Tunnel{Mode: "auto"}, wantState: StateOff, wantHint: HintLocalOnly},
		{name: "empty mode without token", cfg: config.Tunnel{}, wantState: StateOff, wantHint: HintLocalOnly},
		{name: "ngrok without token", cfg: config.Tunnel{Mode: "ngrok"}, wantErr: ErrNoToken},
		{name: "auto with config token", cfg: config.Tunnel{Mode: "auto", Authtoken: "tok"}, wantState: StateOff, wantHint: HintNotStarted},
		{name: "auto with env token", cfg: config.Tunnel{Mode: "auto"}, env: "tok", wantState: StateOff, wantHint: HintNotStarted},
		{name: "ngrok with env token", cfg: config.Tunnel{Mode: "NGROK"}, env: "tok", wantState: StateOff, wantHint: HintNotStarted},
		{name: "unknown mode", cfg: config.Tunnel{Mode: "cloudflare"}, anyErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAuthtoken, tc.env)
			tun, err := New(tc.cfg, nil)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			case tc.anyErr:
				if err == nil || !strings.Contains(err.Error(), "tunnel.mode") {
					t.Fatalf("err = %v, want a tunnel.mode error", err)
				}
				return
			case err != nil:
				t.Fatalf("New: %v", err)
			}
			defer tun.Close()
			if st := tun.Status(); st.State != tc.wantState || st.Hint != tc.wantHint {
				t.Fatalf("status = %+v, want %s / %q", st, tc.wantState, tc.wantHint)
			}
		})
	}
}

func TestErrNoTokenExplainsTheFix(t *testing.T) {
	for _, want := range []string{"https://dashboard.ngrok.com/get-started/your-authtoken", "NGROK_AUTHTOKEN", "tunnel.authtoken"} {
		if !strings.Contains(ErrNoToken.Error(), want) {
			t.Errorf("ErrNoToken = %q, missing %q", ErrNoToken, want)
		}
	}
}

func TestStatusBoxLatestWins(t *testing.T) {
	box := newStatusBox(Status{State: StateOff}, nil)
	updates := box.subscribe(t.Context())
	if first := <-updates; first.State != StateOff {
		t.Fatalf("first status = %+v, want the current one", first)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			box.set(Status{State: StateError, Err: strings.Repeat("x", i+1)})
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("set blocked without a reader")
	}
	got := <-updates
	if len(got.Err) != 100 {
		t.Fatalf("update = %q, want the latest", got.Err)
	}
	select {
	case extra := <-updates:
		t.Fatalf("more than one buffered update: %+v", extra)
	default:
	}
	box.set(got)
	select {
	case extra := <-updates:
		t.Fatalf("unchanged status published again: %+v", extra)
	default:
	}
}

// TestStatusBoxFansOut: the serve log and the TUI can follow one tunnel; each subscriber sees
// every change it has time for, and one that stops reading holds up nobody.
func TestStatusBoxFansOut(t *testing.T) {
	box := newStatusBox(Status{State: StateOff}, nil)
	a := box.subscribe(t.Context())
	idle := box.subscribe(t.Context())
	<-a
	box.set(Status{State: StateConnecting})
	box.set(Status{State: StateOnline, URL: "https://a1b2.ngrok.app"})
	if got := <-a; got.State != StateOnline {
		t.Fatalf("first subscriber got %+v, want online", got)
	}
	late := box.subscribe(t.Context())
	if got := <-late; got.URL != "https://a1b2.ngrok.app" {
		t.Fatalf("a late subscriber starts from %+v, want the current status", got)
	}
	if got := <-idle; got.State != StateOnline {
		t.Fatalf("the subscriber that did not read got %+v, want the latest", got)
	}
}

// TestStatusBoxSubscriptionEndsWithContext: a subscription's channel closes when its context
// ends, and later changes go only to the others.
func TestStatusBoxSubscriptionEndsWithContext(t *testing.T) {
	box := newStatusBox(Status{State: StateOff}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	gone := box.subscribe(ctx)
	stays := box.subscribe(t.Context())
	<-gone
	<-stays
	cancel()
	select {
	case _, open := <-gone:
		if open {
			t.Fatal("a status arrived after the context ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the channel was not closed when its context ended")
	}
	box.set(Status{State: StateConnecting})
	if got := <-stays; got.State != StateConnecting {
		t.Fatalf("remaining subscriber got %+v", got)
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	if len(box.subs) != 1 {
		t.Fatalf("%d subscribers remain, want 1", len(box.subs))
	}
}
