// SPDX-License-Identifier: Apache-2.0
// Command templates of the bench configuration: "{bin} -addr {addr} -db {dsn}". A placeholder is
// a lower-case word in braces; "{{" is a literal brace and "${VAR}" is left to the shell. Values
// are shell-quoted when they go into a command (an empty DSN becomes '' and stays an argument)
// and inserted as they are into environment variables.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr::bench {

// Where a template is used decides which placeholders it may name: {pid} and {port} exist only
// once the service runs, so only attach commands (and their environment) can use them.
enum class TemplateUse { build, start, attach };

using Placeholders = std::map<std::string, std::string, std::less<>>;

// Fails on a placeholder unknown at `use`, naming it and the ones that are known there.
Result<> check_template(std::string_view text, TemplateUse use);

enum class Quoting { shell, none };
// Replaces every placeholder found in `values`; others are left as written.
std::string expand(std::string_view text, const Placeholders& values, Quoting quoting);

// 'text' for /bin/sh, unquoted when it is made only of characters the shell leaves alone.
std::string shell_quote(std::string_view text);

}  // namespace goinstr::bench
