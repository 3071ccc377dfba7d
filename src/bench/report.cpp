// SPDX-License-Identifier: Apache-2.0
#include "bench/report.hpp"

#include <fstream>
#include <system_error>

#include "bench/report_content.hpp"
#include "bench/report_render.hpp"

namespace goinstr::bench {
namespace {

Result<> write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail_errno("cannot create " + path.string());
  out << text;
  out.close();
  if (!out) return fail_errno("cannot write " + path.string());
  return {};
}

}  // namespace

std::string render_markdown_report(const BenchResults& results) {
  return render_markdown(build_report(results));
}

std::string render_html_report(const BenchResults& results) {
  return render_html(build_report(results));
}

Result<> write_reports(const BenchResults& results, const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return fail("cannot create " + out_dir.string() + ": " + ec.message());
  const Document doc = build_report(results);
  TRY(write_file(out_dir / "report.md", render_markdown(doc)));
  TRY(write_file(out_dir / "report.html", render_html(doc)));
  return {};
}

}  // namespace goinstr::bench
