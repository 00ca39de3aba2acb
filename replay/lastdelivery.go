package replay

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
)

// lastDeliveryName is the file, in the data directory, that remembers the last delivery id
// crafted per provider so a later --duplicate can reuse it (from the CLI or the TUI).
const lastDeliveryName = "craft-last.json"

var lastDeliveryMu sync.Mutex

// LastDelivery returns the last delivery id remembered for provider, or "".
func LastDelivery(dataDir, provider string) string {
	lastDeliveryMu.Lock()
	defer lastDeliveryMu.Unlock()
	return readLastDeliveries(dataDir)[provider]
}

// RememberDelivery records id as provider's last delivery id. It is best effort: only
// --duplicate needs it, so a read-only data directory is not an error.
func RememberDelivery(dataDir, provider, id string) {
	lastDeliveryMu.Lock()
	defer lastDeliveryMu.Unlock()
	m := readLastDeliveries(dataDir)
	m[provider] = id
	b, _ := json.Marshal(m) // a map of strings always encodes
	if os.MkdirAll(dataDir, 0o700) == nil {
		_ = os.WriteFile(filepath.Join(dataDir, lastDeliveryName), b, 0o600)
	}
}

// readLastDeliveries reads the file; a missing or damaged one reads as empty and is rewritten.
func readLastDeliveries(dataDir string) map[string]string {
	m := map[string]string{}
	if b, err := os.ReadFile(filepath.Join(dataDir, lastDeliveryName)); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	if m == nil {
		m = map[string]string{}
	}
	return m
}
