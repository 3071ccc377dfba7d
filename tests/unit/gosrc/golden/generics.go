package generics

import "cmp"

type Number interface {
	~int | ~int64 | ~float64
}

type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

type List[T any] []T

type Tree[T interface{ Less(T) bool }] struct {
	left, right *Tree[T]
}

type Array [N]int

type Set[P *C,] struct{}

type Alias[T any] = Pair[string, T]

func Max[T cmp.Ordered](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	out := make([]R, 0, len(s))
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

func (p *Pair[K, V]) Swap() Pair[V, K] { return Pair[V, K]{p.Value, p.Key} }

func use() {
	_ = Max[int](1, 2)
	_ = Map[[]int, int, string](nil, nil)
	_ = a[b](c)
	_ = List[int]{1, 2}
	var _ Pair[string, List[int]]
}
