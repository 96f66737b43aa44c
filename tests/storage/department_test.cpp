// Departments: the tree rules of directory::DepartmentService over every backend.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.hpp"
#include "corp/corp_service.hpp"
#include "directory/department_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using directory::Department;
using directory::DepartmentChange;
using directory::DepartmentService;
using directory::NewDepartment;

template <class R>
std::optional<ErrorKind> KindOf(const R& r) {
  if (r.ok()) return std::nullopt;
  return r.error().kind;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

NewDepartment Named(std::string name, std::int64_t parent_id,
                    std::optional<std::int64_t> id = std::nullopt, std::int64_t order = 0) {
  NewDepartment d;
  d.name = std::move(name);
  d.parent_id = parent_id;
  d.id = id;
  d.order = order;
  return d;
}

class DepartmentTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<DepartmentService>(*store_, clock_);
    auto root = departments_->EnsureRoot(org_.id, "总公司");
    ASSERT_TRUE(root.ok()) << root.error().message;
  }

  std::int64_t MustCreate(const NewDepartment& d, std::int64_t org = 0) {
    auto id = departments_->Create(actor_, org == 0 ? org_.id : org, d);
    EXPECT_TRUE(id.ok()) << d.name << ": " << id.error().message;
    return id.ok() ? *id : -1;
  }

  // A chain of `levels` departments under `parent`; returns the deepest one.
  std::int64_t Chain(std::int64_t parent, int levels, const std::string& prefix) {
    for (int i = 0; i < levels; ++i) parent = MustCreate(Named(prefix + std::to_string(i), parent));
    return parent;
  }

  std::vector<std::int64_t> ListedIds(std::optional<std::int64_t> root = std::nullopt,
                                      std::int64_t org = 0) {
    auto list = departments_->List(org == 0 ? org_.id : org, root);
    EXPECT_TRUE(list.ok()) << list.error().message;
    std::vector<std::int64_t> ids;
    if (list.ok()) {
      for (const Department& d : *list) ids.push_back(d.id);
    }
    return ids;
  }

  std::int64_t RowCount() {
    std::int64_t count = -1;
    EXPECT_TRUE(store_
                    ->ReadSql([&](Sql& sql) -> core::Status {
                      auto rows = sql.Query("SELECT COUNT(*) FROM departments");
                      if (!rows.ok()) return std::move(rows).error();
                      count = rows->at(0).GetInt64(0);
                      return core::Ok();
                    })
                    .ok());
    return count;
  }

  std::int64_t InsertOrganisation(const std::string& corpid) {
    std::int64_t id = 0;
    auto status = store_->WriteSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query(
          "INSERT INTO organisations (corpid, name, contacts_secret, is_default, created_at) "
          "VALUES (?, ?, ?, ?, ?) RETURNING id",
          {corpid, std::string("second"), std::string("secret"), BoolValue(false),
           std::int64_t{1}});
      if (!rows.ok()) return std::move(rows).error();
      id = rows->at(0).GetInt64(0);
      return core::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
    return id;
  }

  std::unique_ptr<DepartmentService> departments_;
};

TEST_P(DepartmentTest, EnsureRootMakesTheRootOnceAndKeepsIt) {
  auto root = departments_->Get(org_.id, directory::kRootDepartmentId);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->name, "总公司");
  EXPECT_EQ(root->parent_id, 0);
  EXPECT_EQ(root->org_id, org_.id);
  EXPECT_EQ(core::UnixSeconds(root->created_at), core::UnixSeconds(clock_.Now()));
  EXPECT_TRUE(root->leaders.empty());

  ASSERT_TRUE(departments_->EnsureRoot(org_.id, "another name").ok());
  EXPECT_EQ(departments_->Get(org_.id, 1)->name, "总公司");
  EXPECT_EQ(RowCount(), 1);
}

