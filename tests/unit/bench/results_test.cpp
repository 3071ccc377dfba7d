// SPDX-License-Identifier: Apache-2.0
// results.json survives a round trip, and a file from another schema version is refused.
#include <gtest/gtest.h>

#include "bench/results.hpp"

namespace goinstr::bench {
namespace {

TEST(BenchResults, RoundTrip) {
  BenchResults r;
  r.profile = "quick";
  r.machine.cores = 2;
  r.variants.push_back(
      {"baseline", "no instrumentation", false, "", {1.5}, {"none", false, false, "any", "-"}});
  r.variants.push_back({"obi", "", true, "obi not installed", {}, {}});
  RunRecord run;
  run.variant = "baseline";
  run.scenario = "hello";
  run.responses = 1000;
  run.service.cpu_user_s = 0.3;
  run.service.cpu_system_s = 0.2;
  run.agent = ProcessUsage{0.1, 0.1, 5, 4};
  run.timeline.push_back({1, 900, 0.2, 1.5, 10, 40, 12, 50});
  r.runs.push_back(run);
  auto back = results_from_json(to_json(r));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->profile, "quick");
  ASSERT_EQ(back->variants.size(), 2u);
  EXPECT_TRUE(back->variants[1].skipped);
  EXPECT_EQ(back->variants[1].skip_reason, "obi not installed");
  ASSERT_EQ(back->runs.size(), 1u);
  ASSERT_TRUE(back->runs[0].agent.has_value());
  EXPECT_FALSE(back->runs[0].collector.has_value());
  EXPECT_DOUBLE_EQ(back->runs[0].cpu_per_request_us(), 700.0);  // (0.5 + 0.2) s / 1000
  ASSERT_EQ(back->runs[0].timeline.size(), 1u);
  EXPECT_DOUBLE_EQ(back->runs[0].timeline[0].p99_ms, 1.5);
}

TEST(BenchResults, OtherSchemaVersionIsRefused) {
  auto j = to_json(BenchResults{});
  j["schema_version"] = 99;
  auto back = results_from_json(j);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("schema_version 99"), std::string::npos);
}

}  // namespace
}  // namespace goinstr::bench
