package common

import (
	"reflect"

	tea "charm.land/bubbletea/v2"
)

// RoutedMsg is the answer to a Cmd a page started, addressed to that page: the root delivers
// it there, whichever page is on show, and to no other. Status lines and overlays it carries
// belong to that page.
type RoutedMsg struct {
	Page PageID
	Msg  tea.Msg
}

// teaPackage is where the runtime's own messages (quit, clipboard, batches) come from; they
// must reach the runtime unwrapped.
var teaPackage = reflect.TypeOf(tea.BatchMsg(nil)).PkgPath()

// Address makes cmd's messages RoutedMsgs for page, through batches and sequences. The
// runtime's own messages pass as they are.
func Address(page PageID, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return address(page, cmd()) }
}

func address(page PageID, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case nil:
		return nil
	case RoutedMsg:
		return m
	case tea.BatchMsg:
		out := make(tea.BatchMsg, len(m))
		for i, c := range m {
			out[i] = Address(page, c)
		}
		return out
	}
	v := reflect.ValueOf(msg)
	if v.Type().PkgPath() != teaPackage {
		return RoutedMsg{Page: page, Msg: msg}
	}
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		// tea.Sequence's message (an unexported []Cmd): address each step, keep the type.
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c, _ := v.Index(i).Interface().(tea.Cmd)
			out.Index(i).Set(reflect.ValueOf(Address(page, c)))
		}
		return out.Interface()
	}
	return msg
}
