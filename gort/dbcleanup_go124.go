// SPDX-License-Identifier: Apache-2.0

//go:build go1.24

package rt

import (
	"database/sql"
	"runtime"
)

type dbCleanup struct {
	key    uintptr
	target *dbTarget
}

// forgetWhenCollected removes db's entry once db is garbage.
func forgetWhenCollected(db *sql.DB, key uintptr, t *dbTarget) {
	runtime.AddCleanup(db, func(c dbCleanup) { forgetTarget(c.key, c.target) }, dbCleanup{key, t})
}
