// SPDX-License-Identifier: Apache-2.0
#include "common/semver.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace goinstr {

namespace {

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Semantic-version precedence of two pre-release strings (semver.org, item 11): identifiers
// compared left to right, numeric ones as numbers and below alphanumeric ones, a shorter list
// first when it is a prefix of the other.
std::strong_ordering compare_prerelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() <=> b.empty();  // a release sorts last
  while (true) {
    std::string_view ia = a.substr(0, a.find('.'));
    std::string_view ib = b.substr(0, b.find('.'));
    bool na = is_number(ia), nb = is_number(ib);
    std::strong_ordering c = std::strong_ordering::equal;
    if (na && nb) {
      c = ia.size() != ib.size() ? ia.size() <=> ib.size() : ia.compare(ib) <=> 0;
    } else if (na != nb) {
      c = nb <=> na;
    } else {
      c = ia.compare(ib) <=> 0;
    }
    if (c != 0) return c;
    bool more_a = ia.size() < a.size(), more_b = ib.size() < b.size();
    if (!more_a || !more_b) return more_a <=> more_b;
    a.remove_prefix(ia.size() + 1);
    b.remove_prefix(ib.size() + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int> parse_int(std::string_view s, size_t& pos) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
  if (ec != std::errc{}) return std::nullopt;
  pos = static_cast<size_t>(end - s.data());
  return v;
}

std::strong_ordering operator<=>(const SemVer& a, const SemVer& b) {
  if (auto c = std::tie(a.major, a.minor, a.patch) <=> std::tie(b.major, b.minor, b.patch); c != 0)
    return c;
  return compare_prerelease(a.prerelease, b.prerelease);
}

std::optional<SemVer> parse_semver(std::string_view version) {
  if (version.empty() || version[0] != 'v') return std::nullopt;
  version = version.substr(0, version.find('+'));  // build metadata has no precedence
  SemVer v;
  size_t pos = 1;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && (pos >= version.size() || version[pos++] != '.')) return std::nullopt;
    if (pos >= version.size() || version[pos] < '0' || version[pos] > '9') return std::nullopt;
    auto n = parse_int(version, pos);
    if (!n) return std::nullopt;
    *parts[i] = *n;
  }
  if (pos < version.size()) {
    if (version[pos] != '-' || pos + 1 == version.size()) return std::nullopt;
    v.prerelease = std::string(version.substr(pos + 1));
  }
  return v;
}

std::optional<SemVer> parse_go_version(std::string_view version) {
  if (!version.starts_with("go")) return std::nullopt;
  SemVer v;
  size_t pos = 2;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3 && pos < version.size(); ++i) {
    if (i > 0) {
      if (version[pos] != '.') break;
      ++pos;
    }
    auto n = parse_int(version, pos);
    if (!n) return std::nullopt;
    *parts[i] = *n;
  }
  if (pos < version.size()) {
    std::string_view rest = version.substr(pos);  // "rc1", "beta2"; " X:..." after a space
    rest = rest.substr(0, rest.find_first_of(" -"));
    if (!rest.empty()) v.prerelease = std::string(rest);
  }
  return v;
}

Result<bool> version_satisfies(std::string_view constraint, const SemVer& version) {
  bool all = true;
  bool any_term = false;
  while (!constraint.empty()) {
    size_t comma = constraint.find(',');
    std::string_view term = trim(constraint.substr(0, comma));
    constraint = comma == std::string_view::npos ? "" : constraint.substr(comma + 1);
    size_t op_len = term.starts_with(">=") || term.starts_with("<=")                          ? 2
                    : term.starts_with(">") || term.starts_with("<") || term.starts_with("=") ? 1
                                                                                              : 0;
    std::string_view op = term.substr(0, op_len);
    std::string_view operand = trim(term.substr(op_len));
    auto bound = operand.starts_with("go") ? parse_go_version(operand) : parse_semver(operand);
    if (op.empty() || !bound)
      return fail("version constraint '" + std::string(term) +
                  "': expected one of >=, >, <=, <, = and a version (v1.69.0, go1.27)");
    any_term = true;
    auto c = version <=> *bound;
    bool ok = op == ">="   ? c >= 0
              : op == ">"  ? c > 0
              : op == "<=" ? c <= 0
              : op == "<"  ? c < 0
                           : c == 0;
    all = all && ok;
  }
  if (!any_term) return fail("empty version constraint");
  return all;
}

}  // namespace goinstr
