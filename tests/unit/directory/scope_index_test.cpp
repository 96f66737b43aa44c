#include "directory/scope_index.hpp"

#include <gtest/gtest.h>

namespace corphub::directory {
namespace {

// 1 ─┬─ 2 ─┬─ 4 ── 6
//    │     └─ 5
//    └─ 3 ── 7
const std::vector<std::pair<std::int64_t, std::int64_t>> kTree = {{1, 0}, {2, 1}, {3, 1}, {4, 2},
                                                                  {5, 2}, {6, 4}, {7, 3}};

Member In(std::vector<std::int64_t> departments) {
  Member m;
  for (auto d : departments) m.departments.push_back(MemberDepartment{d, 0, false});
  return m;
}

TEST(ScopeIndexTest, CoversSubtreesAndTheTagsDepartmentsAndMembers) {
  auto s = IndexScope(kTree, {4, 99}, {8}, {7});
  EXPECT_FALSE(s.everything);
  EXPECT_EQ(s.DepartmentList(), (std::vector<std::int64_t>{4, 6, 7}));
  EXPECT_TRUE(s.IsRoot(4));
  EXPECT_TRUE(s.IsRoot(7));
  EXPECT_FALSE(s.IsRoot(6));
  EXPECT_TRUE(s.IsRoot(1)) << "the root is above every scope";
  EXPECT_FALSE(s.HasDepartment(2));
  EXPECT_FALSE(s.HasDepartment(99)) << "a department that does not exist covers nothing";
  EXPECT_TRUE(s.HasMember(In({5, 6}), {}));
  EXPECT_FALSE(s.HasMember(In({5}), {}));
  EXPECT_TRUE(s.HasMember(In({5}), {8})) << "tagged with the scope's tag";
  EXPECT_TRUE(s.HasTag(8));
  EXPECT_FALSE(s.HasTag(9));
}

TEST(ScopeIndexTest, TheRootIsEverything) {
  auto s = IndexScope(kTree, {1}, {}, {});
  EXPECT_TRUE(s.everything);
  EXPECT_TRUE(s.HasMember(In({5}), {}));
  EXPECT_TRUE(s.HasTag(12));
  auto empty = IndexScope(kTree, {}, {}, {});
  EXPECT_FALSE(empty.HasDepartment(1));
  EXPECT_FALSE(empty.HasMember(In({1}), {}));
}

}  // namespace
}  // namespace corphub::directory
