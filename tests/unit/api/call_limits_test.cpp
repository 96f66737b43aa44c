#include "api/call_limits.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace corphub::api {
namespace {

using core::ErrorKind;

TEST(CallLimitsTest, PastAMinutesLimitTheKeyWaitsSixtySeconds) {
  core::ManualClock clock;
  CallLimits limits({3, 1000, 1000, 1000, 10}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limits.Admit(1, "10.0.0.1", "/cgi-bin/user/get").ok());
  auto over = limits.Admit(1, "10.0.0.1", "/cgi-bin/user/get");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kRateLimited);
  EXPECT_EQ(over.error().WecomCode(), 45009);
  // Another API, and another organisation, have their own counts.
  EXPECT_TRUE(limits.Admit(1, "10.0.0.1", "/cgi-bin/user/list").ok());
  EXPECT_TRUE(limits.Admit(2, "10.0.0.1", "/cgi-bin/user/get").ok());
  // The window would have turned after 60 s from the first call; the block lasts 60 s from
  // the refusal, so the call 59 s later is still refused, and one after that goes.
  clock.Advance(std::chrono::seconds(59));
  EXPECT_FALSE(limits.Admit(1, "10.0.0.1", "/cgi-bin/user/get").ok());
  clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(limits.Admit(1, "10.0.0.1", "/cgi-bin/user/get").ok());
}

TEST(CallLimitsTest, AnAddressIsCountedAcrossOrganisationsAndAnHourBlocksForAnHour) {
  core::ManualClock clock;
  CallLimits limits({1000, 1000, 1000, 4, 10}, clock);
  for (int org = 1; org <= 4; ++org) EXPECT_TRUE(limits.Admit(org, "::1", "/cgi-bin/x").ok());
  EXPECT_FALSE(limits.Admit(5, "::1", "/cgi-bin/x").ok());
  EXPECT_TRUE(limits.Admit(5, "::2", "/cgi-bin/x").ok());
  clock.Advance(std::chrono::minutes(59));
  EXPECT_FALSE(limits.Admit(5, "::1", "/cgi-bin/x").ok());
  clock.Advance(std::chrono::minutes(2));
  EXPECT_TRUE(limits.Admit(5, "::1", "/cgi-bin/x").ok());
}

TEST(CallLimitsTest, RefusedCallsDoNotCount) {
  core::ManualClock clock;
  CallLimits limits({2, 3, 1000, 1000, 10}, clock);
  EXPECT_TRUE(limits.Admit(1, "a", "/p").ok());
  EXPECT_TRUE(limits.Admit(1, "a", "/p").ok());
  EXPECT_FALSE(limits.Admit(1, "a", "/p").ok());
  clock.Advance(std::chrono::seconds(61));
  // One more is within the hour's 3; the refused one above did not use the hour's allowance.
  EXPECT_TRUE(limits.Admit(1, "a", "/p").ok());
  auto hour = limits.Admit(1, "a", "/p");
  ASSERT_FALSE(hour.ok());
  EXPECT_NE(hour.error().message.find("/h"), std::string::npos) << hour.error().message;
}

TEST(CallLimitsTest, ConcurrentCallsAreCappedPerPrincipal) {
  core::ManualClock clock;
  CallLimits limits({1000, 1000, 1000, 1000, 2}, clock);
  EXPECT_TRUE(limits.Enter("1 app:1000002").ok());
  EXPECT_TRUE(limits.Enter("1 app:1000002").ok());
  auto third = limits.Enter("1 app:1000002");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().WecomCode(), 45033);
  EXPECT_TRUE(limits.Enter("1 contacts").ok());
  limits.Leave("1 app:1000002");
  EXPECT_TRUE(limits.Enter("1 app:1000002").ok());
}

}  // namespace
}  // namespace corphub::api
