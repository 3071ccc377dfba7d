// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "export/exporter.hpp"
#include "test_spans.hpp"

namespace goinstr::exporter {
namespace {

using testing::child_span;
using testing::server_span;

// Captures what the exporter writes through a memory-backed FILE*.
class MemoryFile {
 public:
  MemoryFile() : file_(open_memstream(&buffer_, &size_)) {}
  ~MemoryFile() {
    std::fclose(file_);
    std::free(buffer_);
  }
  FILE* get() const { return file_; }
  // Valid after a fflush, which the exporter does at the end of every batch.
  std::string text() const { return std::string(buffer_, size_); }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  FILE* file_;
};

TEST(ConsoleExporter, PrintsTraceAsTreeWithOrphansAtTopLevel) {
  MemoryFile out;
  auto exporter = make_console_exporter(out.get());
  const auto root = server_span();
  auto db = child_span(root, 0x02, "SELECT users", 2'000);
  auto call = child_span(root, 0x03, "GET", 1'000);
  call.status = model::StatusCode::kError;
  call.status_message = "connection refused";
  auto nested = child_span(call, 0x04, "dial", 10);
  auto orphan = child_span(root, 0x05, "late child", 3'000);
  orphan.parent_span_id = testing::span_id(0x99);  // parent is not in this batch
  // Children arrive before their parent, as the agent sees them.
  const std::vector<model::Span> spans{db, orphan, nested, call, root};
  ASSERT_TRUE(exporter->export_batch(testing::resource_for(1), spans));

  const std::string want =
      "trace 4bf92f3577b34da6a3ce929d0e0e4736  service hello\n"
      "  ├─ GET /hello  200  1.234 ms  server  span 00f067aa0ba902b7  http.route=/hello"
      " url.path=/hello client.address=127.0.0.1\n"
      "  │  ├─ GET  0.500 ms  client  span 00f067aa0ba90203  ERROR: connection refused\n"
      "  │  │  └─ dial  0.500 ms  client  span 00f067aa0ba90204\n"
      "  │  └─ SELECT users  0.500 ms  client  span 00f067aa0ba90202\n"
      "  └─ late child  0.500 ms  client  span 00f067aa0ba90205  (parent 00f067aa…)\n";
  EXPECT_EQ(out.text(), want);
}

TEST(ConsoleExporter, GroupsByTraceInArrivalOrder) {
  MemoryFile out;
  auto exporter = make_console_exporter(out.get());
  auto a = server_span();
  auto b = server_span();
  b.trace_id[0] = 0x11;
  b.name = "GET /other";
  auto a_child = child_span(a, 0x02, "SELECT", 10);
  const std::vector<model::Span> spans{a_child, b, a};
  ASSERT_TRUE(exporter->export_batch({}, spans));
  const std::string text = out.text();
  const auto first = text.find("trace 4bf9");
  const auto second = text.find("trace 11f9");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  // a's subtree is complete before trace b starts.
  EXPECT_LT(text.find("SELECT"), second);
  EXPECT_EQ(text.find("service"), std::string::npos);  // no service.name in the resource
}

TEST(ConsoleExporter, SelfParentedSpanIsStillPrinted) {
  MemoryFile out;
  auto exporter = make_console_exporter(out.get());
  auto s = server_span();
  s.parent_span_id = s.span_id;
  const std::vector<model::Span> spans{s};
  ASSERT_TRUE(exporter->export_batch({}, spans));
  EXPECT_NE(out.text().find("GET /hello"), std::string::npos);
}

}  // namespace
}  // namespace goinstr::exporter
