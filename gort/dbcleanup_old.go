// SPDX-License-Identifier: Apache-2.0

//go:build !go1.24

package rt

import "database/sql"

// forgetWhenCollected: before Go 1.24 there is no cleanup that leaves the
// program's own finalizers alone; the entry stays (sql.Open replaces it when
// the address is reused).
func forgetWhenCollected(*sql.DB, uintptr, *dbTarget) {}

var _ = forgetTarget // used by the Go 1.24+ variant
