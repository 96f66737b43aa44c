// Tags: directory::TagService over every backend (docs/wecom-api.md, "Tags").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "directory/department_service.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using directory::DepartmentService;
using directory::DirectoryUnit;
using directory::MemberChange;
using directory::MemberLimits;
using directory::MemberService;
using directory::NewDepartment;
using directory::NewMember;
using directory::TagDetail;
using directory::TagService;
using directory::TagTargetsResult;
using ::testing::HasSubstr;

using Ids = std::vector<std::int64_t>;
using Names = std::vector<std::string>;

template <class R>
std::optional<ErrorKind> KindOf(const R& r) {
  if (r.ok()) return std::nullopt;
  return r.error().kind;
}

template <class R>
std::string MessageOf(const R& r) {
  return r.ok() ? std::string("ok") : r.error().message;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class TagTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<DepartmentService>(*store_, clock_);
    members_ = std::make_unique<MemberService>(*store_, clock_, ids_, MemberLimits{});
    tags_ = std::make_unique<TagService>(*store_, clock_);
    ASSERT_TRUE(departments_->EnsureRoot(org_.id, "总公司").ok());
    rd_ = MustCreateDepartment("研发部");     // 2
    sales_ = MustCreateDepartment("市场部");  // 3
    for (const char* u : {"ZhangSan", "lisi", "wangwu"}) {
      NewMember m;
      m.userid = u;
      m.fields.name = std::string(u) + " 的名字";
      m.fields.departments = Ids{rd_};
      m.fields.email = std::string(u) + "@example.com";
      auto s = members_->Create(actor_, org_.id, m);
      ASSERT_TRUE(s.ok()) << s.error().message;
    }
  }

  core::Transactor<DirectoryUnit>& Directory() { return *store_; }

  std::int64_t MustCreateDepartment(const std::string& name) {
    NewDepartment d;
    d.name = name;
    d.parent_id = 1;
    auto id = departments_->Create(actor_, org_.id, d);
    EXPECT_TRUE(id.ok()) << MessageOf(id);
    return id.ok() ? *id : -1;
  }
  std::int64_t MustCreateTag(const std::string& name,
                             std::optional<std::int64_t> id = std::nullopt) {
    auto made = tags_->Create(actor_, org_.id, name, id);
    EXPECT_TRUE(made.ok()) << name << ": " << MessageOf(made);
    return made.ok() ? *made : -1;
  }
  TagDetail MustGet(std::int64_t id) {
    auto t = tags_->Get(org_.id, id);
    EXPECT_TRUE(t.ok()) << id << ": " << MessageOf(t);
    return t.ok() ? *t : TagDetail{};
  }
  Names UsersOf(std::int64_t id) {
    Names out;
    for (const auto& m : MustGet(id).members) out.push_back(m.userid);
    return out;
  }
  Ids DepartmentsOf(std::int64_t id) { return MustGet(id).departments; }
  std::vector<std::pair<std::int64_t, std::string>> Listed() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto list = tags_->List(org_.id);
    EXPECT_TRUE(list.ok()) << MessageOf(list);
    if (list.ok()) {
      for (const auto& t : *list) out.emplace_back(t.id, t.name);
    }
    return out;
  }

  std::vector<directory::ContactEvent> EventsAfter(std::int64_t seq) {
    std::vector<directory::ContactEvent> out;
    auto s = Directory().Read([&](DirectoryUnit& unit) -> core::Status {
      auto events = unit.ContactEvents().After(org_.id, seq, 1000);
      if (!events) return std::move(events).error();
      out = std::move(*events);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok()) << MessageOf(s);
    return out;
  }
  std::int64_t LastSeq() {
    auto all = EventsAfter(0);
    return all.empty() ? 0 : all.back().seq;
  }
  std::int64_t AuditCount() {
    std::int64_t count = -1;
    auto s = store_->ReadSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query("SELECT COUNT(*) FROM audit_log WHERE org_id = ?", {org_.id});
      if (!rows.ok()) return std::move(rows).error();
      count = rows->at(0).GetInt64(0);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok()) << MessageOf(s);
    return count;
  }
  Names LastAudit() {
    Names out;
    auto s = store_->ReadSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query(
          "SELECT actor, address, action, target FROM audit_log WHERE org_id = ? ORDER BY id "
          "DESC LIMIT 1",
          {org_.id});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->empty()) return core::Ok();
      for (std::size_t i = 0; i < 4; ++i) out.push_back(rows->at(0).GetString(i));
      return core::Ok();
    });
    EXPECT_TRUE(s.ok()) << MessageOf(s);
    return out;
  }

  // Every tag with its members and departments, and where the logs stand.
  std::string Snapshot() {
    std::string s;
    for (const auto& [id, name] : Listed()) {
      s += std::to_string(id) + " " + name + ":";
      TagDetail d = MustGet(id);
      for (const auto& m : d.members) s += m.userid + ",";
      s += "|";
      for (std::int64_t dep : d.departments) s += std::to_string(dep) + ",";
      s += "\n";
    }
    s += "events " + std::to_string(LastSeq()) + " audits " + std::to_string(AuditCount());
    return s;
  }
  template <class F>
  void ExpectRefused(ErrorKind kind, F&& call, const std::string& what) {
    const std::string before = Snapshot();
    auto r = call();
    EXPECT_EQ(KindOf(r), kind) << what << ": " << MessageOf(r);
    EXPECT_EQ(Snapshot(), before) << what;
  }

  std::unique_ptr<DepartmentService> departments_;
  std::unique_ptr<MemberService> members_;
  std::unique_ptr<TagService> tags_;
  std::int64_t rd_ = 0;
  std::int64_t sales_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Create, rename, delete

