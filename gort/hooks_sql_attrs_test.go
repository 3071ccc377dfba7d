// SPDX-License-Identifier: Apache-2.0

// What SQL spans say about the database and the statement: server.address
// and server.port from the DSN (never a password), and db.query.text under
// capture_queries (sanitised) and raw_queries (as written).

package rt

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"goinstr.dev/rt/internal/sqltext"
)

// useQueryConfig sets capture_queries and raw_queries for the test.
func useQueryConfig(t *testing.T, capture, raw bool) {
	old := cfg
	cfg.CaptureQueries, cfg.RawQueries = capture, raw
	t.Cleanup(func() { cfg = old })
}

func TestSQLSpanDSNAttributes(t *testing.T) {
	tt := useTestTracer(t)
	cases := []struct {
		system, dsn string
		want        map[string]interface{} // besides db.system.name and db.operation.name
	}{
		{"postgresql", "host=db.internal port=5433 user=app password=secret",
			map[string]interface{}{"server.address": "db.internal", "server.port": int64(5433)}},
		{"postgresql", "postgres://app@db.internal/shop", // default port
			map[string]interface{}{"server.address": "db.internal", "server.port": int64(5432)}},
		{"postgresql", "host=/var/run/postgresql", // unix socket: no port
			map[string]interface{}{"server.address": "/var/run/postgresql"}},
		{"mysql", "u:secret@tcp(db:3307)/app", map[string]interface{}{"server.address": "db", "server.port": int64(3307)}},
		{"mysql", "u:secret@tcp(db)/app", map[string]interface{}{"server.address": "db", "server.port": int64(3306)}},
		{"postgresql", "dbname=shop", map[string]interface{}{}}, // driver default host: unknown
		{"sqlite", "file:test.db", map[string]interface{}{}},    // no server
	}
	for _, c := range cases {
		tt.reset()
		sqlHook(context.Background(), dbWithSystem(t, c.system, c.dsn), "COMMIT", "")(nil)
		want := map[string]interface{}{"db.system.name": c.system, "db.operation.name": "COMMIT"}
		for k, v := range c.want {
			want[k] = v
		}
		s := tt.only()
		wantAttrs(t, s, want)
		if strings.Contains(fmt.Sprint(s.Attrs), "secret") {
			t.Errorf("%s: a password reached the span: %v", c.dsn, s.Attrs)
		}
	}
}

func TestSQLQueryText(t *testing.T) {
	tt := useTestTracer(t)
	const q = "SELECT * FROM users WHERE password = 'hunter2' AND id = 42"
	cases := []struct {
		name         string
		capture, raw bool
		want         string // "": no db.query.text
	}{
		{"default: not captured", false, false, ""},
		{"raw_queries alone captures nothing", false, true, ""},
		{"capture_queries: sanitised", true, false, sqltext.Sanitize(q, "postgresql")},
		{"capture_queries and raw_queries: as written", true, true, q},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			useQueryConfig(t, c.capture, c.raw)
			tt.reset()
			// A fresh *sql.DB each time: span data is cached per database.
			sqlHook(context.Background(), dbWithSystem(t, "postgresql", ""), "", q)(nil)
			got, ok := attrMap(t, tt.only().Attrs)["db.query.text"]
			if c.want == "" {
				if ok {
					t.Errorf("db.query.text %q recorded", got)
				}
				return
			}
			if got != c.want {
				t.Errorf("db.query.text %q, want %q", got, c.want)
			}
		})
	}
	if s := sqltext.Sanitize(q, "postgresql"); strings.Contains(s, "hunter2") || strings.Contains(s, "42") {
		t.Errorf("the sanitised text keeps a literal: %q", s)
	}
	// BEGIN and friends carry no text of their own.
	useQueryConfig(t, true, true)
	tt.reset()
	sqlHook(context.Background(), dbWithSystem(t, "postgresql", ""), "BEGIN", "")(nil)
	if _, ok := attrMap(t, tt.only().Attrs)["db.query.text"]; ok {
		t.Error("db.query.text on BEGIN")
	}
}
