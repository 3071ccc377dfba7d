// SPDX-License-Identifier: Apache-2.0
package store

import (
	"context"
	"testing"
)

func TestSave(t *testing.T) {
	s := New()
	if err := s.Save(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 {
		t.Fatalf("len = %d", s.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Save(ctx, "b"); err == nil {
		t.Fatal("a cancelled context must fail")
	}
}
