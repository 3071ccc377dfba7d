// SPDX-License-Identifier: Apache-2.0
#include "gobuild/otel_use.hpp"

#include <fstream>
#include <iterator>
#include <string>

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

bool skipped(const fs::directory_entry& e, const fs::path& root) {
  std::string name = e.path().filename().string();
  if (name.starts_with(".") || name.starts_with("_") || name == "testdata" || name == "vendor")
    return true;
  return e.path() != root && fs::exists(e.path() / "go.mod");
}

bool file_imports_opentelemetry(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  return text.find("\"go.opentelemetry.io/") != std::string::npos;
}

}  // namespace

bool program_imports_opentelemetry(const std::vector<fs::path>& roots) {
  for (const auto& root : roots) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_directory()) {
        if (skipped(*it, root)) it.disable_recursion_pending();
        continue;
      }
      if (it->path().extension() == ".go" && file_imports_opentelemetry(it->path())) return true;
    }
  }
  return false;
}

}  // namespace goinstr::gobuild
