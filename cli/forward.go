package cli

import (
	"fmt"
	"strings"

	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

// resolveForwardProvider turns --provider (a provider such as stripe or costkatana, or a scheme
// name) into the scheme and header names the forwarding route verifies with.
func (e *env) resolveForwardProvider() error {
	name := strings.ToLower(e.forwardProvider)
	if name == "" {
		return nil
	}
	if scheme, sig, ts, ok := replay.VerifySettings(name); ok {
		e.ov.Forward.Verify, e.ov.Forward.SignatureHeader, e.ov.Forward.TimestampHeader = scheme, sig, ts
		return nil
	}
	if signature.Known(name) {
		e.ov.Forward.Verify = name
		return nil
	}
	var names []string
	for _, p := range replay.Providers() {
		names = append(names, p.Name)
	}
	return fmt.Errorf("--provider %q: unknown; valid providers: %s (or a scheme: %s)", e.forwardProvider,
		strings.Join(names, ", "), strings.Join(signature.Schemes(), ", "))
}
