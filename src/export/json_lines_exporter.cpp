// SPDX-License-Identifier: Apache-2.0
// Appends one OTLP/JSON ExportTraceServiceRequest per line, the format the Collector's file
// exporter writes and its otlpjsonfile receiver reads back.
#include <cstdio>

#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "export/otlp_json.hpp"

namespace goinstr::exporter {
namespace {

class JsonLinesExporter final : public SpanExporter {
 public:
  JsonLinesExporter(std::string path, FILE* file) : path_(std::move(path)), file_(file) {}
  ~JsonLinesExporter() override { close(); }

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    if (!file_) return fail("json-lines " + path_ + ": already shut down");
    ASSIGN_OR_RETURN(std::string line, to_otlp_json(encode_request(resource, spans)));
    line += '\n';
    // fflush per batch so a tail -f (or a test) sees complete lines right away.
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
      return fail_errno("write " + path_);
    return {};
  }

  Result<> shutdown() override {
    if (close() != 0) return fail_errno("close " + path_);
    return {};
  }

  std::string name() const override { return "json-lines"; }

 private:
  int close() {
    if (!file_) return 0;
    const int rc = std::fclose(file_);
    file_ = nullptr;
    return rc;
  }

  std::string path_;
  FILE* file_;
};

}  // namespace

Result<std::unique_ptr<SpanExporter>> make_json_lines_exporter(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "a");
  if (!file) return fail_errno("cannot open " + path);
  return std::make_unique<JsonLinesExporter>(path, file);
}

}  // namespace goinstr::exporter
