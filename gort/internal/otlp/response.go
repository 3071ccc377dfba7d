// SPDX-License-Identifier: Apache-2.0

package otlp

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// PartialSuccess is a 2xx answer that says the receiver dropped part of the
// request (ExportTracePartialSuccess / ExportMetricsPartialSuccess). Retrying
// would not help: the rejected items were malformed or over a limit.
type PartialSuccess struct {
	Rejected int64 // rejected_spans or rejected_data_points
	Message  string
}

func (p *PartialSuccess) Error() string {
	if p.Message == "" {
		return fmt.Sprintf("otlp: the receiver rejected %d of the exported items", p.Rejected)
	}
	return fmt.Sprintf("otlp: the receiver rejected %d of the exported items: %s", p.Rejected, p.Message)
}

// HTTPError is an answer other than 2xx. StatusCode lets the caller tell the
// statuses OTLP calls retryable (429, 502, 503, 504) from the others.
type HTTPError struct {
	URL        string
	StatusCode int
	Status     string // as the server sent it, e.g. "503 Service Unavailable"
	Body       string // at most 200 bytes of the body, or the message of its google.rpc.Status
}

func (e *HTTPError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("otlp: POST %s: HTTP %s", e.URL, e.Status)
	}
	return fmt.Sprintf("otlp: POST %s: HTTP %s: %s", e.URL, e.Status, e.Body)
}

func newHTTPError(url string, resp *http.Response, body []byte) *HTTPError {
	// OTLP/HTTP receivers answer an error with a protobuf google.rpc.Status,
	// whose message (field 2) is the readable part; others send text.
	if isProtobuf(resp.Header.Get("Content-Type")) {
		if msg, ok := decodeStatusMessage(body); ok {
			body = []byte(msg)
		}
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
		// A character cut in two at the end is dropped whole.
		for i := 1; i < utf8.UTFMax && i <= len(body); i++ {
			if tail := body[len(body)-i:]; utf8.RuneStart(tail[0]) {
				if !utf8.FullRune(tail) {
					body = body[:len(body)-i]
				}
				break
			}
		}
	}
	status := resp.Status
	if status == "" {
		status = fmt.Sprintf("%d", resp.StatusCode)
	}
	return &HTTPError{URL: url, StatusCode: resp.StatusCode, Status: status,
		Body: strings.ToValidUTF8(string(body), "\uFFFD")}
}

// decodePartialSuccess reads field 1 (partial_success) of an Export*ServiceResponse:
// nil when absent or when the body is not a valid message.
func decodePartialSuccess(b []byte) *PartialSuccess {
	var ps *PartialSuccess
	inner := func(field, wire int, v uint64, data []byte) bool {
		switch {
		case field == 1 && wire == wireVarint:
			ps.Rejected = int64(v)
		case field == 2 && wire == wireBytes:
			ps.Message = string(data)
		}
		return true
	}
	valid := true
	ok := eachField(b, func(field, wire int, v uint64, data []byte) bool {
		if field != 1 || wire != wireBytes {
			return true
		}
		if ps == nil {
			ps = &PartialSuccess{}
		}
		// A repeated embedded message merges into the first, as protobuf does.
		valid = eachField(data, inner)
		return valid
	})
	if !ok || !valid {
		return nil
	}
	return ps
}

// decodeStatusMessage reads google.rpc.Status.message (field 2).
func decodeStatusMessage(b []byte) (string, bool) {
	msg, found := "", false
	ok := eachField(b, func(field, wire int, v uint64, data []byte) bool {
		if field == 2 && wire == wireBytes {
			msg, found = string(data), true
		}
		return true
	})
	return msg, ok && found && msg != ""
}

// eachField calls fn for each field of the protobuf message b: v is a
// varint's or fixed value, data a length-delimited field's bytes. It stops
// when fn returns false and reports whether b was well formed.
func eachField(b []byte, fn func(field, wire int, v uint64, data []byte) bool) bool {
	for len(b) > 0 {
		tag, n := readVarint(b)
		if n == 0 {
			return false
		}
		b = b[n:]
		field, wire := int(tag>>3), int(tag&7)
		var v uint64
		var data []byte
		switch wire {
		case wireVarint:
			if v, n = readVarint(b); n == 0 {
				return false
			}
		case wireFixed64, wireFixed32:
			if n = 8; wire == wireFixed32 {
				n = 4
			}
			if len(b) < n {
				return false
			}
			for i := n - 1; i >= 0; i-- {
				v = v<<8 | uint64(b[i])
			}
		case wireBytes:
			size, m := readVarint(b)
			if m == 0 || size > uint64(len(b)-m) {
				return false
			}
			data, n = b[m:m+int(size)], m+int(size)
		default: // groups are not used by OTLP
			return false
		}
		b = b[n:]
		if field == 0 || !fn(field, wire, v, data) {
			return field != 0
		}
	}
	return true
}

// readVarint decodes a varint at the start of b; n is 0 when it is malformed.
func readVarint(b []byte) (v uint64, n int) {
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * uint(i))
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
