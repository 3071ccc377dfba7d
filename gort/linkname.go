// SPDX-License-Identifier: Apache-2.0

//go:build goinstr_woven

// The glue to the woven standard library. `goinstr go build` adds hook
// variables to net/http, database/sql, os and os/signal (each marked //go:linkname so the
// Go 1.23+ linker allows pulling it) and builds with -tags goinstr_woven. The
// declarations below pull those variables; init reads the configuration and
// assigns the hook implementations of what it enables. Without the woven std
// these symbols do not exist, which is why this file is behind the build tag:
// without it the package still compiles and its unit tests (which call the
// implementations directly) run.

package rt

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	_ "unsafe" // for go:linkname
)

//go:linkname httpServerHook net/http.goinstrServerHook
var httpServerHook func(req *http.Request) (*http.Request, func(status int, recovered interface{}))

//go:linkname httpClientHook net/http.goinstrClientHook
var httpClientHook func(t *http.Transport, req *http.Request) (*http.Request, func(resp *http.Response, err error))

//go:linkname sqlOpenHookVar database/sql.goinstrSQLOpenHook
var sqlOpenHookVar func(driverName, dataSourceName string, db *sql.DB)

//go:linkname sqlHookVar database/sql.goinstrSQLHook
var sqlHookVar func(ctx context.Context, db *sql.DB, op string, query string) func(err error)

//go:linkname osExitHook os.goinstrExitHook
var osExitHook func()

//go:linkname osSignalHook os/signal.goinstrSignalHook
var osSignalHook func(op int, c chan<- os.Signal, sig []os.Signal)

func init() {
	if !setup() { // OTEL_SDK_DISABLED=true or a bad configuration: no hooks at all
		return
	}
	if cfg.HTTPEnabled {
		httpServerHook = serveHTTPHook
		httpClientHook = roundTripHook
		hooksInstalled = true
	}
	if cfg.DatabaseEnabled {
		sqlOpenHookVar = sqlOpenHook
		sqlHookVar = sqlHook
	}
	osExitHook = Flush
	watchSignals() // before the hook: goinstr's own Notify is not the program's
	osSignalHook = signalHook
}
