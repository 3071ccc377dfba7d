// SPDX-License-Identifier: Apache-2.0
// One error type for every library in goinstr. Errors travel as values (std::expected); exceptions
// never cross a library boundary, and main() turns an Error into a one-line message and exit code.
#pragma once

#include <cerrno>
#include <cstring>
#include <expected>
#include <string>
#include <utility>

namespace goinstr {

struct Error {
  int code = 0;         // errno when the failure came from the OS, else 0
  std::string message;  // complete, user-facing sentence fragment ("cannot open X: reason")

  static Error msg(std::string m) { return Error{0, std::move(m)}; }
  static Error from_errno(const std::string& what, int err = errno) {
    return Error{err, what + ": " + std::strerror(err)};
  }
  // Prefixes context, so errors read outermost-first: "inspect ./x: read .gopclntab: truncated".
  Error context(const std::string& what) const& { return Error{code, what + ": " + message}; }
};

template <typename T = void>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected(Error::msg(std::move(message)));
}
inline std::unexpected<Error> fail_errno(const std::string& what, int err = errno) {
  return std::unexpected(Error::from_errno(what, err));
}

}  // namespace goinstr

#define GOINSTR_CONCAT_INNER(a, b) a##b
#define GOINSTR_CONCAT(a, b) GOINSTR_CONCAT_INNER(a, b)

// TRY(expr): evaluate a Result<void>/Result<T>, return its error from the enclosing function.
#define TRY(expr)                                                     \
  do {                                                                \
    auto goinstr_try_result_ = (expr);                                \
    if (!goinstr_try_result_) {                                       \
      return std::unexpected(std::move(goinstr_try_result_).error()); \
    }                                                                 \
  } while (0)

// ASSIGN_OR_RETURN(decl, expr): `decl` receives the value of a Result<T>, or the error returns.
#define ASSIGN_OR_RETURN(decl, expr) \
  ASSIGN_OR_RETURN_IMPL(GOINSTR_CONCAT(goinstr_aor_, __LINE__), decl, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, decl, expr)              \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  decl = std::move(*tmp)
