// SPDX-License-Identifier: Apache-2.0

package console

import (
	"strconv"
	"strings"

	"goinstr.dev/rt/internal/model"
)

// Attribute keys the line treats specially (semantic conventions).
const (
	keyServiceName    = "service.name"
	keyRequestMethod  = "http.request.method"
	keyResponseStatus = "http.response.status_code"
)

// kindName is how a span kind is shown.
func kindName(k model.Kind) string {
	switch k {
	case model.KindInternal:
		return "internal"
	case model.KindServer:
		return "server"
	case model.KindClient:
		return "client"
	case model.KindProducer:
		return "producer"
	case model.KindConsumer:
		return "consumer"
	}
	return "unspecified"
}

// findAttr is the index of the first attribute with key, or -1.
func findAttr(attrs []model.Attr, key string) int {
	for i := range attrs {
		if attrs[i].Key == key {
			return i
		}
	}
	return -1
}

// spanLine is one span without its tree prefix:
// "GET /hello  200  1.234 ms  server  span 00f067aa0ba902b7  http.route=/hello ..."
func spanLine(w *strings.Builder, s *model.Span, orphan bool) {
	w.WriteString(s.Name)
	status := findAttr(s.Attrs, keyResponseStatus)
	if status >= 0 {
		w.WriteString("  ")
		w.WriteString(text(s.Attrs[status]))
	}
	ms := 0.0
	if s.EndNs >= s.StartNs {
		ms = float64(uint64(s.EndNs)-uint64(s.StartNs)) / 1e6
	}
	var num [32]byte
	w.WriteString("  ")
	w.Write(strconv.AppendFloat(num[:0], ms, 'f', 3, 64))
	w.WriteString(" ms  ")
	w.WriteString(kindName(s.Kind))
	w.WriteString("  span ")
	writeHex(w, s.SpanID[:])
	if s.Status == model.StatusError {
		w.WriteString("  ERROR")
		if s.StatusMessage != "" {
			w.WriteString(": ")
			w.WriteString(s.StatusMessage)
		}
	}
	if orphan {
		w.WriteString("  (parent ")
		writeHex(w, s.ParentSpanID[:4])
		w.WriteString("…)")
	}
	// The method is already in the span name ("GET /hello") and the status
	// code has its own column; only their first occurrence is left out.
	method := findAttr(s.Attrs, keyRequestMethod)
	if method >= 0 && !strings.HasPrefix(s.Name, text(s.Attrs[method])) {
		method = -1
	}
	separator := "  " // two spaces before the attributes, one between them
	for i := range s.Attrs {
		if i == status || i == method {
			continue
		}
		w.WriteString(separator)
		w.WriteString(s.Attrs[i].Key)
		w.WriteByte('=')
		w.WriteString(text(s.Attrs[i]))
		separator = " "
	}
}

func writeHex(w *strings.Builder, id []byte) {
	const digits = "0123456789abcdef"
	for _, c := range id {
		w.WriteByte(digits[c>>4])
		w.WriteByte(digits[c&0xf])
	}
}
