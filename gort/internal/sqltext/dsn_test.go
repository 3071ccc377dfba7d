// SPDX-License-Identifier: Apache-2.0

// Driver-package tests that only the Go side has (db.Driver() values). The
// package paths, DSNs and driver table are checked by the vectors shared with
// the eBPF agent's C++ tests, data/sqltext/vectors.json (vectors_test.go).

package sqltext

import "testing"

type valueDriver struct{}
type pointerDriver struct{}

func TestSystemForDriver(t *testing.T) {
	// This package is no known driver; what matters is that values, pointers
	// and nil are all handled.
	for _, d := range []any{valueDriver{}, &pointerDriver{}, nil} {
		if got := SystemForDriver(d); got != "other_sql" {
			t.Errorf("%T: %q", d, got)
		}
	}
}