TEST_P(DepartmentTest, CreateAssignsTheNextIdAfterTheLargest) {
  NewDepartment first = Named("研发部", 1, std::nullopt, 7);
  first.name_en = "R&D";
  EXPECT_EQ(MustCreate(first), 2);
  EXPECT_EQ(MustCreate(Named("市场部", 1)), 3);
  EXPECT_EQ(MustCreate(Named("Sales", 1, 10)), 10);
  EXPECT_EQ(MustCreate(Named("Support", 10)), 11);
  EXPECT_EQ(MustCreate(Named("Legal", 1, 5)), 5);
  EXPECT_EQ(MustCreate(Named("HR", 1)), 12);

  auto got = departments_->Get(org_.id, 2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "研发部");
  EXPECT_EQ(got->name_en, "R&D");
  EXPECT_EQ(got->parent_id, 1);
  EXPECT_EQ(got->order, 7);
  EXPECT_EQ(core::UnixSeconds(got->created_at), core::UnixSeconds(clock_.Now()));
  EXPECT_EQ(departments_->Get(org_.id, 11)->parent_id, 10);
}

TEST_P(DepartmentTest, CreateRefusesBadOrTakenIds) {
  MustCreate(Named("A", 1, 7));
  for (std::int64_t id : {1, 0, -3}) {
    auto r = departments_->Create(actor_, org_.id, Named("B", 1, id));
    EXPECT_EQ(KindOf(r), ErrorKind::kInvalidDepartmentId) << id;
  }
  auto taken = departments_->Create(actor_, org_.id, Named("B", 1, 7));
  EXPECT_EQ(KindOf(taken), ErrorKind::kDepartmentExists);
  EXPECT_NE(taken.error().message.find("7"), std::string::npos) << taken.error().message;
  EXPECT_EQ(taken.error().WecomCode(), 60008);
  EXPECT_EQ(RowCount(), 2);
}

TEST_P(DepartmentTest, CreateNeedsAnExistingParent) {
  for (std::int64_t parent : {0, -1, 99}) {
    auto r = departments_->Create(actor_, org_.id, Named("A", parent));
    EXPECT_EQ(KindOf(r), ErrorKind::kParentNotFound) << parent;
  }
  auto r = departments_->Create(actor_, org_.id, Named("A", 99));
  EXPECT_EQ(r.error().message, "parent department 99 not found");
  EXPECT_EQ(r.error().WecomCode(), 60004);
  EXPECT_EQ(RowCount(), 1);
}

TEST_P(DepartmentTest, NamesAreLimitedTo64CharactersNotBytes) {
  const std::string chinese64 = Repeat("部", 64);  // 192 bytes
  std::int64_t id = MustCreate(Named(chinese64, 1));
  EXPECT_EQ(departments_->Get(org_.id, id)->name, chinese64);
  MustCreate(Named(Repeat("a", 64), 1));
  MustCreate(Named(Repeat("😀", 64), 1));  // four bytes each

  for (const std::string& name : {Repeat("部", 65), Repeat("a", 65), std::string()}) {
    auto r = departments_->Create(actor_, org_.id, Named(name, 1));
    EXPECT_EQ(KindOf(r), ErrorKind::kDepartmentNameLength) << name;
  }
  auto update =
      departments_->Update(actor_, org_.id, DepartmentChange{id, Repeat("部", 65), {}, {}, {}});
  EXPECT_EQ(KindOf(update), ErrorKind::kDepartmentNameLength);
  EXPECT_EQ(update.error().WecomCode(), 60001);
  NewDepartment long_en = Named("ok", 1);
  long_en.name_en = Repeat("e", 65);
  EXPECT_EQ(KindOf(departments_->Create(actor_, org_.id, long_en)),
            ErrorKind::kDepartmentNameLength);
  EXPECT_EQ(RowCount(), 4);
}

