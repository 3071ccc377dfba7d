// SPDX-License-Identifier: Apache-2.0
// The two renderings of a report document. Markdown leaves figures out (report.md is for reading
// as text and in code review); HTML is one self-contained page: inline CSS and SVG, no scripts,
// nothing fetched, so it opens offline and from an archived CI artifact.
#pragma once

#include <string>

#include "bench/report_document.hpp"

namespace goinstr::bench {

std::string render_markdown(const Document& doc);
std::string render_html(const Document& doc);

}  // namespace goinstr::bench
