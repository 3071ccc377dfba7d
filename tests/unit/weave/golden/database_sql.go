// weave: database/sql
// Unnamed results get names; a one-line function keeps its single line.
package sql

import "context"

func Open(driverName, dataSourceName string) (*DB, error) {
	return &DB{}, nil
}

func (db *DB) queryDC(ctx, txctx context.Context, dc *driverConn, releaseConn func(error), query string, args []any) (*Rows, error) {
	return nil, nil
}

func (db *DB) execDC(ctx context.Context, dc *driverConn, release func(error), query string, args []any) (res Result, err error) {
	return nil, nil
}

func (db *DB) beginDC(ctx context.Context, dc *driverConn, release func(error), opts *TxOptions) (tx *Tx, err error) { return nil, nil }

func (tx *Tx) Commit() error { return nil }

func (tx *Tx) Rollback() error {
	return tx.rollback(false)
}

func (s *Stmt) QueryContext(ctx context.Context, args ...any) (*Rows, error) { return nil, nil }

func (s *Stmt) ExecContext(ctx context.Context, args ...any) (Result, error) { return nil, nil }