TEST_P(DepartmentTest, NamesRefuseWecomsIllegalCharacters) {
  for (char c : std::string("\\:*?\"<>|")) {
    auto r = departments_->Create(actor_, org_.id, Named(std::string("研发") + c + "部", 1));
    EXPECT_EQ(KindOf(r), ErrorKind::kDepartmentNameChars) << c;
    auto u = departments_->Update(actor_, org_.id,
                                  DepartmentChange{1, std::string("a") + c, {}, {}, {}});
    EXPECT_EQ(KindOf(u), ErrorKind::kDepartmentNameChars) << c;
  }
  auto invalid_utf8 = departments_->Create(actor_, org_.id, Named("\xe7\xa0", 1));
  EXPECT_EQ(KindOf(invalid_utf8), ErrorKind::kDepartmentNameChars);
  MustCreate(Named("R&D (Beijing) - 北京/研发.", 1));
  EXPECT_EQ(departments_->Get(org_.id, 1)->name, "总公司");
  EXPECT_EQ(RowCount(), 2);
}

TEST_P(DepartmentTest, SiblingsCannotShareAName) {
  std::int64_t a = MustCreate(Named("研发部", 1));
  auto again = departments_->Create(actor_, org_.id, Named("研发部", 1));
  EXPECT_EQ(KindOf(again), ErrorKind::kDepartmentExists);
  EXPECT_NE(again.error().message.find("a sibling department is already named \"研发部\""),
            std::string::npos)
      << again.error().message;
  // The same name elsewhere in the tree is fine, and so is another name among the siblings.
  MustCreate(Named("研发部", a));
  MustCreate(Named("研发二部", 1));
  EXPECT_EQ(RowCount(), 4);
}

TEST_P(DepartmentTest, TheTreeIsAtMostFifteenLevelsDeep) {
  std::int64_t level15 = Chain(1, DepartmentService::kMaxDepth - 1, "L");
  auto too_deep = departments_->Create(actor_, org_.id, Named("L16", level15));
  EXPECT_EQ(KindOf(too_deep), ErrorKind::kInvalidParameter);
  EXPECT_NE(too_deep.error().message.find("15 levels"), std::string::npos)
      << too_deep.error().message;
  EXPECT_EQ(RowCount(), DepartmentService::kMaxDepth);
}

TEST_P(DepartmentTest, OrderIsAnUnsigned32BitNumber) {
  const std::int64_t max = 4294967295;
  std::int64_t id = MustCreate(Named("A", 1, std::nullopt, max));
  EXPECT_EQ(departments_->Get(org_.id, id)->order, max);
  for (std::int64_t order : {std::int64_t{-1}, max + 1}) {
    EXPECT_EQ(KindOf(departments_->Create(actor_, org_.id, Named("B", 1, std::nullopt, order))),
              ErrorKind::kInvalidParameter);
    EXPECT_EQ(
        KindOf(departments_->Update(actor_, org_.id, DepartmentChange{id, {}, {}, {}, order})),
        ErrorKind::kInvalidParameter);
  }
  EXPECT_EQ(departments_->Get(org_.id, id)->order, max);
}

TEST_P(DepartmentTest, UpdateChangesOnlyTheFieldsGiven) {
  NewDepartment input = Named("研发部", 1, std::nullopt, 3);
  input.name_en = "R&D";
  std::int64_t id = MustCreate(input);
  clock_.Advance(std::chrono::seconds(60));

  ASSERT_TRUE(departments_->Update(actor_, org_.id, DepartmentChange{id, {}, {}, {}, 9}).ok());
  auto got = departments_->Get(org_.id, id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "研发部");
  EXPECT_EQ(got->name_en, "R&D");
  EXPECT_EQ(got->parent_id, 1);
  EXPECT_EQ(got->order, 9);
  EXPECT_EQ(core::UnixSeconds(got->updated_at), core::UnixSeconds(clock_.Now()));
  EXPECT_EQ(core::UnixSeconds(got->created_at), core::UnixSeconds(clock_.Now()) - 60);

  ASSERT_TRUE(
      departments_->Update(actor_, org_.id, DepartmentChange{id, "产品部", "Product", {}, {}})
          .ok());
  got = departments_->Get(org_.id, id);
  EXPECT_EQ(got->name, "产品部");
  EXPECT_EQ(got->name_en, "Product");
  EXPECT_EQ(got->order, 9);
  // Its own name again is not a clash with itself.
  EXPECT_TRUE(
      departments_->Update(actor_, org_.id, DepartmentChange{id, "产品部", {}, 1, {}}).ok());

  auto missing = departments_->Update(actor_, org_.id, DepartmentChange{7, "x", {}, {}, {}});
  EXPECT_EQ(KindOf(missing), ErrorKind::kDepartmentNotFound);
  EXPECT_EQ(missing.error().message, "department 7 not found");
}

