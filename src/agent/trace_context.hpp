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

// The header lines of the request whose request line starts with `method` and is the last one in
// `window` (the window may begin mid-way through an earlier pipelined request): from after the
// request line up to the first empty line, or the window's end.
std::optional<std::string_view> request_header_block(std::string_view window,
                                                     std::string_view method);
// The value of header `name` (case-insensitive) in a header block.
std::optional<std::string_view> header_value(std::string_view block, std::string_view name);
// Both in one: used where only one header is wanted.
std::optional<std::string_view> find_request_header(std::string_view window,
                                                    std::string_view method, std::string_view name);

}  // namespace goinstr::agent
