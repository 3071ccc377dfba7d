// SPDX-License-Identifier: Apache-2.0
// Placeholder until the report module lands: write_reports reports that it is missing.
#include "bench/report.hpp"

namespace goinstr::bench {

Result<> write_reports(const BenchResults&, const std::filesystem::path&) {
  return fail("reports are not implemented yet");
}

}  // namespace goinstr::bench
