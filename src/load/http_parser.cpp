// SPDX-License-Identifier: Apache-2.0
#include "load/http_parser.hpp"

#include <algorithm>
#include <charconv>

#include "load/ascii.hpp"

namespace goinstr::load {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn(token) for each comma-separated token of a header value (Connection, TE).
template <typename Fn>
void each_token(std::string_view value, Fn fn) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    fn(trim(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// "HTTP/" must open every response: checking it before the line ends turns garbage into an error
// at once instead of after 16 KiB of waiting for a newline.
bool plausible_status_prefix(std::string_view partial) {
  constexpr std::string_view kPrefix = "HTTP/";
  size_t n = std::min(partial.size(), kPrefix.size());
  return partial.substr(0, n) == kPrefix.substr(0, n);
}

}  // namespace

void ResponseParser::begin(bool head_request) {
  *this = ResponseParser{};
  head_request_ = head_request;
}

ResponseParser::Status ResponseParser::fail(std::string why) {
  state_ = State::kError;
  error_ = std::move(why);
  return Status::kError;
}

bool ResponseParser::line_state() const {
  return state_ == State::kStatusLine || state_ == State::kHeaders || state_ == State::kChunkSize ||
         state_ == State::kChunkEnd || state_ == State::kTrailers;
}

ResponseParser::Status ResponseParser::feed(std::string_view data, size_t& consumed) {
  consumed = 0;
  if (!data.empty()) started_ = true;
  while (consumed < data.size()) {
    if (state_ == State::kDone) return Status::kComplete;
    if (state_ == State::kError) return Status::kError;
    std::string_view rest = data.substr(consumed);
    if (!line_state()) {
      size_t used = 0;
      Status s = consume_body(rest, used);
      consumed += used;
      if (s != Status::kNeedMore) return s;
      continue;
    }
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) {
      if (line_.size() + rest.size() > kMaxLine) return fail("line longer than 16 KiB");
      line_.append(rest);
      consumed = data.size();
      if (state_ == State::kStatusLine && !plausible_status_prefix(line_)) {
        return fail("response does not start with HTTP/");
      }
      return Status::kNeedMore;
    }
    consumed += nl + 1;
    std::string_view line = rest.substr(0, nl);
    if (!line_.empty()) {
      if (line_.size() + line.size() > kMaxLine) return fail("line longer than 16 KiB");
      line_.append(line);
      line = line_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Status s = on_line(line);
    line_.clear();
    if (s != Status::kNeedMore) return s;
  }
  if (state_ == State::kDone) return Status::kComplete;
  return state_ == State::kError ? Status::kError : Status::kNeedMore;
}

ResponseParser::Status ResponseParser::on_line(std::string_view line) {
  switch (state_) {
    case State::kStatusLine:
      return on_status_line(line);
    case State::kHeaders:
      if (line.empty()) return on_headers_end();
      return on_header(line);
    case State::kChunkSize:
      return on_chunk_size(line);
    case State::kChunkEnd:
      if (!line.empty()) return fail("chunk data longer than its size");
      state_ = State::kChunkSize;
      return Status::kNeedMore;
    case State::kTrailers:
      if (!line.empty()) return Status::kNeedMore;  // trailer fields are ignored
      state_ = State::kDone;
      return Status::kComplete;
    default:
      return fail("internal: line in a body state");
  }
}

// "HTTP/1.1 200 OK": the version decides the keep-alive default; the reason is ignored.
ResponseParser::Status ResponseParser::on_status_line(std::string_view line) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return fail("bad status line");
  }
  if (line[7] != '0' && line[7] != '1') return fail("unsupported HTTP version");
  int code = 0;
  auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, code);
  if (ec != std::errc{} || end != line.data() + 12 || code < 100) return fail("bad status code");
  status_code_ = code;
  keep_alive_ = line[7] == '1';
  state_ = State::kHeaders;
  return Status::kNeedMore;
}

ResponseParser::Status ResponseParser::on_header(std::string_view line) {
  if (++header_lines_ > kMaxHeaderLines) return fail("too many header lines");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return fail("header line without a name");
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (iequals(name, "content-length")) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
      return fail("bad Content-Length");
    }
    if (has_length_ && n != content_length_) return fail("conflicting Content-Length headers");
    has_length_ = true;
    content_length_ = n;
  } else if (iequals(name, "transfer-encoding")) {
    // Only the last coding matters for framing; chunked must be last if present at all.
    has_transfer_encoding_ = true;
    chunked_ = false;
    each_token(value, [&](std::string_view t) { chunked_ = iequals(t, "chunked"); });
  } else if (iequals(name, "connection")) {
    each_token(value, [&](std::string_view t) {
      if (iequals(t, "close")) keep_alive_ = false;
      if (iequals(t, "keep-alive")) keep_alive_ = true;
    });
  }
  return Status::kNeedMore;
}

// RFC 9112 section 6.3, in order: 1xx is skipped (the real response follows), HEAD/204/304 have
// no body, chunked wins over Content-Length, any other transfer coding runs to close (and makes
// Content-Length meaningless), else Content-Length, else the body runs to close.
ResponseParser::Status ResponseParser::on_headers_end() {
  if (status_code_ == 101) return fail("101 Switching Protocols is not supported");
  if (status_code_ < 200) {
    bool head = head_request_;
    begin(head);
    started_ = true;
    return Status::kNeedMore;
  }
  if (head_request_ || status_code_ == 204 || status_code_ == 304) {
    state_ = State::kDone;
    return Status::kComplete;
  }
  if (chunked_) {
    state_ = State::kChunkSize;
    return Status::kNeedMore;
  }
  if (has_length_ && !has_transfer_encoding_) {
    remaining_ = content_length_;
    state_ = remaining_ ? State::kBody : State::kDone;
    return remaining_ ? Status::kNeedMore : Status::kComplete;
  }
  keep_alive_ = false;
  state_ = State::kUntilClose;
  return Status::kNeedMore;
}

ResponseParser::Status ResponseParser::on_chunk_size(std::string_view line) {
  std::string_view digits = line.substr(0, line.find_first_of("; \t"));
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, 16);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
    return fail("bad chunk size");
  }
  if (n == 0) {
    state_ = State::kTrailers;
  } else {
    remaining_ = n;
    state_ = State::kChunkData;
  }
  return Status::kNeedMore;
}

ResponseParser::Status ResponseParser::consume_body(std::string_view data, size_t& consumed) {
  if (state_ == State::kUntilClose) {
    consumed = data.size();
    body_bytes_ += data.size();
    return Status::kNeedMore;
  }
  uint64_t n = std::min<uint64_t>(remaining_, data.size());
  consumed = n;
  remaining_ -= n;
  body_bytes_ += n;
  if (remaining_ > 0) return Status::kNeedMore;
  if (state_ == State::kChunkData) {
    state_ = State::kChunkEnd;
    return Status::kNeedMore;
  }
  state_ = State::kDone;
  return Status::kComplete;
}

ResponseParser::Status ResponseParser::finish_on_eof() {
  if (state_ == State::kDone) return Status::kComplete;
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return Status::kComplete;
  }
  return fail(started_ ? "connection closed mid-response" : "connection closed before a response");
}

}  // namespace goinstr::load
