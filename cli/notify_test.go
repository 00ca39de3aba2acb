package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// seedSlackBudgetWarning is the Slack body the alerting seed documents for budget_warning with
// its example values (the same text as notify/testdata/seed_bodies.json).
const seedSlackBudgetWarning = `{"text": "⚠️ Budget Warning: daily budget at 85.0% ($8.50 / $10.00)",
 "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "⚠️ Budget Warning: daily budget at 85.0% ($8.50 / $10.00)"}}]}`

// notifyRun executes `hooktap notify ARGS --data-dir DIR` through the real root command.
func notifyRun(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOOKTAP_CONFIG", "")
	t.Setenv("NO_COLOR", "1")
	var out, errb bytes.Buffer
	full := append(append([]string{"notify"}, args...), "--data-dir", dir)
	code := Main(context.Background(), full, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestNotifyPreviewJSONIsTheSeedBody(t *testing.T) {
	var want bytes.Buffer
	if err := json.Compact(&want, []byte(seedSlackBudgetWarning)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		wantCode int
	}{
		{"slack seed body", []string{"preview", "budget_warning", "--format", "slack", "--json"}, want.String() + "\n", 0},
		{"unknown format", []string{"preview", "budget_warning", "--format", "teams", "--json"}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := notifyRun(t, t.TempDir(), tt.args...)
			if code != tt.wantCode || out != tt.wantOut {
				t.Fatalf("exit %d, stdout %q (stderr %q); want exit %d, stdout %q", code, out, errOut, tt.wantCode, tt.wantOut)
			}
		})
	}
}
