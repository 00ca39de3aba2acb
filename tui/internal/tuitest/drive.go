package tuitest

import (
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"
)

// cmdWait is how long Run waits for one Cmd. Cmds that block longer (ticks, the live feed)
// are left behind: model tests drive those messages by hand.
const cmdWait = 500 * time.Millisecond

// Run executes cmd (and every Cmd in a batch) concurrently and returns the messages they
// produced within cmdWait.
func Run(cmd tea.Cmd) []tea.Msg { return runWithin(cmd, cmdWait) }

// patientWait bounds Cmds that do real network work (a burst of sends, each captured), which
// under the race detector on a busy machine can take seconds; they return as soon as they finish.
const patientWait = 30 * time.Second

func runWithin(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	out := make(chan []tea.Msg, 1)
	go func() { out <- runOne(cmd, wait) }()
	select {
	case msgs := <-out:
		return msgs
	case <-time.After(wait * 4):
		return nil
	}
}

func runOne(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(wait):
		return nil
	}
	if seq, ok := sequence(msg); ok {
		var msgs []tea.Msg
		for _, c := range seq {
			if c != nil {
				msgs = append(msgs, runOne(c, wait)...)
			}
		}
		return msgs
	}
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	}
	results := make(chan []tea.Msg, len(batch))
	for _, c := range batch {
		go func() {
			if c == nil {
				results <- nil
				return
			}
			results <- runOne(c, wait)
		}()
	}
	var msgs []tea.Msg
	for range batch {
		msgs = append(msgs, <-results...)
	}
	return msgs
}

// Settle feeds cmd's messages to update, and the messages of the Cmds that returns, until
// nothing is left (at most 50 rounds).
func Settle(update func(tea.Msg) tea.Cmd, cmd tea.Cmd) { settle(update, cmd, cmdWait) }

func settle(update func(tea.Msg) tea.Cmd, cmd tea.Cmd, wait time.Duration) {
	pending := []tea.Cmd{cmd}
	for round := 0; round < 50 && len(pending) > 0; round++ {
		var next []tea.Cmd
		for _, c := range pending {
			for _, msg := range runWithin(c, wait) {
				if c := update(msg); c != nil {
					next = append(next, c)
				}
			}
		}
		pending = next
	}
}

// Send delivers msgs to update one by one and settles each resulting Cmd.
func Send(update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) {
	for _, msg := range msgs {
		Settle(update, update(msg))
	}
}

// SendPatiently is Send for messages whose Cmds do real network work and must be waited for.
func SendPatiently(update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) {
	for _, msg := range msgs {
		settle(update, update(msg), patientWait)
	}
}

// sequence unpacks tea.Sequence's message, whose type is unexported: a slice of Cmds the
// program runs in order.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	if _, isBatch := msg.(tea.BatchMsg); isBatch || msg == nil {
		return nil, false
	}
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeOf(tea.Cmd(nil)) {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// HasClipboard reports whether msgs hold tea.SetClipboard's message (an unexported type).
func HasClipboard(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if t := reflect.TypeOf(m); t != nil && t.Name() == "setClipboardMsg" {
			return true
		}
	}
	return false
}
