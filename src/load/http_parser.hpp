// SPDX-License-Identifier: Apache-2.0
// Incremental HTTP/1.x response parser. It is fed whatever recv() returned and keeps only a
// partial line between calls; body bytes are counted, never copied, so one read buffer serves a
// whole worker. It stops at the end of one response, so the caller sees any bytes that follow
// (which, with one request outstanding, mean the server broke framing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace goinstr::load {

class ResponseParser {
 public:
  enum class Status { kNeedMore, kComplete, kError };

  // Starts a new response. A HEAD response has headers but never a body.
  void begin(bool head_request = false);
  // Consumes bytes of the current response from `data`; `consumed` says how many. After
  // kComplete, the rest of `data` belongs to whatever follows.
  Status feed(std::string_view data, size_t& consumed);
  // The peer closed the connection: completes a body delimited by close, else it is an error.
  Status finish_on_eof();

  int status_code() const { return status_code_; }
  bool keep_alive() const { return keep_alive_; }
  bool chunked() const { return chunked_; }
  uint64_t body_bytes() const { return body_bytes_; }
  // Whether any byte of this response arrived (a reused socket that closes before that may be
  // retried: the server dropped an idle connection as we sent on it).
  bool started() const { return started_; }
  const std::string& error() const { return error_; }

  // Longest status line, header line or chunk-size line accepted.
  static constexpr size_t kMaxLine = 16 * 1024;
  static constexpr size_t kMaxHeaderLines = 256;

 private:
  enum class State {
    kStatusLine,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailers,
    kUntilClose,
    kDone,
    kError,
  };

  Status fail(std::string why);
  bool line_state() const;
  Status on_line(std::string_view line);
  Status on_status_line(std::string_view line);
  Status on_header(std::string_view line);
  Status on_headers_end();
  Status on_chunk_size(std::string_view line);
  Status consume_body(std::string_view data, size_t& consumed);

  State state_ = State::kStatusLine;
  bool head_request_ = false;
  bool started_ = false;
  bool keep_alive_ = true;
  bool chunked_ = false;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  int status_code_ = 0;
  size_t header_lines_ = 0;
  uint64_t content_length_ = 0;
  uint64_t remaining_ = 0;  // bytes left in the body or the current chunk
  uint64_t body_bytes_ = 0;
  std::string line_;  // a line split across reads
  std::string error_;
};

}  // namespace goinstr::load
