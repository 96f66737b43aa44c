#include <gtest/gtest.h>

#include "messaging/recipients.hpp"

namespace corphub::messaging {
namespace {

using V = std::vector<std::string>;

TEST(TargetsTest, ParseAndFromListsTrimDropEmptiesAndKeepEachOnce) {
  auto parsed = Targets::Parse(" a | b|a||", "2|2| 3 ", "");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->users, (V{"a", "b"}));
  EXPECT_EQ(parsed->parties, (V{"2", "3"}));
  EXPECT_TRUE(parsed->tags.empty());
  auto listed = Targets::FromLists({" a ", "b", "a", ""}, {"2", "2", "3"}, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->users, parsed->users);
  EXPECT_EQ(listed->parties, parsed->parties);
  EXPECT_FALSE(listed->everyone);
}

TEST(TargetsTest, AtAllIgnoresTheRest) {
  auto t = Targets::FromLists({"x", "@all"}, {"2"}, {"5"});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->everyone);
  EXPECT_TRUE(t->users.empty() && t->parties.empty() && t->tags.empty());
  EXPECT_FALSE(t->Empty());
}

TEST(TargetsTest, OverTheCapsIsWeComsCode) {
  V users(Targets::kMaxUsers + 1), parties(Targets::kMaxParties + 1), tags(Targets::kMaxTags + 1);
  for (std::size_t i = 0; i < users.size(); ++i) users[i] = "u" + std::to_string(i);
  for (std::size_t i = 0; i < parties.size(); ++i) parties[i] = std::to_string(i + 1);
  for (std::size_t i = 0; i < tags.size(); ++i) tags[i] = std::to_string(i + 1);
  EXPECT_EQ(Targets::FromLists(users, {}, {}).error().kind, core::ErrorKind::kInvalidUserIdList);
  EXPECT_EQ(Targets::FromLists({}, parties, {}).error().kind,
            core::ErrorKind::kInvalidDepartmentList);
  EXPECT_EQ(Targets::FromLists({}, {}, tags).error().kind, core::ErrorKind::kInvalidTagId);
  users.pop_back();
  EXPECT_TRUE(Targets::FromLists(users, {}, {}).ok());
}

}  // namespace
}  // namespace corphub::messaging
