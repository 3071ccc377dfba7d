// SPDX-License-Identifier: Apache-2.0

// Test helpers for the process-wide state: stderr captured, the OTEL_* and
// GOINSTR_* environment blanked, the package's globals restored.

package rt

import (
	"os"
	"strings"
	"testing"
)

// captureStderr runs f with os.Stderr redirected to a file and returns what
// was written. Whatever writes from other goroutines must be done when f
// returns (the processor's Flush waits for its exports).
func captureStderr(t testing.TB, f func()) string {
	t.Helper()
	tmp, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	old := os.Stderr
	os.Stderr = tmp
	func() {
		defer func() { os.Stderr = old }()
		f()
	}()
	b, err := os.ReadFile(tmp.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// clearEnv blanks every OTEL_* and GOINSTR_* variable for the test (blank
// counts as unset in the configuration).
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "OTEL_") || strings.HasPrefix(name, "GOINSTR_") {
			t.Setenv(name, "")
		}
	}
}

// keepGlobals restores, when the test ends, every package variable setup and
// the pipeline constructors assign.
func keepGlobals(t *testing.T) {
	t.Helper()
	oldTr, oldCfg, oldRes, oldMetrics := tr, cfg, resource, rtMetrics
	oldTransport, oldProm, oldProp := exportTransport, promServer, propagator
	t.Cleanup(func() {
		tr, cfg, resource, rtMetrics = oldTr, oldCfg, oldRes, oldMetrics
		exportTransport, promServer, propagator = oldTransport, oldProm, oldProp
	})
}
