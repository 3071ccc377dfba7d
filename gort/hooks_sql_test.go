// SPDX-License-Identifier: Apache-2.0

// SQL hook tests with a minimal in-package driver: the hooks are called
// directly, the way the woven database/sql calls them.

package rt

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// fakeDriver only has to exist: no connection is ever made.
type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) { return nil, errors.New("not a real driver") }

type fakeConnector struct{}

func (fakeConnector) Connect(context.Context) (driver.Conn, error) {
	return nil, errors.New("not a real driver")
}
func (fakeConnector) Driver() driver.Driver { return fakeDriver{} }

func init() { sql.Register("goinstr-fake", fakeDriver{}) }

func openFake(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("goinstr-fake", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// postgresDB is a *sql.DB that the open hook saw as a PostgreSQL database (the
// fake driver's package is no known driver, so the target is made directly).
func postgresDB(t *testing.T, dsn string) *sql.DB {
	db := openFake(t)
	storeTarget(db, newDBTarget("postgresql", dsn), true)
	return db
}

func TestSQLSpanQuery(t *testing.T) {
	exp, tp := useTestTracer(t)
	db := postgresDB(t, "postgres://app:secret@db.example.com:6543/shop")
	ctx, parent := tp.Tracer("test").Start(context.Background(), "handler")
	end := sqlHook(ctx, db, "", "SELECT * FROM public.visits WHERE id = $1")
	end(nil)
	parent.End()

	s := exp.GetSpans()[0]
	if s.Name != "SELECT public.visits" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, trace.SpanKindClient)
	if s.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Error("not a child of the span in ctx")
	}
	wantAttrs(t, s, map[string]any{
		"db.system.name":     "postgresql",
		"db.operation.name":  "SELECT",
		"db.collection.name": "public.visits",
		"server.address":     "db.example.com",
		"server.port":        int64(6543),
	})
	if s.Status.Code != codes.Unset {
		t.Errorf("status %v", s.Status)
	}
}

func TestSQLSpanTransactionOps(t *testing.T) {
	exp, _ := useTestTracer(t)
	db := postgresDB(t, "host=/var/run/postgresql")
	for _, op := range []string{"BEGIN", "COMMIT", "ROLLBACK"} {
		exp.Reset()
		sqlHook(context.Background(), db, op, "")(nil)
		s := onlySpan(t, exp)
		if s.Name != op {
			t.Errorf("name %q", s.Name)
		}
		wantAttrs(t, s, map[string]any{
			"db.system.name":    "postgresql",
			"db.operation.name": op,
			"server.address":    "/var/run/postgresql", // unix socket: no port
		})
	}
}

func TestSQLSpanWithoutSummary(t *testing.T) {
	exp, _ := useTestTracer(t)
	db := openFake(t)
	sqlOpenHook("goinstr-fake", "whatever", db)
	sqlHook(nil, db, "", "sp_who2")(nil) // the woven code may pass a nil ctx
	s := onlySpan(t, exp)
	if s.Name != "other_sql" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]any{"db.system.name": "other_sql"})
	if s.Parent.IsValid() {
		t.Error("nil ctx produced a parent")
	}
}

func TestSQLSpanOpenDBWithoutOpenHook(t *testing.T) {
	exp, _ := useTestTracer(t)
	db := sql.OpenDB(fakeConnector{})
	defer db.Close()
	sqlHook(context.Background(), db, "", "insert into t values (1)")(nil)
	s := onlySpan(t, exp)
	if s.Name != "INSERT t" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]any{
		"db.system.name":     "other_sql",
		"db.operation.name":  "INSERT",
		"db.collection.name": "t",
	})
	// A nil *sql.DB is tolerated too.
	exp.Reset()
	sqlHook(context.Background(), nil, "", "DELETE FROM t")(nil)
	if s := onlySpan(t, exp); s.Name != "DELETE t" {
		t.Errorf("name %q", s.Name)
	}
}

type myDriverError struct{ code int }

func (e *myDriverError) Error() string { return fmt.Sprintf("driver error %d", e.code) }

