package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionReadsTheBuildsVCSStamp(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-01T01:40:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	line := versionLine(versionInfo(bi))
	for _, want := range []string{"commit 0123456789ab", "2026-12-01T01:40:00Z", "uncommitted changes"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "unknown") {
		t.Errorf("%q says unknown", line)
	}
	bi.Main.Version = "v1.4.0"
	if info := versionInfo(bi); info["version"] != "v1.4.0" {
		t.Errorf("an installed module version is %q", info["version"])
	}
}
