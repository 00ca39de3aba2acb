package gateway

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// undelivered records, on a route whose target hooktap does not deliver to (a chat platform, a
// GitHub comment, an agent run), what would have been sent: the rendered text is in the capture
// and the delivery row carries the note with the target's settings rendered.
func (s *Server) undelivered(x *exchange) capture.Delivery {
	cfg := x.rt.cfg
	note := x.rt.notDelivered
	if params := cfg.DeliverExtra.Params; len(params) > 0 {
		parts := make([]string, 0, len(params))
		for _, k := range sortedKeys(params) {
			parts = append(parts, k+"="+x.body().Render(params[k]))
		}
		note += " (" + strings.Join(parts, ", ") + ")"
	}
	return capture.Delivery{Target: cfg.Deliver, Error: note}
}

// capturedBody answers a deliver_only request whose target hooktap does not deliver to: 200,
// since a retry would not change anything, with the note that nothing was delivered.
func capturedBody(id, target, note string) []byte {
	b, _ := json.Marshal(map[string]string{"status": "captured", "id": id, "note": target + ": " + note})
	return b
}

// noteUndelivered logs, once per route and target, that hooktap will not deliver its requests.
func (s *Server) noteUndelivered(t *routeTable) {
	s.notedMu.Lock()
	defer s.notedMu.Unlock()
	for _, name := range t.order {
		rt := t.byName[name]
		key := name + "\x00" + rt.cfg.Deliver
		if rt.notDelivered == "" || s.noted[key] {
			continue
		}
		s.noted[key] = true
		s.log.Warn(rt.notDelivered+": each request is rendered and captured with this note",
			"route", name, "deliver", rt.cfg.Deliver)
	}
}

// sortedKeys returns a map's keys in order, so notes read the same every time.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
