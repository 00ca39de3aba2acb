package pgstore

import (
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/capture/storetest"
)

// The contract every capture store passes, against PostgreSQL (each subtest in its own schema).
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) capture.Store {
		s, _ := openTest(t)
		return s
	})
}