TEST_P(TagTest, CreateTakesTheNextIdOrTheOneGiven) {
  const std::int64_t audits = AuditCount();
  EXPECT_EQ(MustCreateTag("研发"), 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "tag.create", "1"}));
  EXPECT_EQ(MustCreateTag("市场"), 2);
  EXPECT_EQ(MustCreateTag("指定", 10), 10);
  EXPECT_EQ(MustCreateTag("指定之前", 5), 5);
  const std::int64_t next = MustCreateTag("自动");
  EXPECT_GT(next, 0);
  for (std::int64_t taken : {1, 2, 5, 10}) EXPECT_NE(next, taken);
  EXPECT_EQ(next, 11);
  EXPECT_EQ(AuditCount() - audits, 5);

  EXPECT_EQ(Listed(), (std::vector<std::pair<std::int64_t, std::string>>{
                          {1, "研发"}, {2, "市场"}, {5, "指定之前"}, {10, "指定"}, {11, "自动"}}));
  TagDetail t = MustGet(10);
  EXPECT_EQ(t.tag.name, "指定");
  EXPECT_EQ(t.tag.org_id, org_.id);
  EXPECT_TRUE(t.members.empty());
  EXPECT_TRUE(t.departments.empty());
}

TEST_P(TagTest, CreateRefusesBadOrTakenIdsAndNames) {
  MustCreateTag("研发", 3);
  auto create = [&](std::string name, std::optional<std::int64_t> id) {
    return [this, name, id] { return tags_->Create(actor_, org_.id, name, id); };
  };
  ExpectRefused(ErrorKind::kInvalidTagId, create("新", 3), "id taken");
  ExpectRefused(ErrorKind::kInvalidTagId, create("新", 0), "id 0");
  ExpectRefused(ErrorKind::kInvalidTagId, create("新", -2), "negative id");
  ExpectRefused(ErrorKind::kTagNameExists, create("研发", std::nullopt), "name taken");
  ExpectRefused(ErrorKind::kTagNameExists, create("研发", 9), "name taken, with an id");
  ExpectRefused(ErrorKind::kTagNameLength, create("", std::nullopt), "empty name");
  ExpectRefused(ErrorKind::kTagNameLength, create(Repeat("标", 33), std::nullopt), "33 chars");
  ExpectRefused(ErrorKind::kTagNameLength, create(Repeat("a", 33), std::nullopt), "33 ASCII");
  ExpectRefused(ErrorKind::kTagNameLength, create("\xe6\xa0", std::nullopt), "invalid UTF-8");
  EXPECT_EQ(tags_->Create(actor_, org_.id, "研发", std::nullopt).error().WecomCode(), 40071);
  EXPECT_EQ(tags_->Create(actor_, org_.id, "x", 3).error().WecomCode(), 40068);
  EXPECT_EQ(tags_->Create(actor_, org_.id, "", std::nullopt).error().WecomCode(), 40072);

  // 32 characters, however many bytes.
  const std::int64_t chinese = MustCreateTag(Repeat("标", 32));
  EXPECT_EQ(MustGet(chinese).tag.name, Repeat("标", 32));
  MustCreateTag(Repeat("😀", 32));
  MustCreateTag(Repeat("a", 32));
  EXPECT_EQ(Listed().size(), 4u);
}

