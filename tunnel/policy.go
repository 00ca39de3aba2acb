package tunnel

import (
	"fmt"
	"os"
	"strings"
)

// loadTrafficPolicy reads tunnel.traffic_policy: a file path, or the policy itself when the value
// spans lines or is a JSON object (handy in environment variables).
func loadTrafficPolicy(spec string) (string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.Contains(spec, "\n") || strings.HasPrefix(spec, "{") {
		return spec, nil
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return "", fmt.Errorf("tunnel.traffic_policy: read %s: %w", spec, err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", fmt.Errorf("tunnel.traffic_policy: %s is empty", spec)
	}
	return string(b), nil
}
