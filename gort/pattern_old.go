// SPDX-License-Identifier: Apache-2.0

//go:build !go1.23

package rt

import "net/http"

// requestPattern: before Go 1.23 the request does not say which pattern matched.
func requestPattern(*http.Request) string { return "" }