TEST_P(TagTest, RenameChecksTheNameAndTheTag) {
  const std::int64_t a = MustCreateTag("甲");
  const std::int64_t b = MustCreateTag("乙");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, a, {"lisi"}, {rd_}).ok());
  clock_.Advance(std::chrono::seconds(10));

  const std::int64_t audits = AuditCount();
  ASSERT_TRUE(tags_->Rename(actor_, org_.id, a, "丙").ok());
  EXPECT_EQ(AuditCount() - audits, 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "tag.update", std::to_string(a)}));
  TagDetail t = MustGet(a);
  EXPECT_EQ(t.tag.name, "丙");
  EXPECT_EQ(core::UnixSeconds(t.tag.updated_at), core::UnixSeconds(clock_.Now()));
  EXPECT_EQ(UsersOf(a), (Names{"lisi"}));
  EXPECT_EQ(DepartmentsOf(a), (Ids{rd_}));
  // The old name is free; its own name again is fine.
  MustCreateTag("甲");
  ASSERT_TRUE(tags_->Rename(actor_, org_.id, a, "丙").ok());

  auto rename = [&](std::int64_t id, std::string name) {
    return [this, id, name] { return tags_->Rename(actor_, org_.id, id, name); };
  };
  ExpectRefused(ErrorKind::kTagNameExists, rename(a, "乙"), "another tag's name");
  ExpectRefused(ErrorKind::kInvalidTagId, rename(99, "丁"), "unknown tag");
  ExpectRefused(ErrorKind::kTagNameLength, rename(b, ""), "empty name");
  ExpectRefused(ErrorKind::kTagNameLength, rename(b, Repeat("名", 33)), "33 characters");
  ASSERT_TRUE(tags_->Rename(actor_, org_.id, b, Repeat("名", 32)).ok());
}

TEST_P(TagTest, DeleteRemovesTheTagAndItsMemberships) {
  const std::int64_t a = MustCreateTag("甲");
  const std::int64_t b = MustCreateTag("乙");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, a, {"lisi", "wangwu"}, {rd_, sales_}).ok());
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, b, {"lisi"}, {rd_}).ok());

  const std::int64_t audits = AuditCount();
  ASSERT_TRUE(tags_->Delete(actor_, org_.id, a).ok());
  EXPECT_EQ(AuditCount() - audits, 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "tag.delete", std::to_string(a)}));
  EXPECT_EQ(KindOf(tags_->Get(org_.id, a)), ErrorKind::kInvalidTagId);
  EXPECT_EQ(Listed(), (std::vector<std::pair<std::int64_t, std::string>>{{b, "乙"}}));
  EXPECT_EQ(UsersOf(b), (Names{"lisi"}));
  EXPECT_EQ(DepartmentsOf(b), (Ids{rd_}));
  ExpectRefused(
      ErrorKind::kInvalidTagId, [&] { return tags_->Delete(actor_, org_.id, a); }, "twice");
  EXPECT_EQ(tags_->Delete(actor_, org_.id, a).error().WecomCode(), 40068);

  // The same id and name again start empty.
  EXPECT_EQ(MustCreateTag("甲", a), a);
  EXPECT_TRUE(UsersOf(a).empty());
  EXPECT_TRUE(DepartmentsOf(a).empty());
}

// ---------------------------------------------------------------------------------------------
// Targets

