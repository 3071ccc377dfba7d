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

	"goinstr.dev/rt/internal/model"
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

func openFake(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("goinstr-fake", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// dbWithSystem is a *sql.DB that the open hook saw as a database of system
// (the fake driver's package is no known driver, so the target is made
// directly, as sqlOpenHook makes it for a known one).
func dbWithSystem(t testing.TB, system, dsn string) *sql.DB {
	db := openFake(t)
	storeTarget(db, newDBTarget(system, dsn), true)
	return db
}

func TestSQLSpanQuery(t *testing.T) {
	tt := useTestTracer(t)
	useQueryConfig(t, false, false)
	db := dbWithSystem(t, "postgresql", "postgres://app:secret@db.example.com:6543/shop")
	ctx, parent := tt.tr.Start(context.Background(), "handler", model.KindServer)
	end := sqlHook(ctx, db, "", "SELECT * FROM public.visits WHERE id = $1")
	end(nil)
	parent.End()

	spans := tt.spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.Name != "SELECT public.visits" {
		t.Errorf("name %q", s.Name)
	}
	wantKind(t, s, model.KindClient)
	if s.ParentSpanID != parent.Context().SpanID || s.TraceID != parent.Context().TraceID {
		t.Error("not a child of the span in ctx")
	}
	wantAttrs(t, s, map[string]interface{}{
		"db.system.name":     "postgresql",
		"db.operation.name":  "SELECT",
		"db.collection.name": "public.visits",
		"server.address":     "db.example.com",
		"server.port":        int64(6543),
	})
	wantStatus(t, s, model.StatusUnset, "")
}

func TestSQLSpanTransactionOps(t *testing.T) {
	tt := useTestTracer(t)
	db := dbWithSystem(t, "postgresql", "host=/var/run/postgresql")
	for _, op := range []string{"BEGIN", "COMMIT", "ROLLBACK"} {
		tt.reset()
		sqlHook(context.Background(), db, op, "")(nil)
		s := tt.only()
		if s.Name != op {
			t.Errorf("name %q", s.Name)
		}
		wantKind(t, s, model.KindClient)
		wantAttrs(t, s, map[string]interface{}{
			"db.system.name":    "postgresql",
			"db.operation.name": op,
			"server.address":    "/var/run/postgresql", // unix socket: no port
		})
	}
}

func TestSQLSpanWithoutSummary(t *testing.T) {
	tt := useTestTracer(t)
	useQueryConfig(t, false, false)
	db := openFake(t)
	sqlOpenHook("goinstr-fake", "whatever", db)
	sqlHook(nil, db, "", "sp_who2")(nil) // the woven code may pass a nil ctx
	s := tt.only()
	if s.Name != "other_sql" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]interface{}{"db.system.name": "other_sql"})
	if s.ParentSpanID.IsValid() {
		t.Error("nil ctx produced a parent")
	}
}

func TestSQLSpanOpenDBWithoutOpenHook(t *testing.T) {
	tt := useTestTracer(t)
	useQueryConfig(t, false, false)
	db := sql.OpenDB(fakeConnector{})
	defer db.Close()
	sqlHook(context.Background(), db, "", "insert into t values (1)")(nil)
	s := tt.only()
	if s.Name != "INSERT t" {
		t.Errorf("name %q", s.Name)
	}
	wantAttrs(t, s, map[string]interface{}{
		"db.system.name":     "other_sql",
		"db.operation.name":  "INSERT",
		"db.collection.name": "t",
	})
	// A nil *sql.DB is tolerated too.
	tt.reset()
	sqlHook(context.Background(), nil, "", "DELETE FROM t")(nil)
	if s := tt.only(); s.Name != "DELETE t" {
		t.Errorf("name %q", s.Name)
	}
}

type myDriverError struct{ code int }

func (e *myDriverError) Error() string { return fmt.Sprintf("driver error %d", e.code) }

func TestSQLSpanErrors(t *testing.T) {
	tt := useTestTracer(t)
	db := dbWithSystem(t, "postgresql", "host=db")
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
		tt.reset()
		sqlHook(context.Background(), db, "", "UPDATE t SET a = 1")(c.err)
		s := tt.only()
		got := attrMap(t, s.Attrs)
		if !c.fail {
			if s.Status != model.StatusUnset || got["error.type"] != nil {
				t.Errorf("%v: status %d error.type %v", c.err, s.Status, got["error.type"])
			}
			continue
		}
		if s.Status != model.StatusError || s.StatusMessage != c.err.Error() || got["error.type"] != c.wantType {
			t.Errorf("%v: status %d %q error.type %v", c.err, s.Status, s.StatusMessage, got["error.type"])
		}
	}
}

func TestSQLHookWithoutTracer(t *testing.T) {
	old := UseTracerForTests(nil)
	defer UseTracerForTests(old)
	sqlHook(context.Background(), nil, "", "SELECT 1")(errors.New("x")) // must not panic
}
