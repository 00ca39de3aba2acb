package header

import (
	"strings"
	"testing"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// The count follows the routes the gateway serves, so a subscription added while the
// inspector runs shows up in the header.
func TestRouteCountFollowsLiveRoutes(t *testing.T) {
	c := tuitest.Common(120, 40)
	routes := []config.Route{{Name: "a"}}
	c.Routes = func() []config.Route { return routes }
	m := New(c, "127.0.0.1:8644", 1)
	if !strings.Contains(tuitest.Plain(m.View(120)), "1 route ") {
		t.Fatalf("header: %s", tuitest.Plain(m.View(120)))
	}
	routes = append(routes, config.Route{Name: "b"})
	if !strings.Contains(tuitest.Plain(m.View(120)), "2 routes") {
		t.Fatalf("after a subscription: %s", tuitest.Plain(m.View(120)))
	}
}
