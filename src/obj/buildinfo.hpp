// SPDX-License-Identifier: Apache-2.0
// Go build info from .go.buildinfo (what `go version -m` prints). Go 1.18+ layout: a 32-byte
// header {"\xff Go buildinf:" (14 bytes), ptrSize u8, flags u8, padding}; flags bit 1 (0x2) means
// the strings follow inline as uvarint-length-prefixed bytes: the Go version, then modinfo, which
// is wrapped in 16-byte sentinels and holds tab-separated lines:
//   path <main package>   mod <path> <version> [<sum>]   dep <path> <version> [<sum>]
//   => <path> <version> [<sum>] (replaces the line before)   build <key>=<value>
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "obj/bytes.hpp"
#include "obj/go_binary.hpp"

namespace goinstr::obj {

Result<BuildInfo> parse_buildinfo(Bytes section);
// Fills the module fields of `info` from modinfo text (sentinels already removed).
void parse_modinfo(std::string_view modinfo, BuildInfo& info);

}  // namespace goinstr::obj
