// SPDX-License-Identifier: Apache-2.0
#include "weave/template.hpp"

namespace goinstr::weave {

Result<std::string> expand(std::string_view text, const Placeholders& values) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (true) {
    size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string_view::npos) return fail("unclosed {{");
    out.append(text.substr(at, open - at));
    std::string_view name = text.substr(open + 2, close - open - 2);
    auto it = values.find(name);
    if (it == values.end())
      return fail("{{" + std::string(name) + "}} has no value here (does the function have it?)");
    if (it->second.empty())
      return fail("{{" + std::string(name) + "}} is unnamed here; set name_results on the rule");
    out += it->second;
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace goinstr::weave
