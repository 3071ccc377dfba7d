// Package comments shows which comments the parser attaches to what.
package comments

//go:generate echo hi

// Answer is the doc comment of a const.
const Answer = 42 // a line comment

// T has fields with docs and line comments.
type T struct {
	// A is documented.
	A int `json:"a"` // trailing
	B string
}

//go:noinline
func f() {}

/* not a doc comment: a blank line follows */

func g() {}
