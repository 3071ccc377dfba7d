// SPDX-License-Identifier: Apache-2.0
// W3C Trace Context: parsing an incoming `traceparent`, and finding it in the raw request bytes
// the server probe copies from the connection's read buffer.
#pragma once

#include <optional>
#include <string_view>

#include "model/span.hpp"

namespace goinstr::agent {

struct TraceParent {
  model::TraceId trace_id{};
  model::SpanId parent_span_id{};
  uint8_t flags = 0;
};

// Accepts version 00 exactly as specified, and higher versions by their first four fields (the
// spec's forward-compatibility rule). All-zero ids and version ff are invalid.
std::optional<TraceParent> parse_traceparent(std::string_view value);

// Finds the value of header `name` (case-insensitive) in the request whose request line starts
// with `method` and is the last one in `window`: the window may begin mid-way through an earlier
// pipelined request, and the header block ends at the first empty line after the request line.
std::optional<std::string_view> find_request_header(std::string_view window,
                                                    std::string_view method, std::string_view name);

}  // namespace goinstr::agent
