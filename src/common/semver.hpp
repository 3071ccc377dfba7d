// SPDX-License-Identifier: Apache-2.0
// Versions as Go writes them, for the offset tables (module releases) and the weaving rules
// (`versions:` constraints on a module's or the toolchain's release).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr {

// A module version as Go writes it: "v1.70.0", "v1.71.0-rc.1", pseudo-versions
// "v0.0.0-20231002182017-d307bd883b97". Ordered by semantic-version precedence (v1.9.0 <
// v1.10.0, v1.71.0-rc.1 < v1.71.0); build metadata ("+incompatible", "+dirty") is ignored.
struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string prerelease;  // "" for a release
  friend std::strong_ordering operator<=>(const SemVer& a, const SemVer& b);
  friend bool operator==(const SemVer& a, const SemVer& b) { return (a <=> b) == 0; }
};
std::optional<SemVer> parse_semver(std::string_view version);

// A Go toolchain version ("go1.26.8", "go1.27", "go1.27rc1") as a SemVer (v1.26.8, v1.27.0,
// v1.27.0-rc1); nullopt when it is not one.
std::optional<SemVer> parse_go_version(std::string_view version);

// Whether `version` satisfies `constraint`: comparisons joined by commas, all of which must hold
// (">= v1.60.0, < v1.69.0"; "< go1.27" for the toolchain). An unreadable constraint is an error.
Result<bool> version_satisfies(std::string_view constraint, const SemVer& version);

// Reads an integer at `pos` and moves `pos` past it.
std::optional<int> parse_int(std::string_view s, size_t& pos);

}  // namespace goinstr