TEST_P(DepartmentTest, TheRootCanBeRenamedButNotMoved) {
  std::int64_t child = MustCreate(Named("A", 1));
  ASSERT_TRUE(departments_->Update(actor_, org_.id, DepartmentChange{1, "新名字", {}, 0, {}}).ok());
  EXPECT_EQ(departments_->Get(org_.id, 1)->name, "新名字");
  auto moved = departments_->Update(actor_, org_.id, DepartmentChange{1, {}, {}, child, {}});
  EXPECT_EQ(KindOf(moved), ErrorKind::kInvalidParameter);
  EXPECT_EQ(departments_->Get(org_.id, 1)->parent_id, 0);
}

TEST_P(DepartmentTest, MovingCarriesTheSubtreeAndRefusesCycles) {
  std::int64_t a = MustCreate(Named("A", 1));
  std::int64_t a1 = MustCreate(Named("A1", a));
  std::int64_t a11 = MustCreate(Named("A11", a1));
  std::int64_t b = MustCreate(Named("B", 1));

  for (std::int64_t under : {a, a1, a11}) {
    auto r = departments_->Update(actor_, org_.id, DepartmentChange{a, {}, {}, under, {}});
    EXPECT_EQ(KindOf(r), ErrorKind::kDepartmentCycle) << under;
    EXPECT_EQ(r.error().WecomCode(), 60010);
  }
  for (std::int64_t under : {std::int64_t{0}, std::int64_t{-2}, std::int64_t{99}}) {
    auto r = departments_->Update(actor_, org_.id, DepartmentChange{a, {}, {}, under, {}});
    EXPECT_EQ(KindOf(r), ErrorKind::kParentNotFound) << under;
  }
  EXPECT_EQ(departments_->Get(org_.id, a)->parent_id, 1);

  ASSERT_TRUE(departments_->Update(actor_, org_.id, DepartmentChange{a, {}, {}, b, {}}).ok());
  EXPECT_EQ(departments_->Get(org_.id, a)->parent_id, b);
  EXPECT_EQ(ListedIds(b), (std::vector<std::int64_t>{b, a, a1, a11}));
  // b is now above a11, so b under a11 is a cycle too.
  EXPECT_EQ(KindOf(departments_->Update(actor_, org_.id, DepartmentChange{b, {}, {}, a11, {}})),
            ErrorKind::kDepartmentCycle);
}

TEST_P(DepartmentTest, AMovedSubtreeMustStayWithinFifteenLevels) {
  std::int64_t top = MustCreate(Named("top", 1));  // level 2
  Chain(top, 2, "sub");                            // levels 3, 4: subtree height 3
  std::int64_t level13 = Chain(1, 12, "deep");     // levels 2..13
  // Under level 13 the subtree would reach level 16; under level 12 exactly 15.
  auto too_deep = departments_->Update(actor_, org_.id, DepartmentChange{top, {}, {}, level13, {}});
  EXPECT_EQ(KindOf(too_deep), ErrorKind::kInvalidParameter);
  EXPECT_EQ(departments_->Get(org_.id, top)->parent_id, 1);
  auto level12 = departments_->Get(org_.id, level13)->parent_id;
  ASSERT_TRUE(
      departments_->Update(actor_, org_.id, DepartmentChange{top, {}, {}, level12, {}}).ok());
  EXPECT_EQ(departments_->Get(org_.id, top)->parent_id, level12);
}

