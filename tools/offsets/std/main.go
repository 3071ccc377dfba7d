// SPDX-License-Identifier: Apache-2.0

// The program tools/gen_offsets.sh builds with each Go toolchain to read standard-library offsets
// from its DWARF. It only has to link every dumped type; it is never run. It builds with Go 1.19.
package main

import (
	"bufio"
	"database/sql"
	"net"
	"net/http"
	"os"
)

func main() {
	db, _ := sql.Open("none", "")
	if db != nil {
		tx, _ := db.Begin()
		_, _ = tx.Prepare("")
		c, _ := db.Conn(nil)
		_ = c
	}
	_, _ = http.Get("http://127.0.0.1/")
	_ = bufio.NewReader(os.Stdin)
	// The HTTP/2 server (net/http.http2* up to Go 1.26, net/http/internal/http2 since 1.27) is
	// linked by ListenAndServe too, through its TLSNextProto set-up; ServeTLS is there so that the
	// types the h2 probes read stay in this program's DWARF should that set-up ever move.
	srv := &http.Server{Handler: http.NewServeMux()}
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		_ = srv.ServeTLS(ln, "cert.pem", "key.pem")
	}
	_ = http.ListenAndServe("127.0.0.1:0", http.NewServeMux())
}