TEST_P(TagTest, AddTargetsTagsTheValidOnesAndReportsTheRest) {
  const std::int64_t t = MustCreateTag("甲");
  const std::int64_t seq = LastSeq();
  const std::int64_t audits = AuditCount();
  auto added = tags_->AddTargets(actor_, org_.id, t, {"wangwu", "ghost", "ZHANGSAN", "nobody"},
                                 {sales_, 99, rd_, -1});
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->invalid_users, (Names{"ghost", "nobody"}));
  EXPECT_EQ(added->invalid_departments, (Ids{99, -1}));
  // Members by creation, with their own spelling; departments by id.
  EXPECT_EQ(UsersOf(t), (Names{"ZhangSan", "wangwu"}));
  EXPECT_EQ(DepartmentsOf(t), (Ids{rd_, sales_}));
  auto events = EventsAfter(seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change_type, "update_tag");
  EXPECT_THAT(events[0].detail_json, HasSubstr("\"TagId\":" + std::to_string(t)));
  EXPECT_THAT(events[0].detail_json, HasSubstr("ZhangSan"));
  EXPECT_EQ(AuditCount() - audits, 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "tag.add_targets", std::to_string(t)}));

  // Adding those already tagged is no error, and tags nobody twice.
  auto again = tags_->AddTargets(actor_, org_.id, t, {"zhangsan", "wangwu"}, {rd_});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->invalid_users.empty());
  EXPECT_TRUE(again->invalid_departments.empty());
  EXPECT_EQ(UsersOf(t), (Names{"ZhangSan", "wangwu"}));
  EXPECT_EQ(DepartmentsOf(t), (Ids{rd_, sales_}));
  // Only departments, or only members, is fine.
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, t, {"lisi"}, {}).ok());
  EXPECT_EQ(UsersOf(t), (Names{"ZhangSan", "lisi", "wangwu"}));
  const std::int64_t more = MustCreateDepartment("新部门");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, t, {}, {more}).ok());
  EXPECT_EQ(DepartmentsOf(t), (Ids{rd_, sales_, more}));
}

TEST_P(TagTest, AddTargetsRefusals) {
  const std::int64_t t = MustCreateTag("甲");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, t, {"lisi"}, {}).ok());
  auto add = [&](std::int64_t id, Names users, Ids depts) {
    return
        [this, id, users, depts] { return tags_->AddTargets(actor_, org_.id, id, users, depts); };
  };
  ExpectRefused(ErrorKind::kAllTargetsInvalid, add(t, {"ghost"}, {99}), "none valid");
  ExpectRefused(ErrorKind::kAllTargetsInvalid, add(t, {"ghost", ""}, {}), "no valid user");
  ExpectRefused(ErrorKind::kInvalidParameter, add(t, {}, {}), "both empty");
  ExpectRefused(ErrorKind::kInvalidTagId, add(42, {"lisi"}, {rd_}), "unknown tag");
  ExpectRefused(ErrorKind::kInvalidUserIdList, add(t, Names(1001, "lisi"), {}), "1001 users");
  ExpectRefused(ErrorKind::kInvalidDepartmentList, add(t, {}, Ids(101, rd_)), "101 departments");
  EXPECT_EQ(tags_->AddTargets(actor_, org_.id, t, {"ghost"}, {}).error().WecomCode(), 40070);
  EXPECT_EQ(tags_->AddTargets(actor_, org_.id, t, {}, {}).error().WecomCode(), 40058);
  EXPECT_EQ(tags_->AddTargets(actor_, org_.id, t, Names(1001, "x"), {}).error().WecomCode(), 40031);
  EXPECT_EQ(tags_->AddTargets(actor_, org_.id, t, {}, Ids(101, 1)).error().WecomCode(), 40066);

  // The caps themselves are allowed.
  Names thousand(999, "ghost");
  thousand.push_back("wangwu");
  auto users = tags_->AddTargets(actor_, org_.id, t, thousand, {});
  ASSERT_TRUE(users.ok()) << users.error().message;
  Ids hundred(99, 77);
  hundred.push_back(rd_);
  auto depts = tags_->AddTargets(actor_, org_.id, t, {}, hundred);
  ASSERT_TRUE(depts.ok()) << depts.error().message;
  EXPECT_EQ(UsersOf(t), (Names{"lisi", "wangwu"}));
  EXPECT_EQ(DepartmentsOf(t), (Ids{rd_}));
}

