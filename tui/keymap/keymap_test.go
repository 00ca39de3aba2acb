package keymap

import "testing"

// TestInspectorKeysDoNotCollide: a key bound twice on one screen would make one action
// unreachable.
func TestInspectorKeysDoNotCollide(t *testing.T) {
	k := DefaultKeyMap()
	seen := map[string]string{}
	for name, b := range map[string][]string{
		"quit": k.Quit.Keys(), "help": k.Help.Keys(), "inspector": k.Inspector.Keys(), "craft": k.Craft.Keys(),
		"notify": k.Notify.Keys(), "routes": k.Routes.Keys(), "up": k.Up.Keys(), "down": k.Down.Keys(),
		"top": k.Top.Keys(), "bottom": k.Bottom.Keys(), "open": k.Open.Keys(), "pane": k.SwitchPane.Keys(),
		"filter": k.Filter.Keys(), "replay": k.Replay.Keys(), "resign": k.ReplayResign.Keys(),
		"edit": k.EditReplay.Keys(), "to": k.ReplayTo.Keys(), "curl": k.CopyCurl.Keys(),
		"export": k.Export.Keys(), "diff": k.Diff.Keys(), "clear": k.ClearFilter.Keys(),
		"next tab": k.NextTab.Keys(), "prev tab": k.PrevTab.Keys(), "mode": k.BodyMode.Keys(),
	} {
		for _, key := range b {
			if other, ok := seen[key]; ok {
				t.Fatalf("key %q is bound to both %s and %s", key, other, name)
			}
			seen[key] = name
		}
	}
	for _, b := range []string{"q", "?", "/", "r", "R", "c"} {
		if _, ok := seen[b]; !ok {
			t.Fatalf("key %q from the spec is not bound", b)
		}
	}
}