TEST_P(DepartmentTest, AMoveOrRenameMustNotClashWithTheNewSiblings) {
  std::int64_t a = MustCreate(Named("A", 1));
  std::int64_t b = MustCreate(Named("B", 1));
  std::int64_t same = MustCreate(Named("同名", a));
  MustCreate(Named("同名", b));

  auto move = departments_->Update(actor_, org_.id, DepartmentChange{same, {}, {}, b, {}});
  EXPECT_EQ(KindOf(move), ErrorKind::kDepartmentExists);
  auto rename = departments_->Update(actor_, org_.id, DepartmentChange{b, "A", {}, {}, {}});
  EXPECT_EQ(KindOf(rename), ErrorKind::kDepartmentExists);
  // A move and a rename together are checked against the new parent with the new name, and
  // when refused, nothing of the change is written.
  auto clash = departments_->Update(actor_, org_.id, DepartmentChange{same, "同名", "x", b, 5});
  EXPECT_EQ(KindOf(clash), ErrorKind::kDepartmentExists);
  auto kept = departments_->Get(org_.id, same);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->parent_id, a);
  EXPECT_EQ(kept->name_en, "");
  EXPECT_EQ(kept->order, 0);
  ASSERT_TRUE(
      departments_->Update(actor_, org_.id, DepartmentChange{same, "改名", {}, b, {}}).ok());
  EXPECT_EQ(departments_->Get(org_.id, same)->parent_id, b);
}

TEST_P(DepartmentTest, DeleteRefusesTheRootUnknownIdsAndDepartmentsWithChildren) {
  std::int64_t a = MustCreate(Named("A", 1));
  std::int64_t a1 = MustCreate(Named("A1", a));

  auto root = departments_->Delete(actor_, org_.id, 1);
  EXPECT_EQ(KindOf(root), ErrorKind::kCannotDeleteRoot);
  EXPECT_EQ(root.error().WecomCode(), 60007);
  EXPECT_EQ(KindOf(departments_->Delete(actor_, org_.id, 42)), ErrorKind::kDepartmentNotFound);
  auto parent = departments_->Delete(actor_, org_.id, a);
  EXPECT_EQ(KindOf(parent), ErrorKind::kDepartmentHasChildren);
  EXPECT_EQ(parent.error().WecomCode(), 60006);
  EXPECT_EQ(RowCount(), 3);

  ASSERT_TRUE(departments_->Delete(actor_, org_.id, a1).ok());
  EXPECT_EQ(KindOf(departments_->Get(org_.id, a1)), ErrorKind::kDepartmentNotFound);
  ASSERT_TRUE(departments_->Delete(actor_, org_.id, a).ok());
  EXPECT_EQ(KindOf(departments_->Delete(actor_, org_.id, a)), ErrorKind::kDepartmentNotFound);
  EXPECT_EQ(ListedIds(), (std::vector<std::int64_t>{1}));
}

