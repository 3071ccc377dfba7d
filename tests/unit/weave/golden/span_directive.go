// weave: module
// //goinstr:span functions in a main package without imports: the runtime import is added after
// the package clause, main gets the flush, each marked function a span.
package main

import "context"

//goinstr:span
func withContext(ctx context.Context, id int) (string, error) {
	return lookup(ctx, id)
}

// noContext has no context parameter: its span is a root (or a child of nothing).
//
//goinstr:span
func noContext() {
	work()
}

//goinstr:span extra words are allowed after the directive
func (s *Store) Save(_ context.Context, v string) error { return s.put(v) }

//goinstr:span
func Map[K comparable, V any](m map[K]V) (out []K) {
	for k := range m {
		out = append(out, k)
	}
	return
}

//goinstr:spanner is another directive: not matched
func notMarked() {}

func main() {
	noContext()
}