TEST_P(TagTest, RemoveTargetsReportsThoseNotTagged) {
  const std::int64_t t = MustCreateTag("甲");
  const std::int64_t other = MustCreateTag("乙");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, t, {"zhangsan", "lisi"}, {rd_}).ok());
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, other, {"wangwu"}, {sales_}).ok());

  const std::int64_t seq = LastSeq();
  const std::int64_t audits = AuditCount();
  auto removed =
      tags_->RemoveTargets(actor_, org_.id, t, {"LISI", "wangwu", "ghost"}, {sales_, rd_, 99});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(removed->invalid_users, (Names{"wangwu", "ghost"}));
  EXPECT_EQ(removed->invalid_departments, (Ids{sales_, 99}));
  EXPECT_EQ(UsersOf(t), (Names{"ZhangSan"}));
  EXPECT_TRUE(DepartmentsOf(t).empty());
  EXPECT_EQ(UsersOf(other), (Names{"wangwu"}));
  EXPECT_EQ(DepartmentsOf(other), (Ids{sales_}));
  auto events = EventsAfter(seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change_type, "update_tag");
  EXPECT_THAT(events[0].detail_json, HasSubstr("\"TagId\":" + std::to_string(t)));
  EXPECT_EQ(AuditCount() - audits, 1);

  auto remove = [&](Names users, Ids depts) {
    return
        [this, t, users, depts] { return tags_->RemoveTargets(actor_, org_.id, t, users, depts); };
  };
  ExpectRefused(ErrorKind::kAllTargetsInvalid, remove({"lisi", "wangwu"}, {rd_}), "none tagged");
  ExpectRefused(ErrorKind::kInvalidParameter, remove({}, {}), "both empty");
  ExpectRefused(
      ErrorKind::kInvalidTagId,
      [&] { return tags_->RemoveTargets(actor_, org_.id, 42, {"zhangsan"}, {}); }, "unknown tag");
  ExpectRefused(ErrorKind::kInvalidUserIdList, remove(Names(1001, "zhangsan"), {}), "1001 users");
  ExpectRefused(ErrorKind::kInvalidDepartmentList, remove({}, Ids(101, rd_)), "101 departments");
}

// ---------------------------------------------------------------------------------------------
// Members and departments that go away, or are renamed

TEST_P(TagTest, ADeletedMemberLeavesItsTags) {
  const std::int64_t a = MustCreateTag("甲");
  const std::int64_t b = MustCreateTag("乙");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, a, {"zhangsan", "lisi"}, {}).ok());
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, b, {"lisi"}, {rd_}).ok());
  // A renamed member shows its current userid and name.
  MemberChange c;
  c.userid = "lisi";
  c.new_userid = "LiSi4";
  c.fields.name = "李四";
  ASSERT_TRUE(members_->Update(actor_, org_.id, c).ok());
  TagDetail t = MustGet(b);
  ASSERT_EQ(t.members.size(), 1u);
  EXPECT_EQ(t.members[0].userid, "LiSi4");
  EXPECT_EQ(t.members[0].name, "李四");

  ASSERT_TRUE(members_->Delete(actor_, org_.id, "lisi4").ok());
  EXPECT_EQ(UsersOf(a), (Names{"ZhangSan"}));
  EXPECT_TRUE(UsersOf(b).empty());
  EXPECT_EQ(DepartmentsOf(b), (Ids{rd_}));
  ASSERT_TRUE(members_->BatchDelete(actor_, org_.id, {"zhangsan"}).ok());
  EXPECT_TRUE(UsersOf(a).empty());

  // A new member with the old userid is not tagged.
  NewMember again;
  again.userid = "lisi";
  again.fields.name = "新李四";
  again.fields.departments = Ids{rd_};
  again.fields.email = "lisi.new@example.com";
  ASSERT_TRUE(members_->Create(actor_, org_.id, again).ok());
  EXPECT_TRUE(UsersOf(a).empty());
  EXPECT_TRUE(UsersOf(b).empty());
}

TEST_P(TagTest, ADeletedDepartmentLeavesItsTags) {
  const std::int64_t empty = MustCreateDepartment("空部门");
  const std::int64_t a = MustCreateTag("甲");
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, a, {"lisi"}, {empty, sales_}).ok());
  ASSERT_TRUE(departments_->Delete(actor_, org_.id, empty).ok());
  EXPECT_EQ(DepartmentsOf(a), (Ids{sales_}));
  EXPECT_EQ(UsersOf(a), (Names{"lisi"}));
  // A new department that takes the id is not tagged.
  NewDepartment d;
  d.name = "又一个";
  d.parent_id = 1;
  d.id = empty;
  ASSERT_TRUE(departments_->Create(actor_, org_.id, d).ok());
  EXPECT_EQ(DepartmentsOf(a), (Ids{sales_}));
}

INSTANTIATE_TEST_SUITE_P(Backends, TagTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
