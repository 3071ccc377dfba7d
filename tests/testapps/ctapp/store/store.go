// SPDX-License-Identifier: Apache-2.0
// Package store is a non-main package with a traced method, and tests of its own, so that
// `goinstr go test` has something to run.
package store

import (
	"context"
	"sync"
)

type Store struct {
	mu    sync.Mutex
	items []string
}

func New() *Store { return &Store{} }

// Save is traced as store.(*Store).Save, a child of the span in ctx.
//
//goinstr:span
func (s *Store) Save(ctx context.Context, item string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, item)
	return nil
}

func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}
