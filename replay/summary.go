package replay

import (
	"fmt"
	"net/http"

	"github.com/hooktap/hooktap/capture"
)

// Answer says in a few words what a replay's capture ended with: the delivery target's answer
// when the route delivered it (what a user replaying to their app wants to see), else the
// gateway's own answer, and whether that is a success.
func Answer(c *capture.Capture) (text string, ok bool) {
	if n := len(c.Deliveries); n > 0 {
		d := c.Deliveries[n-1]
		if d.Error != "" {
			return fmt.Sprintf("%s failed: %s", d.Target, d.Error), false
		}
		return fmt.Sprintf("%s answered %d %s", d.Target, d.Status, http.StatusText(d.Status)), d.Status >= 200 && d.Status < 300
	}
	text = fmt.Sprintf("gateway answered %d %s", c.Status, http.StatusText(c.Status))
	if c.Verification.Result == "failed" {
		text += " (signature " + string(c.Verification.Reason) + ")"
	}
	return text, c.Status >= 200 && c.Status < 300
}
