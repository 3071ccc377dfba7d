// SPDX-License-Identifier: Apache-2.0

// The SQL hooks' caches: span data prepared once per (database, query),
// bounded, allocation-free to look up; and the *sql.DB -> target map, which
// sql.Open refreshes and a collected database's cleanup empties.

package rt

import (
	"fmt"
	"testing"
)

func TestSQLPreparedCache(t *testing.T) {
	target := newDBTarget("mysql", "u:pw@tcp(db:3307)/app")
	a := target.prepared("", "SELECT * FROM t")
	if b := target.prepared("", "SELECT * FROM t"); a != b {
		t.Error("the same query was prepared twice")
	}
	if target.prepared("COMMIT", "") != target.commit || target.prepared("BEGIN", "") != target.begin ||
		target.prepared("ROLLBACK", "") != target.rollback {
		t.Error("BEGIN, COMMIT, ROLLBACK not precomputed")
	}
	for i := 0; i < maxCachedQueries+10; i++ {
		p := target.prepared("", fmt.Sprintf("SELECT %d FROM t%d", i, i))
		if want := fmt.Sprintf("SELECT t%d", i); p.name != want {
			t.Fatalf("name %q, want %q", p.name, want)
		}
	}
	if n := len(target.queries.Load().(queryMap)); n != maxCachedQueries {
		t.Errorf("cache holds %d entries, want the cap %d", n, maxCachedQueries)
	}
	// Beyond the cap spans are still right, computed per call.
	p := target.prepared("", "DELETE FROM overflow")
	if p.name != "DELETE overflow" || attrMap(t, p.attrs)["server.port"] != int64(3307) {
		t.Errorf("uncached: %q %v", p.name, p.attrs)
	}
}

func TestSQLPreparedCacheAllocs(t *testing.T) {
	target := newDBTarget("postgresql", "host=db")
	const q = "SELECT * FROM visits WHERE id = $1"
	target.prepared("", q)
	if n := testing.AllocsPerRun(100, func() { target.prepared("", q) }); n != 0 {
		t.Errorf("a cached lookup allocates %v times", n)
	}
	db := dbWithSystem(t, "postgresql", "host=db")
	targetOf(db)
	if n := testing.AllocsPerRun(100, func() { targetOf(db) }); n != 0 {
		t.Errorf("a known *sql.DB's lookup allocates %v times", n)
	}
}

func TestSQLOpenHookReplacesTarget(t *testing.T) {
	db := openFake(t)
	first := targetOf(db) // derived from the driver: no address
	sqlOpenHook("goinstr-fake", "host=x", db)
	if targetOf(db) == first {
		t.Error("sql.Open's announcement did not replace the derived target")
	}
	sqlOpenHook("goinstr-fake", "", nil) // tolerated
}

func TestSQLTargetForgotten(t *testing.T) {
	db := openFake(t)
	first := storeTarget(db, newDBTarget("postgresql", "host=a"), true)
	if targetOf(db) != first {
		t.Fatal("target not stored")
	}
	if storeTarget(db, newDBTarget("mysql", ""), false) != first {
		t.Error("storeTarget without replace overwrote the entry")
	}
	// A stale cleanup (an earlier *sql.DB at the same address) must not
	// remove the current entry.
	forgetTarget(dbKey(db), newDBTarget("mysql", ""))
	if targetOf(db) != first {
		t.Fatal("stale cleanup removed the current target")
	}
	forgetTarget(dbKey(db), first)
	if _, ok := dbTargets.Load().(targetMap)[dbKey(db)]; ok {
		t.Fatal("target not forgotten")
	}
	if got := targetOf(db).system; got != "other_sql" {
		t.Errorf("re-derived system %q", got)
	}
}
