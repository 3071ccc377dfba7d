// SPDX-License-Identifier: Apache-2.0

// The database/sql hooks: sql.Open tells us which database a *sql.DB talks to
// (driver package -> db.system.name, DSN -> server.address/port), and every
// query, exec, BEGIN, COMMIT and ROLLBACK gets a Client span named and
// attributed like the eBPF agent's (src/agent/db_spans.cpp).
//
// Hot-path design: what a span needs besides its parent depends only on the
// *sql.DB and the query text, so it is computed once and cached (name plus a
// ready-made WithAttributes option). Both caches are copy-on-write maps behind
// an atomic pointer: a lookup takes no lock and allocates nothing.

package rt

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// recordQueryText is GOINSTR_DB_QUERY_TEXT=raw: record db.query.text as
// written. Off by default: query texts can hold secrets and personal data.
var recordQueryText = queryTextFromEnv()

func queryTextFromEnv() bool {
	return strings.EqualFold(strings.TrimSpace(os.Getenv("GOINSTR_DB_QUERY_TEXT")), "raw")
}

// maxCachedQueries bounds each *sql.DB's cache of prepared span data; programs
// that build query texts dynamically still get spans, computed per call.
const maxCachedQueries = 512

// preparedQuery is what a span for one (database, query) needs.
type preparedQuery struct {
	name  string
	attrs trace.SpanStartOption
}

// dbTarget is what is known about the database behind a *sql.DB.
type dbTarget struct {
	system   string
	endpoint dbEndpoint
	hasEP    bool

	begin, commit, rollback *preparedQuery

	mu      sync.Mutex // serialises writers of queries
	queries atomic.Pointer[map[string]*preparedQuery]
}

func newDBTarget(system, dsn string) *dbTarget {
	t := &dbTarget{system: system}
	t.endpoint, t.hasEP = endpointFromDSN(system, dsn)
	t.begin = t.prepare("BEGIN", "")
	t.commit = t.prepare("COMMIT", "")
	t.rollback = t.prepare("ROLLBACK", "")
	return t
}

// prepare computes span name and attributes: op (BEGIN, COMMIT, ROLLBACK)
// when given, else the query's summary.
func (t *dbTarget) prepare(op, query string) *preparedQuery {
	var s querySummary
	if op != "" {
		s.operation = op
	} else {
		s = summarizeSQL(query)
	}
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, attribute.String(keyDBSystemName, t.system))
	if s.operation != "" {
		attrs = append(attrs, attribute.String(keyDBOperationName, s.operation))
	}
	if s.collection != "" {
		attrs = append(attrs, attribute.String(keyDBCollectionName, s.collection))
	}
	if recordQueryText && query != "" {
		attrs = append(attrs, attribute.String(keyDBQueryText, query))
	}
	if t.hasEP && t.endpoint.address != "" {
		attrs = append(attrs, attribute.String(keyServerAddress, t.endpoint.address))
		if t.endpoint.port > 0 {
			attrs = append(attrs, attribute.Int(keyServerPort, t.endpoint.port))
		}
	}
	return &preparedQuery{name: dbSpanName(s, t.system), attrs: trace.WithAttributes(attrs...)}
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
	if m := t.queries.Load(); m != nil {
		if p, ok := (*m)[query]; ok {
			return p
		}
	}
	p := t.prepare("", query)
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.queries.Load()
	n := 0
	if old != nil {
		if q, ok := (*old)[query]; ok {
			return q
		}
		n = len(*old)
	}
	if n >= maxCachedQueries {
		return p
	}
	m := make(map[string]*preparedQuery, n+1)
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[query] = p
	t.queries.Store(&m)
	return p
}

// dbTargets maps a *sql.DB's address to its target. Keyed by address, not by
// pointer, so the map does not keep closed databases alive; a cleanup removes
// the entry when the *sql.DB is collected (CompareAndDelete-style: only its own
// entry, the address may have been reused meanwhile).
var (
	dbTargetsMu sync.Mutex
	dbTargets   atomic.Pointer[map[uintptr]*dbTarget]
	// otherTarget serves a nil *sql.DB (never expected).
	otherTarget = newDBTarget(dbSystemOther, "")
)

type dbCleanup struct {
	key    uintptr
	target *dbTarget
}

func dbKey(db *sql.DB) uintptr { return uintptr(unsafe.Pointer(db)) }

// storeTarget records t for db; with replace false an existing entry wins and
// is returned.
func storeTarget(db *sql.DB, t *dbTarget, replace bool) *dbTarget {
	key := dbKey(db)
	dbTargetsMu.Lock()
	defer dbTargetsMu.Unlock()
	old := dbTargets.Load()
	n := 0
	if old != nil {
		if cur, ok := (*old)[key]; ok && !replace {
			return cur
		}
		n = len(*old)
	}
	m := make(map[uintptr]*dbTarget, n+1)
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	m[key] = t
	dbTargets.Store(&m)
	runtime.AddCleanup(db, forgetTarget, dbCleanup{key, t})
	return t
}

func forgetTarget(c dbCleanup) {
	dbTargetsMu.Lock()
	defer dbTargetsMu.Unlock()
	old := dbTargets.Load()
	if old == nil || (*old)[c.key] != c.target {
		return
	}
	m := make(map[uintptr]*dbTarget, len(*old))
	for k, v := range *old {
		if k != c.key {
			m[k] = v
		}
	}
	dbTargets.Store(&m)
}

// targetOf returns db's target; a *sql.DB that sql.Open did not announce
// (sql.OpenDB with a connector) gets one from its driver's package, without
// server address.
func targetOf(db *sql.DB) *dbTarget {
	if db == nil {
		return otherTarget
	}
	if m := dbTargets.Load(); m != nil {
		if t, ok := (*m)[dbKey(db)]; ok {
			return t
		}
	}
	return storeTarget(db, newDBTarget(dbSystemForDriver(db.Driver()), ""), false)
}

// sqlOpenHook runs when sql.Open created db for driverName and the DSN.
func sqlOpenHook(driverName, dataSourceName string, db *sql.DB) {
	if db == nil {
		return
	}
	storeTarget(db, newDBTarget(dbSystemForDriver(db.Driver()), dataSourceName), true)
}

func noopSQLEnd(error) {}

// sqlHook starts the span of one database operation on db: op is "BEGIN",
// "COMMIT" or "ROLLBACK", or "" for a query/exec whose text is query. The
// returned func ends it with the operation's error.
func sqlHook(ctx context.Context, db *sql.DB, op string, query string) func(err error) {
	if tracer == nil {
		return noopSQLEnd
	}
	if ctx == nil {
		ctx = context.Background()
	}
	p := targetOf(db).prepared(op, query)
	_, span := tracer.Start(ctx, p.name, clientKind, p.attrs)
	return func(err error) { endSQLSpan(span, err) }
}

// endSQLSpan: sql.ErrNoRows and driver.ErrSkip are answers, not failures;
// everything else (driver.ErrBadConn too) marks the span failed.
func endSQLSpan(span trace.Span, err error) {
	if err != nil && span.IsRecording() &&
		!errors.Is(err, sql.ErrNoRows) && !errors.Is(err, driver.ErrSkip) {
		setGoError(span, err)
	}
	span.End()
}
