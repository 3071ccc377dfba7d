// SPDX-License-Identifier: Apache-2.0

//go:build go1.23

package rt

import "net/http"

// requestPattern is the ServeMux pattern that matched (Request.Pattern, Go 1.23+).
func requestPattern(req *http.Request) string { return req.Pattern }
