// SPDX-License-Identifier: Apache-2.0

// The database/sql hooks: sql.Open tells us which database a *sql.DB talks to
// (driver package -> db.system.name, DSN -> server.address/port), and every
// query, exec, BEGIN, COMMIT and ROLLBACK gets a Client span named and
// attributed like the eBPF agent's (src/agent/db_spans.cpp).
//
// Hot-path design: what a span needs besides its parent depends only on the
// *sql.DB and the query text, so it is computed once and cached (name plus
// ready-made attributes). Both caches are copy-on-write maps behind an
// atomic.Value: a lookup takes no lock and allocates nothing.

package rt

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"

	"goinstr.dev/rt/internal/model"
	"goinstr.dev/rt/internal/sqltext"
	"goinstr.dev/rt/internal/tracer"
)

// dbSystemOther is db.system.name for a database whose driver is unknown.
const dbSystemOther = "other_sql"

// maxCachedQueries bounds each *sql.DB's cache of prepared span data; programs
// that build query texts dynamically still get spans, computed per call.
const maxCachedQueries = 512

// preparedQuery is what a span for one (database, query) needs.
type preparedQuery struct {
	name  string
	attrs []model.Attr
}

type queryMap map[string]*preparedQuery

// dbTarget is what is known about the database behind a *sql.DB.
type dbTarget struct {
	system   string
	endpoint sqltext.Endpoint
	hasEP    bool

	begin, commit, rollback *preparedQuery

	mu      sync.Mutex   // serialises writers of queries
	queries atomic.Value // queryMap
}

func newDBTarget(system, dsn string) *dbTarget {
	t := &dbTarget{system: system}
	t.endpoint, t.hasEP = sqltext.EndpointFromDSN(system, dsn)
	t.queries.Store(queryMap(nil))
	t.begin = t.prepare("BEGIN", "")
	t.commit = t.prepare("COMMIT", "")
	t.rollback = t.prepare("ROLLBACK", "")
	return t
}

// queryText is db.query.text under the configuration: nothing unless
// capture_queries, literals masked unless raw_queries (the agent's rule).
func queryText(system, query string) string {
	if !cfg.CaptureQueries || query == "" {
		return ""
	}
	if cfg.RawQueries {
		return query
	}
	return sqltext.Sanitize(query, system)
}

// prepare computes span name and attributes: op (BEGIN, COMMIT, ROLLBACK)
// when given, else the query's summary.
func (t *dbTarget) prepare(op, query string) *preparedQuery {
	var s sqltext.Summary
	if op != "" {
		s.Operation = op
	} else {
		s = sqltext.Summarize(query)
	}
	attrs := make([]model.Attr, 0, 6)
	attrs = append(attrs, model.String(keyDBSystemName, t.system))
	if s.Operation != "" {
		attrs = append(attrs, model.String(keyDBOperationName, s.Operation))
	}
	if s.Collection != "" {
		attrs = append(attrs, model.String(keyDBCollectionName, s.Collection))
	}
	if text := queryText(t.system, query); text != "" {
		attrs = append(attrs, model.String(keyDBQueryText, text))
	}
	if t.hasEP && t.endpoint.Address != "" {
		attrs = append(attrs, model.String(keyServerAddress, t.endpoint.Address))
		if t.endpoint.Port > 0 {
			attrs = append(attrs, model.Int(keyServerPort, int64(t.endpoint.Port)))
		}
	}
	return &preparedQuery{name: sqltext.SpanName(s, t.system), attrs: attrs}
}