TEST_P(DepartmentTest, ListIsInTreeOrderWithLargerOrderFirst) {
  std::int64_t low = MustCreate(Named("low", 1, std::nullopt, 1));      // 2
  std::int64_t high = MustCreate(Named("high", 1, std::nullopt, 100));  // 3
  std::int64_t tie_a = MustCreate(Named("tie a", 1, 20, 50));           // 20
  std::int64_t tie_b = MustCreate(Named("tie b", 1, 9, 50));            // 9
  std::int64_t high_1 = MustCreate(Named("h1", high, std::nullopt, 0));
  std::int64_t high_2 = MustCreate(Named("h2", high, std::nullopt, 5));
  std::int64_t high_2_x = MustCreate(Named("h2x", high_2));
  std::int64_t low_1 = MustCreate(Named("l1", low));

  EXPECT_EQ(ListedIds(), (std::vector<std::int64_t>{1, high, high_2, high_2_x, high_1, tie_b, tie_a,
                                                    low, low_1}));
  EXPECT_EQ(ListedIds(high), (std::vector<std::int64_t>{high, high_2, high_2_x, high_1}));
  EXPECT_EQ(ListedIds(low_1), (std::vector<std::int64_t>{low_1}));

  auto full = departments_->List(org_.id, std::nullopt);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->at(1).name, "high");
  EXPECT_EQ(full->at(1).order, 100);
  EXPECT_EQ(full->at(2).parent_id, high);

  auto unknown = departments_->List(org_.id, 77);
  EXPECT_EQ(KindOf(unknown), ErrorKind::kDepartmentNotFound);
  EXPECT_EQ(unknown.error().message, "department 77 not found");

  // Reordering moves the sibling's whole subtree.
  ASSERT_TRUE(departments_->Update(actor_, org_.id, DepartmentChange{low, {}, {}, {}, 1000}).ok());
  EXPECT_EQ(ListedIds(), (std::vector<std::int64_t>{1, low, low_1, high, high_2, high_2_x, high_1,
                                                    tie_b, tie_a}));
}

TEST_P(DepartmentTest, OrganisationsDoNotSeeEachOthersDepartments) {
  std::int64_t mine = MustCreate(Named("研发部", 1));  // 2
  MustCreate(Named("市场部", 1));                      // 3
  std::int64_t other = InsertOrganisation("wwsecondorg");
  ASSERT_GT(other, 0);
  ASSERT_NE(other, org_.id);

  EXPECT_EQ(KindOf(departments_->Create(actor_, other, Named("A", 1))),
            ErrorKind::kParentNotFound);  // it has no root yet
  EXPECT_TRUE(ListedIds(std::nullopt, other).empty());
  ASSERT_TRUE(departments_->EnsureRoot(other, "second").ok());
  EXPECT_EQ(departments_->Get(org_.id, 1)->name, "总公司");
  EXPECT_EQ(departments_->Get(other, 1)->name, "second");

  // The same name and the id sequence are per organisation.
  EXPECT_EQ(MustCreate(Named("研发部", 1), other), 2);
  EXPECT_EQ(MustCreate(Named("Other only", 1, 3), other), 3);
  EXPECT_EQ(ListedIds(std::nullopt, other), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(departments_->Get(other, 3)->name, "Other only");
  EXPECT_EQ(departments_->Get(org_.id, 3)->name, "市场部");

  ASSERT_TRUE(departments_->Delete(actor_, other, 3).ok());
  EXPECT_TRUE(departments_->Get(org_.id, 3).ok());
  ASSERT_TRUE(departments_->Update(actor_, other, DepartmentChange{mine, "改了", {}, {}, {}}).ok());
  EXPECT_EQ(departments_->Get(org_.id, mine)->name, "研发部");
  EXPECT_EQ(KindOf(departments_->Get(other, 3)), ErrorKind::kDepartmentNotFound);
  EXPECT_EQ(ListedIds(), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_P(DepartmentTest, ConcurrentCreatesGetDistinctIds) {
  constexpr int kWriters = 4;
  constexpr int kEach = 5;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kWriters; ++i) {
    stores.push_back(OpenStore());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<std::vector<std::int64_t>> made(kWriters);
  std::vector<std::string> failures(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      DepartmentService service(*stores[w], clock_);
      for (int k = 0; k < kEach; ++k) {
        auto id = service.Create(actor_, org_.id,
                                 Named("w" + std::to_string(w) + "-" + std::to_string(k), 1));
        if (id.ok()) {
          made[w].push_back(*id);
        } else {
          failures[w] = id.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::int64_t> ids;
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(failures[w], "") << "writer " << w;
    ids.insert(made[w].begin(), made[w].end());
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kWriters * kEach));
  EXPECT_EQ(RowCount(), kWriters * kEach + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DepartmentTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
