// SPDX-License-Identifier: Apache-2.0

// The module's non-test code is compiled with the language version of the
// user's go.mod, as low as go 1.13: build it so, with and without the
// woven-std glue (linkname.go), and fail with the compiler's complaints.
// (-lang checks the language only; std APIs newer than Go 1.19 are the
// reviewers' to catch.)

package rt

import (
	"os/exec"
	"testing"
)

func TestCompilesAtGo113(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	for _, tags := range []string{"", "goinstr_woven"} {
		// go build of several packages compiles them and discards the result;
		// with the tag, nothing is linked, so the missing woven std is no error.
		args := []string{"build", "-gcflags=goinstr.dev/rt/...=-lang=go1.13", "-tags=" + tags, "./..."}
		if out, err := exec.Command(gocmd, args...).CombinedOutput(); err != nil {
			t.Errorf("go %v: %v\n%s", args, err, out)
		}
	}
}