// prepared returns the cached span data for (op, query), computing and
// caching it on first use.
func (t *dbTarget) prepared(op, query string) *preparedQuery {
	if op != "" && query == "" {
		switch op {
		case "BEGIN":
			return t.begin
		case "COMMIT":
			return t.commit
		case "ROLLBACK":
			return t.rollback
		}
	}
	if op != "" {
		return t.prepare(op, query)
	}
	if p, ok := t.queries.Load().(queryMap)[query]; ok {
		return p
	}
	p := t.prepare("", query)
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.queries.Load().(queryMap)
	if q, ok := old[query]; ok {
		return q
	}
	if len(old) >= maxCachedQueries {
		return p
	}
	m := make(queryMap, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[query] = p
	t.queries.Store(m)
	return p
}

type targetMap map[uintptr]*dbTarget

// dbTargets maps a *sql.DB's address to its target. Keyed by address, not by
// pointer, so the map does not keep closed databases alive; where the Go
// release has runtime.AddCleanup (1.24+) the entry goes when the *sql.DB is
// collected, else entries stay (a program opens few databases) and sql.Open
// replaces one whose address was reused.
var (
	dbTargetsMu sync.Mutex
	dbTargets   atomic.Value // targetMap
	// otherTarget serves a nil *sql.DB (never expected).
	otherTarget *dbTarget
)

func init() {
	dbTargets.Store(targetMap(nil))
	otherTarget = newDBTarget(dbSystemOther, "")
}

func dbKey(db *sql.DB) uintptr { return uintptr(unsafe.Pointer(db)) }

// storeTarget records t for db; with replace false an existing entry wins and
// is returned.
func storeTarget(db *sql.DB, t *dbTarget, replace bool) *dbTarget {
	key := dbKey(db)
	dbTargetsMu.Lock()
	defer dbTargetsMu.Unlock()
	old := dbTargets.Load().(targetMap)
	if cur, ok := old[key]; ok && !replace {
		return cur
	}
	m := make(targetMap, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[key] = t
	dbTargets.Store(m)
	forgetWhenCollected(db, key, t)
	return t
}

// forgetTarget drops key's entry if it still holds t (the address may have
// been reused meanwhile).
func forgetTarget(key uintptr, t *dbTarget) {
	dbTargetsMu.Lock()
	defer dbTargetsMu.Unlock()
	old := dbTargets.Load().(targetMap)
	if old[key] != t {
		return
	}
	m := make(targetMap, len(old))
	for k, v := range old {
		if k != key {
			m[k] = v
		}
	}
	dbTargets.Store(m)
}

// targetOf returns db's target; a *sql.DB that sql.Open did not announce
// (sql.OpenDB with a connector) gets one from its driver's package, without
// server address.
func targetOf(db *sql.DB) *dbTarget {
	if db == nil {
		return otherTarget
	}
	if t, ok := dbTargets.Load().(targetMap)[dbKey(db)]; ok {
		return t
	}
	return storeTarget(db, newDBTarget(sqltext.SystemForDriver(db.Driver()), ""), false)
}

// sqlOpenHook runs when sql.Open created db for driverName and the DSN.
func sqlOpenHook(driverName, dataSourceName string, db *sql.DB) {
	if db == nil {
		return
	}
	storeTarget(db, newDBTarget(sqltext.SystemForDriver(db.Driver()), dataSourceName), true)
}

func noopSQLEnd(error) {}

// sqlHook starts the span of one database operation on db: op is "BEGIN",
// "COMMIT" or "ROLLBACK", or "" for a query/exec whose text is query. The
// returned func ends it with the operation's error.
func sqlHook(ctx context.Context, db *sql.DB, op string, query string) func(err error) {
	t := tr
	if t == nil {
		return noopSQLEnd
	}
	if ctx == nil {
		ctx = context.Background()
	}
	p := targetOf(db).prepared(op, query)
	_, span := t.Start(ctx, p.name, model.KindClient)
	span.Add(p.attrs...)
	return func(err error) { endSQLSpan(span, err) }
}

// endSQLSpan: sql.ErrNoRows and driver.ErrSkip are answers, not failures;
// everything else (driver.ErrBadConn too) marks the span failed.
func endSQLSpan(span *tracer.Span, err error) {
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !errors.Is(err, driver.ErrSkip) {
		setGoError(span, err)
	}
	span.End()
}
