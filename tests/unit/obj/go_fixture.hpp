// SPDX-License-Identifier: Apache-2.0
// Builds the httpserver test app with each available Go toolchain and flag set, once per test
// process. Variants whose toolchain is missing (no `go`, no Go 1.19, Go 1.27 not downloadable) are
// simply absent, and tests that need them skip.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace goinstr::obj::testing {

struct Toolchain {
  std::string name;     // "go1.26" (minor), used in variant names
  std::string command;  // shell prefix that runs `go`
  std::string version;  // full `go env GOVERSION`, e.g. "go1.26.8"
};

struct Variant {
  std::string name;  // "go1.26/plain"
  Toolchain toolchain;
  std::string kind;  // plain, stripped, pie, pie-stripped, static, external
  std::string path;  // built binary
};

class GoFixtures {
 public:
  // Builds everything on first call; later calls return the same set.
  static GoFixtures& get();
  const std::vector<Variant>& variants() const { return variants_; }
  const Variant* find(const std::string& toolchain, const std::string& kind) const;
  const std::vector<Toolchain>& toolchains() const { return toolchains_; }
  const std::string& notes() const { return notes_; }  // why variants are missing
  void cleanup();

 private:
  GoFixtures();
  std::string dir_;
  std::vector<Toolchain> toolchains_;
  std::vector<Variant> variants_;
  std::string notes_;
};

}  // namespace goinstr::obj::testing
