// SPDX-License-Identifier: Apache-2.0
// {{name}} substitution for rule templates. Deliberately tiny: rules hold Go code, and every
// value a placeholder takes comes from the syntax tree.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace goinstr::weave {

using Placeholders = std::map<std::string, std::string, std::less<>>;

// Replaces each {{name}}; a name without a value, or an empty value, is an error (a rule asked
// for something the function does not have, e.g. a result it cannot name).
Result<std::string> expand(std::string_view text, const Placeholders& values);

}  // namespace goinstr::weave
