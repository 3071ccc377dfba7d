// SPDX-License-Identifier: Apache-2.0
// Package native uses cgo: woven files of cgo packages go through the cgo tool too.
package native

// #include <stdlib.h>
import "C"

// Abs is traced (no context: a root span).
//
//goinstr:span
func Abs(x int) int {
	return int(C.abs(C.int(x)))
}
