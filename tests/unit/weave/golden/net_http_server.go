// weave: net/http
// A cut-down net/http server.go: the rule must find serverHandler.ServeHTTP among other
// ServeHTTP methods and leave everything else as it was.
package http // import "net/http"

import (
	"context"
	_ "unsafe" // for linkname
)

type serverHandler struct{ srv *Server }

func (sh serverHandler) ServeHTTP(rw ResponseWriter, req *Request) {
	handler := sh.srv.Handler
	if handler == nil {
		handler = DefaultServeMux
	}
	handler.ServeHTTP(rw, req)
}

func (mux *ServeMux) ServeHTTP(w ResponseWriter, r *Request) {
	_ = context.Background()
}
