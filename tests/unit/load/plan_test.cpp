// SPDX-License-Identifier: Apache-2.0
#include "load/plan.hpp"

#include <gtest/gtest.h>

#include "load/request.hpp"

namespace goinstr::load {
namespace {

using namespace std::chrono_literals;

TEST(Durations, Parse) {
  EXPECT_EQ(*parse_duration("15s"), 15s);
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_EQ(*parse_duration("1m30s"), 90s);
  EXPECT_EQ(*parse_duration("1h"), 3600s);
  EXPECT_EQ(*parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(*parse_duration("10us"), 10us);
  EXPECT_EQ(*parse_duration("10\xC2\xB5s"), 10us);
  EXPECT_EQ(*parse_duration("3"), 3s);
  EXPECT_EQ(*parse_duration(" 2m "), 120s);
  for (const char* bad : {"", "s", "10x", "-1s", "1s2", "abc"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(Stages, ParseAndTalkProfile) {
  auto stages = parse_stages("15s:100, 30s:100,15s:0,2s:1000,2s:0");
  ASSERT_TRUE(stages.has_value());
  ASSERT_EQ(stages->size(), 5u);
  EXPECT_EQ((*stages)[3].duration, 2s);
  EXPECT_EQ((*stages)[3].target, 1000u);
  EXPECT_EQ(total_duration(*stages), 64s);
  EXPECT_EQ(max_vus(*stages), 1000u);

  auto talk = profile_stages("talk");
  ASSERT_TRUE(talk.has_value());
  ASSERT_EQ(talk->size(), stages->size());
  for (size_t i = 0; i < talk->size(); ++i) {
    EXPECT_EQ((*talk)[i].duration, (*stages)[i].duration);
    EXPECT_EQ((*talk)[i].target, (*stages)[i].target);
  }
  EXPECT_FALSE(profile_stages("nope").has_value());
  for (const char* bad : {"", "15s", "15s:", "15s:-1", "x:10", "15s:10,"}) {
    EXPECT_FALSE(parse_stages(bad).has_value()) << bad;
  }
}

TEST(Stages, LinearInterpolationLikeK6) {
  auto talk = *profile_stages("talk");
  EXPECT_EQ(vus_at(talk, 0s), 0u);
  EXPECT_DOUBLE_EQ(target_at(talk, 7500ms), 50.0);  // halfway up the first ramp
  EXPECT_EQ(vus_at(talk, 150ms), 1u);               // one more VU every 150 ms
  EXPECT_EQ(vus_at(talk, 15s), 100u);
  EXPECT_EQ(vus_at(talk, 30s), 100u);     // the steady stage
  EXPECT_EQ(vus_at(talk, 52500ms), 50u);  // halfway down
  EXPECT_EQ(vus_at(talk, 60s), 0u);
  EXPECT_EQ(vus_at(talk, 61s), 500u);  // the spike: 0 -> 1000 over 2 s
  EXPECT_EQ(vus_at(talk, 62s), 1000u);
  EXPECT_EQ(vus_at(talk, 63500ms), 250u);
  EXPECT_EQ(vus_at(talk, 64s), 0u);
  EXPECT_EQ(vus_at(talk, 100s), 0u);  // after the end: the last target
}

TEST(Stages, ZeroDurationJumps) {
  auto stages = *parse_stages("0s:10,1s:10,0s:3,1s:3");
  EXPECT_EQ(vus_at(stages, 0s), 10u);
  EXPECT_EQ(vus_at(stages, 999ms), 10u);
  EXPECT_EQ(vus_at(stages, 1s), 3u);
  EXPECT_EQ(vus_at(stages, 1500ms), 3u);
}

TEST(Plan, Validate) {
  Plan p;
  p.url = "http://127.0.0.1:1/";
  p.model = ClosedModel{*parse_stages("1s:1")};
  EXPECT_TRUE(validate(p).has_value());
  p.model = ClosedModel{*parse_stages("1s:0")};
  EXPECT_FALSE(validate(p).has_value());
  p.model = OpenModel{.rate = 100, .duration = 1s};
  EXPECT_TRUE(validate(p).has_value());
  p.model = OpenModel{.rate = 0, .duration = 1s};
  EXPECT_FALSE(validate(p).has_value());
  p.model = OpenModel{.rate = 100, .duration = 1s};
  p.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(validate(p).has_value());
  p.headers = {{"X", "a\r\nInjected: 1"}};
  EXPECT_FALSE(validate(p).has_value());
}

TEST(Url, Parse) {
  auto u = parse_url("http://127.0.0.1:18080/hello?x=1#frag");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 18080);
  EXPECT_EQ(u->target, "/hello?x=1");
  EXPECT_EQ(u->host_header, "127.0.0.1:18080");
  u = parse_url("http://example.com");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");
  u = parse_url("http://[::1]:8080/x");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->host_header, "[::1]:8080");
  for (const char* bad : {"https://x/", "ftp://x/", "http://", "http://h:0/", "http://h:99999/",
                          "http://u@h/", "http://[::1/"}) {
    EXPECT_FALSE(parse_url(bad).has_value()) << bad;
  }
}

TEST(Request, Bytes) {
  Plan p;
  p.method = "POST";
  p.headers = {{"Content-Type", "application/json"}};
  p.body = R"({"a":1})";
  auto url = *parse_url("http://h:81/log");
  EXPECT_EQ(build_request(p, url),
            "POST /log HTTP/1.1\r\nHost: h:81\r\nUser-Agent: goinstr-load/0.1\r\n"
            "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  p = Plan{};
  p.headers = {{"Host", "other"}, {"User-Agent", "me"}};
  EXPECT_EQ(build_request(p, url), "GET /log HTTP/1.1\r\nHost: other\r\nUser-Agent: me\r\n\r\n");
}

}  // namespace
}  // namespace goinstr::load
