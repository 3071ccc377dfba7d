// SPDX-License-Identifier: Apache-2.0
#include "load/http_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace goinstr::load {
namespace {

using S = ResponseParser::Status;

// Feeds `data` in pieces of `step` bytes; returns the final status and total bytes consumed.
S feed_in_pieces(ResponseParser& p, const std::string& data, size_t step, size_t& consumed) {
  consumed = 0;
  S s = S::kNeedMore;
  while (consumed < data.size()) {
    size_t used = 0;
    std::string_view piece = std::string_view(data).substr(consumed, step);
    s = p.feed(piece, used);
    consumed += used;
    if (s != S::kNeedMore) return s;
    EXPECT_EQ(used, piece.size());
  }
  return s;
}

TEST(ResponseParser, ContentLength) {
  ResponseParser p;
  p.begin();
  std::string r = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  size_t used = 0;
  EXPECT_EQ(p.feed(r, used), S::kComplete);
  EXPECT_EQ(used, r.size());
  EXPECT_EQ(p.status_code(), 200);
  EXPECT_TRUE(p.keep_alive());
  EXPECT_EQ(p.body_bytes(), 5u);
}

TEST(ResponseParser, EverySplitPointGivesTheSameResult) {
  const std::string responses[] = {
      "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world",
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6;name=val\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n",
  };
  for (const auto& r : responses) {
    for (size_t step = 1; step <= r.size(); ++step) {
      SCOPED_TRACE(step);
      ResponseParser p;
      p.begin();
      size_t consumed = 0;
      ASSERT_EQ(feed_in_pieces(p, r, step, consumed), S::kComplete) << p.error();
      EXPECT_EQ(consumed, r.size());
      EXPECT_GE(p.status_code(), 200);
      EXPECT_TRUE(p.keep_alive());
    }
  }
}

TEST(ResponseParser, ChunkedBodyCountsOnlyData) {
  ResponseParser p;
  p.begin();
  std::string r =
      "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n";
  size_t used = 0;
  EXPECT_EQ(p.feed(r, used), S::kComplete);
  EXPECT_TRUE(p.chunked());
  EXPECT_EQ(p.body_bytes(), 10u);
}

TEST(ResponseParser, StopsAtTheEndOfOneResponse) {
  ResponseParser p;
  p.begin();
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  std::string both = first + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  size_t used = 0;
  EXPECT_EQ(p.feed(both, used), S::kComplete);
  EXPECT_EQ(used, first.size());
  p.begin();
  EXPECT_EQ(p.feed(std::string_view(both).substr(used), used), S::kComplete);
  EXPECT_EQ(p.status_code(), 404);
}

TEST(ResponseParser, PipelinedGarbageIsAnError) {
  ResponseParser p;
  p.begin();
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  std::string data = first + "garbage\r\n";
  size_t used = 0;
  EXPECT_EQ(p.feed(data, used), S::kComplete);
  EXPECT_LT(used, data.size());  // the caller sees the leftover bytes
  p.begin();
  EXPECT_EQ(p.feed(std::string_view(data).substr(used), used), S::kError);
  // Garbage is rejected as soon as it cannot begin "HTTP/", before any newline.
  p.begin();
  EXPECT_EQ(p.feed("XTTP", used), S::kError);
  p.begin();
  EXPECT_EQ(p.feed("HTT", used), S::kNeedMore);
}

TEST(ResponseParser, Errors) {
  const char* bad[] = {
      "HTTP/2 200 OK\r\n\r\n",
      "HTTP/1.1 2x0 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
  };
  for (const char* r : bad) {
    SCOPED_TRACE(r);
    ResponseParser p;
    p.begin();
    size_t used = 0;
    EXPECT_EQ(p.feed(r, used), S::kError);
    EXPECT_FALSE(p.error().empty());
  }
}

TEST(ResponseParser, OverlongLineIsAnError) {
  ResponseParser p;
  p.begin();
  std::string head = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(20000, 'a');
  size_t consumed = 0;
  EXPECT_EQ(feed_in_pieces(p, head, 1000, consumed), S::kError);
}

TEST(ResponseParser, ConnectionCloseAndHttp10) {
  size_t used = 0;
  ResponseParser p;
  p.begin();
  EXPECT_EQ(p.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", used),
            S::kComplete);
  EXPECT_FALSE(p.keep_alive());
  p.begin();
  EXPECT_EQ(p.feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", used), S::kComplete);
  EXPECT_FALSE(p.keep_alive());
  p.begin();
  EXPECT_EQ(p.feed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", used),
            S::kComplete);
  EXPECT_TRUE(p.keep_alive());
}

TEST(ResponseParser, BodyUntilCloseCompletesOnEof) {
  ResponseParser p;
  p.begin();
  size_t used = 0;
  EXPECT_EQ(p.feed("HTTP/1.1 200 OK\r\n\r\nstream", used), S::kNeedMore);
  EXPECT_EQ(p.feed("ing", used), S::kNeedMore);
  EXPECT_EQ(p.finish_on_eof(), S::kComplete);
  EXPECT_EQ(p.body_bytes(), 9u);
  EXPECT_FALSE(p.keep_alive());
}

TEST(ResponseParser, EofMidResponseIsAnError) {
  ResponseParser p;
  p.begin();
  size_t used = 0;
  EXPECT_FALSE(p.started());
  EXPECT_EQ(p.finish_on_eof(), S::kError);
  p.begin();
  EXPECT_EQ(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", used), S::kNeedMore);
  EXPECT_TRUE(p.started());
  EXPECT_EQ(p.finish_on_eof(), S::kError);
}

TEST(ResponseParser, HeadAnd304HaveNoBody) {
  size_t used = 0;
  ResponseParser p;
  p.begin(/*head_request=*/true);
  EXPECT_EQ(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", used), S::kComplete);
  p.begin();
  EXPECT_EQ(p.feed("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n", used),
            S::kComplete);
}

}  // namespace
}  // namespace goinstr::load
