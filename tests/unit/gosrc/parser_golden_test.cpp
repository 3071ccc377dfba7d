// SPDX-License-Identifier: Apache-2.0
// Golden dumps: golden/NAME.go parses to exactly golden/NAME.golden. Files named positions*.go
// dump with byte offsets, comments*.go with doc and line comments. The expected dumps were
// checked against go/parser's tree for the same input (same nodes, offsets and comment
// attachment). After an intended change, regenerate with GOINSTR_UPDATE_GOLDEN=1 and review the
// diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gosrc/dump.hpp"
#include "gosrc/parser.hpp"
#include "tests/support/files.hpp"

namespace goinstr::gosrc::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> golden_inputs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(GOINSTR_GOSRC_GOLDEN_DIR)) {
    if (e.path().extension() == ".go") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Golden, DumpsMatch) {
  const auto inputs = golden_inputs();
  ASSERT_GE(inputs.size(), 5U);
  const bool update = std::getenv("GOINSTR_UPDATE_GOLDEN") != nullptr;
  for (const fs::path& in : inputs) {
    SCOPED_TRACE(in.filename().string());
    auto f = parse_file(in);
    ASSERT_TRUE(f) << f.error().message;
    const std::string stem = in.stem().string();
    DumpOptions opt{.positions = stem.starts_with("positions"),
                    .comments = stem.starts_with("comments")};
    const std::string got = ast_dump(*f, opt);
    fs::path golden = in;
    golden.replace_extension(".golden");
    if (update) {
      std::ofstream(golden, std::ios::binary) << got;
      continue;
    }
    EXPECT_EQ(got, goinstr::testing::read_file(golden))
        << "regenerate with GOINSTR_UPDATE_GOLDEN=1 if intended";
  }
}

}  // namespace
}  // namespace goinstr::gosrc::testing
