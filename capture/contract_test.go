package capture_test

import (
	"path/filepath"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/capture/storetest"
)

// The SQLite store passes the contract every store implementation is held to.
func TestSQLiteContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) capture.Store {
		s, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