func TestSQLSpanErrors(t *testing.T) {
	exp, _ := useTestTracer(t)
	db := postgresDB(t, "host=db")
	cases := []struct {
		err      error
		fail     bool
		wantType string
	}{
		{nil, false, ""},
		{sql.ErrNoRows, false, ""},
		{driver.ErrSkip, false, ""},
		{fmt.Errorf("wrapped: %w", sql.ErrNoRows), false, ""},
		{driver.ErrBadConn, true, "*errors.errorString"},
		{&myDriverError{42}, true, "*rt.myDriverError"},
		{context.Canceled, true, "*errors.errorString"},
	}
	for _, c := range cases {
		exp.Reset()
		sqlHook(context.Background(), db, "", "UPDATE t SET a = 1")(c.err)
		s := onlySpan(t, exp)
		got := attrMap(t, s.Attributes)
		if !c.fail {
			if s.Status.Code != codes.Unset || got["error.type"] != nil {
				t.Errorf("%v: status %+v error.type %v", c.err, s.Status, got["error.type"])
			}
			continue
		}
		if s.Status.Code != codes.Error || s.Status.Description != c.err.Error() || got["error.type"] != c.wantType {
			t.Errorf("%v: status %+v error.type %v", c.err, s.Status, got["error.type"])
		}
	}
}

func TestSQLQueryText(t *testing.T) {
	exp, _ := useTestTracer(t)
	const q = "SELECT * FROM users WHERE password = 'hunter2'"

	sqlHook(context.Background(), postgresDB(t, ""), "", q)(nil)
	if _, ok := attrMap(t, onlySpan(t, exp).Attributes)["db.query.text"]; ok {
		t.Error("db.query.text recorded by default")
	}

	old := recordQueryText
	recordQueryText = true
	defer func() { recordQueryText = old }()
	exp.Reset()
	sqlHook(context.Background(), postgresDB(t, ""), "", q)(nil)
	if got := attrMap(t, onlySpan(t, exp).Attributes)["db.query.text"]; got != q {
		t.Errorf("db.query.text %v", got)
	}

	t.Setenv("GOINSTR_DB_QUERY_TEXT", "RAW")
	if !queryTextFromEnv() {
		t.Error("GOINSTR_DB_QUERY_TEXT=RAW not honoured")
	}
	t.Setenv("GOINSTR_DB_QUERY_TEXT", "masked")
	if queryTextFromEnv() {
		t.Error("only raw turns query texts on")
	}
}

func TestSQLPreparedCache(t *testing.T) {
	target := newDBTarget("mysql", "u:pw@tcp(db:3307)/app")
	a := target.prepared("", "SELECT * FROM t")
	if b := target.prepared("", "SELECT * FROM t"); a != b {
		t.Error("the same query was prepared twice")
	}
	if target.prepared("COMMIT", "") != target.commit {
		t.Error("COMMIT not precomputed")
	}
	for i := 0; i < maxCachedQueries+10; i++ {
		p := target.prepared("", fmt.Sprintf("SELECT %d FROM t%d", i, i))
		if want := fmt.Sprintf("SELECT t%d", i); p.name != want {
			t.Fatalf("name %q, want %q", p.name, want)
		}
	}
	if n := len(*target.queries.Load()); n != maxCachedQueries {
		t.Errorf("cache holds %d entries, want the cap %d", n, maxCachedQueries)
	}
}

func TestSQLTargetForgotten(t *testing.T) {
	db := openFake(t)
	first := storeTarget(db, newDBTarget("postgresql", "host=a"), true)
	if targetOf(db) != first {
		t.Fatal("target not stored")
	}
	// A stale cleanup (an earlier *sql.DB at the same address) must not
	// remove the current entry.
	forgetTarget(dbCleanup{dbKey(db), newDBTarget("mysql", "")})
	if targetOf(db) != first {
		t.Fatal("stale cleanup removed the current target")
	}
	forgetTarget(dbCleanup{dbKey(db), first})
	if m := dbTargets.Load(); m != nil {
		if _, ok := (*m)[dbKey(db)]; ok {
			t.Fatal("target not forgotten")
		}
	}
	if got := targetOf(db).system; got != "other_sql" {
		t.Errorf("re-derived system %q", got)
	}
}

func TestSQLHookWithoutTracer(t *testing.T) {
	old := tracer
	tracer = nil
	defer func() { tracer = old }()
	sqlHook(context.Background(), nil, "", "SELECT 1")(errors.New("x")) // must not panic
}

func BenchmarkSQLHook(b *testing.B) {
	exp, _ := useTestTracerB(b)
	_ = exp
	db, _ := sql.Open("goinstr-fake", "")
	defer db.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		sqlHook(ctx, db, "", "SELECT * FROM visits WHERE id = $1")(nil)
	}
}
