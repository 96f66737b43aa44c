#include "messaging/member_caps.hpp"

#include <gtest/gtest.h>

namespace corphub::messaging {
namespace {

TEST(MemberCapsTest, KeepsMembersUnderTheMinuteAndHourCapsPerApp) {
  MemberCaps caps(2, 3);
  core::ManualClock clock;
  auto admit = [&](std::int64_t agentid, std::vector<std::int64_t> ids) {
    caps.Admit(agentid, ids, clock.Now());
    return ids;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(admit(1000002, {1, 2}), (V{1, 2}));
  EXPECT_EQ(admit(1000002, {1}), (V{1}));
  EXPECT_EQ(admit(1000002, {1, 2, 3}), (V{2, 3})) << "member 1 had 2 this minute";
  EXPECT_EQ(admit(1000003, {1}), (V{1})) << "another app counts on its own";
  clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(admit(1000002, {1, 2}), (V{1, 2})) << "a new minute";
  EXPECT_EQ(admit(1000002, {1, 2}), (V{})) << "both have had 3 this hour";
  clock.Advance(std::chrono::minutes(60));
  EXPECT_EQ(admit(1000002, {1, 2}), (V{1, 2})) << "a new hour";
}

}  // namespace
}  // namespace corphub::messaging
