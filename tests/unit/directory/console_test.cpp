// The console's counts and query text (directory/console_service.hpp).
#include <gtest/gtest.h>

#include "directory/console_service.hpp"

namespace corphub::directory {
namespace {

Department Dept(std::int64_t id, std::int64_t parent, std::string name) {
  Department d;
  d.id = id;
  d.parent_id = parent;
  d.name = std::move(name);
  return d;
}

std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> Counts(
    const std::vector<CountedDepartment>& out) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> m;
  for (const auto& c : out) m[c.department.id] = {c.member_count, c.total_count};
  return m;
}

// 1 ─┬─ 2 ─── 4
//    └─ 3
TEST(CountMembersTest, DirectAndSubtreeCountsCountEachMemberOnce) {
  std::vector<Department> tree = {Dept(1, 0, "root"), Dept(2, 1, "rd"), Dept(4, 2, "backend"),
                                  Dept(3, 1, "sales")};
  // Member 10 is in 2 and in 4 (one subtree): 2 and 1 count it once. Member 11 in 3 and 4.
  // Member 12 directly in the root.
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs = {
      {10, 4}, {11, 3}, {10, 2}, {11, 4}, {12, 1}};
  auto out = CountMembers(tree, pairs);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].department.id, 1);  // the order given is kept
  EXPECT_EQ(out[3].department.id, 3);
  auto c = Counts(out);
  EXPECT_EQ(c[1], std::make_pair(std::int64_t{1}, std::int64_t{3}));
  EXPECT_EQ(c[2], std::make_pair(std::int64_t{1}, std::int64_t{2}));
  EXPECT_EQ(c[4], std::make_pair(std::int64_t{2}, std::int64_t{2}));
  EXPECT_EQ(c[3], std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST(CountMembersTest, PairsOfUnknownDepartmentsAreIgnored) {
  auto out = CountMembers({Dept(1, 0, "root")}, {{1, 99}, {2, 1}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].member_count, 1);
  EXPECT_EQ(out[0].total_count, 1);
}

TEST(CountMembersTest, ACorruptCycleDoesNotHang) {
  auto out = CountMembers({Dept(2, 3, "a"), Dept(3, 2, "b")}, {{1, 2}});
  EXPECT_EQ(Counts(out)[2].second, 1);
  EXPECT_EQ(Counts(out)[3].second, 1);
}

TEST(NormaliseQueryTest, LowercasesAsciiAndDropsSpaces) {
  EXPECT_EQ(ConsoleService::NormaliseQuery("  Zhang San "), "zhangsan");
  EXPECT_EQ(ConsoleService::NormaliseQuery("张\xE3\x80\x80三"), "张三");
  EXPECT_EQ(ConsoleService::NormaliseQuery("Li.Lei@Example.COM"), "li.lei@example.com");
  EXPECT_EQ(ConsoleService::NormaliseQuery("138 0000 0001"), "13800000001");
  EXPECT_EQ(ConsoleService::NormaliseQuery(""), "");
}

}  // namespace
}  // namespace corphub::directory
