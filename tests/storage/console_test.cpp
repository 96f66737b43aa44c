// The admin console's directory reads and changes over every backend: member search (pinyin
// included), the counted tree, bulk changes, and the import's dry run and job
// (directory/console_service.hpp, directory/import_service.hpp).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "directory/console_service.hpp"
#include "directory/department_service.hpp"
#include "directory/import_service.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using directory::BulkAction;
using directory::BulkChange;
using directory::ConsoleService;
using directory::DepartmentService;
using directory::DirectoryUnit;
using directory::ImportScope;
using directory::ImportService;
using directory::MemberQuery;
using directory::MemberService;
using directory::MemberStatus;
using directory::NewDepartment;
using directory::NewMember;
using directory::TagService;

using Names = std::vector<std::string>;

class ConsoleTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<DepartmentService>(*store_, clock_);
    members_ = std::make_unique<MemberService>(*store_, clock_, ids_, directory::MemberLimits{});
    tags_ = std::make_unique<TagService>(*store_, clock_);
    console_ = std::make_unique<ConsoleService>(*store_, *members_, *tags_);
    imports_ = std::make_unique<ImportService>(
        *store_, clock_, ids_, *members_, *departments_,
        [this](std::int64_t, std::string_view id) -> core::Result<std::string> {
          auto it = files_.find(std::string(id));
          if (it == files_.end()) return core::MakeError(ErrorKind::kInvalidMediaId, "no file");
          return it->second;
        },
        [this](std::int64_t, std::string_view,
               const std::string& bytes) -> core::Result<std::string> {
          std::string id = "m" + std::to_string(files_.size() + 1);
          files_[id] = bytes;
          return id;
        });
    ASSERT_TRUE(departments_->EnsureRoot(org_.id, "总公司").ok());
    rd_ = MustCreateDepartment("研发部", 1);
    backend_ = MustCreateDepartment("后端组", rd_);
    sales_ = MustCreateDepartment("市场部", 1);
    MustCreateMember("zhangsan", "张三", {backend_}, "13800000001", "zs@example.com");
    MustCreateMember("lisi", "李四", {rd_, backend_}, "13800000002", "");
    MustCreateMember("wangwu", "王五", {sales_}, "", "ww@example.com");
    MustCreateMember("LiLei", "Li Lei", {1}, "13900001234", "");
  }

  core::Transactor<DirectoryUnit>& Directory() { return *store_; }

  std::int64_t MustCreateDepartment(const std::string& name, std::int64_t parent) {
    NewDepartment d;
    d.name = name;
    d.parent_id = parent;
    auto id = departments_->Create(actor_, org_.id, d);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : -1;
  }
  void MustCreateMember(const std::string& userid, const std::string& name,
                        std::vector<std::int64_t> depts, const std::string& mobile,
                        const std::string& email) {
    NewMember m;
    m.userid = userid;
    m.fields.name = name;
    m.fields.departments = std::move(depts);
    if (!mobile.empty()) m.fields.mobile = mobile;
    if (!email.empty()) m.fields.email = email;
    auto s = members_->Create(actor_, org_.id, m);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  Names Found(MemberQuery q) {
    auto page = console_->Search(org_.id, q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    Names out;
    if (page.ok()) {
      for (const auto& m : page->members) out.push_back(m.member.userid);
    }
    return out;
  }
  Names Found(const std::string& text) {
    MemberQuery q;
    q.text = ConsoleService::NormaliseQuery(text);
    return Found(q);
  }
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> Counts() {
    auto tree = console_->Tree(org_.id);
    EXPECT_TRUE(tree.ok()) << tree.error().message;
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> out;
    if (tree.ok()) {
      for (const auto& c : **tree) out[c.department.id] = {c.member_count, c.total_count};
    }
    return out;
  }
  std::vector<std::string> DepartmentNames() {
    auto all = departments_->List(org_.id, std::nullopt);
    EXPECT_TRUE(all.ok());
    std::vector<std::string> out;
    if (all.ok()) {
      for (const auto& d : *all) out.push_back(d.name);
    }
    return out;
  }

  std::unique_ptr<DepartmentService> departments_;
  std::unique_ptr<MemberService> members_;
  std::unique_ptr<TagService> tags_;
  std::unique_ptr<ConsoleService> console_;
  std::unique_ptr<ImportService> imports_;
  std::map<std::string, std::string> files_;
  std::int64_t rd_ = 0, backend_ = 0, sales_ = 0;
};

TEST_P(ConsoleTest, SearchFindsByPinyinInitialsUseridMobileAndEmail) {
  EXPECT_EQ(Found("zs"), Names{"zhangsan"});
  EXPECT_EQ(Found("zhangsan"), Names{"zhangsan"});
  EXPECT_EQ(Found("Zhang S"), Names{"zhangsan"});
  EXPECT_EQ(Found("张"), Names{"zhangsan"});
  EXPECT_EQ(Found("lis"), Names{"lisi"});
  EXPECT_EQ(Found("1234"), Names{"LiLei"});  // mobile digits anywhere
  EXPECT_EQ(Found("ww@"), Names{"wangwu"});
  EXPECT_EQ(Found("li lei"), Names{"LiLei"});
  EXPECT_EQ(Found("LILEI"), Names{"LiLei"});
  EXPECT_EQ(Found("l"), (Names{"LiLei", "lisi"}));  // sorted by pinyin: "lilei" < "lisi"
  EXPECT_TRUE(Found("%").empty());                  // LIKE wildcards are literal
  EXPECT_TRUE(Found("_").empty());
  EXPECT_TRUE(Found("zz").empty());
  // Everyone, by pinyin: li lei, li si, wang wu, zhang san.
  EXPECT_EQ(Found(""), (Names{"LiLei", "lisi", "wangwu", "zhangsan"}));
}

TEST_P(ConsoleTest, SearchFiltersAndPages) {
  MemberQuery q;
  q.department_id = rd_;
  EXPECT_EQ(Found(q), Names{"lisi"});
  q.recursive = true;
  EXPECT_EQ(Found(q), (Names{"lisi", "zhangsan"}));
  q.department_id = 1;  // the root's subtree is everyone
  EXPECT_EQ(Found(q).size(), 4u);
  q.recursive = false;
  EXPECT_EQ(Found(q), Names{"LiLei"});

  auto tag = tags_->Create(actor_, org_.id, "值班", std::nullopt);
  ASSERT_TRUE(tag.ok());
  ASSERT_TRUE(tags_->ChangeMembers(actor_, org_.id, *tag, {"wangwu", "lisi"}, true).ok());
  MemberQuery tagged;
  tagged.tag_id = *tag;
  EXPECT_EQ(Found(tagged), (Names{"lisi", "wangwu"}));

  MemberQuery active;
  active.status = MemberStatus::kActive;
  EXPECT_TRUE(Found(active).empty());  // nobody has activated yet
  active.status = MemberStatus::kNotActivated;
  EXPECT_EQ(Found(active).size(), 4u);

  MemberQuery page;
  page.limit = 2;
  page.offset = 1;
  auto got = console_->Search(org_.id, page);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->total, 4);
  ASSERT_EQ(got->members.size(), 2u);
  EXPECT_EQ(got->members[0].member.userid, "lisi");
  EXPECT_EQ(got->members[1].tags.size(), 1u);  // wangwu's tag comes along

  MemberQuery bad;
  bad.limit = 501;
  EXPECT_EQ(console_->Search(org_.id, bad).error().kind, ErrorKind::kInvalidArgument);
  bad.limit = 10;
  bad.department_id = 999;
  EXPECT_EQ(console_->Search(org_.id, bad).error().kind, ErrorKind::kDepartmentNotFound);
}

TEST_P(ConsoleTest, TreeCountsFollowChanges) {
  auto c = Counts();
  EXPECT_EQ(c[1], std::make_pair(std::int64_t{1}, std::int64_t{4}));
  EXPECT_EQ(c[rd_], std::make_pair(std::int64_t{1}, std::int64_t{2}));  // lisi counted once
  EXPECT_EQ(c[backend_], std::make_pair(std::int64_t{2}, std::int64_t{2}));
  BulkChange move{BulkAction::kMove, {"zhangsan", "lisi"}, sales_, 0};
  auto moved = console_->Apply(actor_, org_.id, move);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(*moved, 2);
  c = Counts();  // a write bumps the version: the tree is counted again
  EXPECT_EQ(c[sales_], std::make_pair(std::int64_t{3}, std::int64_t{3}));
  EXPECT_EQ(c[rd_], std::make_pair(std::int64_t{0}, std::int64_t{0}));
  auto m = members_->Get(org_.id, "lisi");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->main_department, sales_);
  ASSERT_EQ(m->departments.size(), 1u);
}

TEST_P(ConsoleTest, BulkChangesAreAllOrNothing) {
  BulkChange move{BulkAction::kMove, {"zhangsan", "nobody"}, sales_, 0};
  EXPECT_EQ(console_->Apply(actor_, org_.id, move).error().kind, ErrorKind::kUserNotFound);
  EXPECT_EQ(members_->Get(org_.id, "zhangsan")->main_department, backend_);

  auto tag = tags_->Create(actor_, org_.id, "值班", std::nullopt);
  ASSERT_TRUE(tag.ok());
  BulkChange add{BulkAction::kAddTag, {"zhangsan", "nobody"}, 0, *tag};
  EXPECT_EQ(console_->Apply(actor_, org_.id, add).error().kind, ErrorKind::kUserNotFound);
  EXPECT_TRUE(tags_->Get(org_.id, *tag)->members.empty());
  add.userids = {"zhangsan", "ZHANGSAN", "lisi"};
  EXPECT_EQ(console_->Apply(actor_, org_.id, add).value(), 2);
  EXPECT_EQ(tags_->Get(org_.id, *tag)->members.size(), 2u);
  BulkChange remove{BulkAction::kRemoveTag, {"lisi", "wangwu"}, 0, *tag};
  ASSERT_TRUE(console_->Apply(actor_, org_.id, remove).ok());
  EXPECT_EQ(tags_->Get(org_.id, *tag)->members.size(), 1u);

  BulkChange del{BulkAction::kDelete, {"wangwu", "nobody"}, 0, 0};
  EXPECT_EQ(console_->Apply(actor_, org_.id, del).error().kind, ErrorKind::kUserNotFound);
  EXPECT_TRUE(members_->Get(org_.id, "wangwu").ok());
  del.userids = {"wangwu"};
  ASSERT_TRUE(console_->Apply(actor_, org_.id, del).ok());
  EXPECT_FALSE(members_->Get(org_.id, "wangwu").ok());

  BulkChange none{BulkAction::kDelete, {}, 0, 0};
  EXPECT_EQ(console_->Apply(actor_, org_.id, none).error().kind, ErrorKind::kInvalidArgument);
  none.userids.assign(1001, "x");
  EXPECT_EQ(console_->Apply(actor_, org_.id, none).error().kind, ErrorKind::kInvalidArgument);
}

constexpr std::string_view kImport =
    "账号,姓名,手机,部门,职务\n"
    "zhaoliu,赵六,13700000001,研发部/前端组;总公司/行政部,工程师/组长\n"
    "qianqi,钱七,13800000001,采购部,\n"  // zhangsan's mobile: fails, 采购部 not kept
    "sunba,孙八,123,质检部,\n"           // a bad mobile: fails before any department
    "zhangsan,,,,经理\n"                 // update: only the position
    "zhaoliu,重复,,,\n"                  // a repeated userid
    "zhoujiu,周九,,研发*部,\n";          // an illegal department name

TEST_P(ConsoleTest, DryRunReportsEveryRowAndKeepsNothing) {
  const auto before = DepartmentNames();
  auto report = imports_->Preview(actor_, org_.id, kImport);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->total, 6);
  EXPECT_EQ(report->created, 1);
  EXPECT_EQ(report->updated, 1);
  EXPECT_EQ(report->failed, 4);
  EXPECT_EQ(report->departments_created, (Names{"研发部/前端组", "行政部"}));
  ASSERT_EQ(report->rows_json.size(), 6u);
  EXPECT_NE(report->rows_json[0].find(R"("line":2)"), std::string::npos) << report->rows_json[0];
  EXPECT_NE(report->rows_json[1].find("mobile_exists"), std::string::npos) << report->rows_json[1];
  EXPECT_NE(report->rows_json[2].find("mobile_invalid"), std::string::npos);
  EXPECT_NE(report->rows_json[3].find(R"("action":"update")"), std::string::npos);
  EXPECT_NE(report->rows_json[4].find("repeats line 2"), std::string::npos) << report->rows_json[4];
  EXPECT_NE(report->rows_json[5].find("department_name_chars"), std::string::npos)
      << report->rows_json[5];
  // Nothing was kept.
  EXPECT_EQ(DepartmentNames(), before);
  EXPECT_FALSE(members_->Get(org_.id, "zhaoliu").ok());
  EXPECT_EQ(members_->Get(org_.id, "zhangsan")->position, "");
}

TEST_P(ConsoleTest, TheJobDoesWhatTheDryRunSaid) {
  auto dry = imports_->Preview(actor_, org_.id, kImport);
  ASSERT_TRUE(dry.ok()) << dry.error().message;
  auto submitted = imports_->Submit(actor_, org_.id, "a.csv", std::string(kImport));
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  EXPECT_EQ(submitted->total, 6);
  auto queued = imports_->Status(org_.id, submitted->jobid);
  ASSERT_TRUE(queued.ok());
  EXPECT_FALSE(queued->report.has_value());
  ASSERT_TRUE(queued->job.id > 0);
  ASSERT_TRUE(imports_->Run(queued->job).ok());
  auto done = imports_->Status(org_.id, submitted->jobid);
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(done->report.has_value());
  EXPECT_EQ(done->report->rows_json, dry->rows_json);
  EXPECT_EQ(done->report->departments_created, dry->departments_created);

  auto zl = members_->Get(org_.id, "zhaoliu");
  ASSERT_TRUE(zl.ok());
  EXPECT_EQ(zl->name, "赵六");
  EXPECT_EQ(zl->position, "工程师/组长");
  ASSERT_EQ(zl->departments.size(), 2u);
  EXPECT_EQ(members_->Get(org_.id, "zhangsan")->position, "经理");
  EXPECT_EQ(members_->Get(org_.id, "zhangsan")->name, "张三");  // empty cells leave fields alone
  const auto names = DepartmentNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "前端组"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "行政部"), names.end());
  for (const char* gone : {"采购部", "质检部", "研发*部"}) {
    EXPECT_EQ(std::find(names.begin(), names.end(), gone), names.end()) << gone;
  }
  EXPECT_EQ(imports_->Status(org_.id, "nope").error().kind, ErrorKind::kInvalidJobId);
}

TEST_P(ConsoleTest, FreezingSetsEnableAndIsAllOrNothing) {
  BulkChange freeze{BulkAction::kFreeze, {"zhangsan", "nobody"}, 0, 0};
  EXPECT_EQ(console_->Apply(actor_, org_.id, freeze).error().kind, ErrorKind::kUserNotFound);
  EXPECT_TRUE(members_->Get(org_.id, "zhangsan")->enable);
  freeze.userids = {"zhangsan", "lisi"};
  EXPECT_EQ(console_->Apply(actor_, org_.id, freeze).value(), 2);
  EXPECT_FALSE(members_->Get(org_.id, "zhangsan")->enable);
  EXPECT_FALSE(members_->Get(org_.id, "lisi")->enable);
  EXPECT_EQ(members_->Get(org_.id, "lisi")->departments.size(), 2u);  // nothing else changes
  BulkChange unfreeze{BulkAction::kUnfreeze, {"lisi"}, 0, 0};
  EXPECT_EQ(console_->Apply(actor_, org_.id, unfreeze).value(), 1);
  EXPECT_TRUE(members_->Get(org_.id, "lisi")->enable);
  EXPECT_FALSE(members_->Get(org_.id, "zhangsan")->enable);
}

// A scoped administrator's import: 研发部 (with 后端组) is their scope.
constexpr std::string_view kScopedImport =
    "账号,姓名,手机,部门\n"
    "xiaoming,小明,13600000001,研发部/前端组\n"  // a new department inside: fine
    "xiaohong,小红,13600000002,市场部/华东\n"    // a department created outside: refused
    "xiaogang,小刚,13600000003,\n"               // a new member without a department: refused
    "zhangsan,张三丰,,研发部/后端组\n"           // inside: updated
    "wangwu,王五五,,研发部\n"                    // wangwu is in 市场部: outside
    "lisi,李四四,,总公司\n"                      // moving lisi to the root: outside
    "xiaoli,小丽,13600000004,后端组\n";          // a 后端组 would be made under the root

TEST_P(ConsoleTest, AScopedImportKeepsToItsScope) {
  const ImportScope scope{{rd_}, {}};
  auto dry = imports_->Preview(actor_, org_.id, kScopedImport, scope);
  ASSERT_TRUE(dry.ok()) << dry.error().message;
  ASSERT_EQ(dry->rows_json.size(), 7u);
  auto denied = [&](std::size_t row, std::string_view says) {
    EXPECT_NE(dry->rows_json[row].find("permission_denied"), std::string::npos)
        << dry->rows_json[row];
    EXPECT_NE(dry->rows_json[row].find(says), std::string::npos) << dry->rows_json[row];
  };
  EXPECT_NE(dry->rows_json[0].find(R"("action":"create")"), std::string::npos) << dry->rows_json[0];
  denied(1, "department 市场部 is outside your scope");
  denied(2, "a new member needs a department of your scope");
  EXPECT_NE(dry->rows_json[3].find(R"("action":"update")"), std::string::npos);
  denied(4, "member wangwu is outside your scope");
  denied(5, "department 总公司 is outside your scope");
  denied(6, "department 总公司 is outside your scope");
  EXPECT_EQ(dry->created, 1);
  EXPECT_EQ(dry->updated, 1);
  EXPECT_EQ(dry->departments_created, (Names{"研发部/前端组"}));

  // The job keeps the scope it was submitted with.
  auto submitted = imports_->Submit(actor_, org_.id, "s.csv", std::string(kScopedImport), scope);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  auto queued = imports_->Status(org_.id, submitted->jobid);
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(queued->actor, actor_.principal);
  ASSERT_TRUE(imports_->Run(queued->job).ok());
  auto done = imports_->Status(org_.id, submitted->jobid);
  ASSERT_TRUE(done.ok() && done->report.has_value());
  EXPECT_EQ(done->report->rows_json, dry->rows_json);
  EXPECT_EQ(members_->Get(org_.id, "wangwu")->name, "王五");
  EXPECT_EQ(members_->Get(org_.id, "zhangsan")->name, "张三丰");
  EXPECT_TRUE(members_->Get(org_.id, "xiaoming").ok());
  EXPECT_FALSE(members_->Get(org_.id, "xiaohong").ok());
  const auto names = DepartmentNames();
  EXPECT_EQ(std::find(names.begin(), names.end(), "华东"), names.end());

  // A scope of tags: a member with the tag is inside, wherever they are.
  auto tag = tags_->Create(actor_, org_.id, "班主任", std::nullopt);
  ASSERT_TRUE(tag.ok());
  BulkChange add{BulkAction::kAddTag, {"wangwu"}, 0, *tag};
  ASSERT_TRUE(console_->Apply(actor_, org_.id, add).ok());
  auto tagged = imports_->Preview(actor_, org_.id, "账号,姓名\nwangwu,王老五\nlisi,李\n",
                                  ImportScope{{}, {*tag}});
  ASSERT_TRUE(tagged.ok()) << tagged.error().message;
  EXPECT_NE(tagged->rows_json[0].find(R"("action":"update")"), std::string::npos)
      << tagged->rows_json[0];
  EXPECT_NE(tagged->rows_json[1].find("permission_denied"), std::string::npos);
}

TEST_P(ConsoleTest, AnExportImportsBackUnchanged) {
  for (auto format : {directory::import::FileFormat::kCsv, directory::import::FileFormat::kXlsx}) {
    auto file = imports_->Export(org_.id, MemberQuery{}, format, directory::import::Language::kEn);
    ASSERT_TRUE(file.ok()) << file.error().message;
    auto report = imports_->Preview(actor_, org_.id, *file);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->total, 4);
    EXPECT_EQ(report->updated, 4) << (report->rows_json.empty() ? "" : report->rows_json[0]);
    EXPECT_TRUE(report->departments_created.empty());
  }
}

TEST_P(ConsoleTest, MembersWrittenBeforeSearchKeysGetThem) {
  // As a member from before the keys existed looks: no keys, not keyed.
  ASSERT_TRUE(store_
                  ->WriteSql([](Sql& sql) -> core::Status {
                    auto done = sql.Exec(
                        "UPDATE members SET name_pinyin = '', search_prefix = '', search_any = '', "
                        "search_keyed = ? WHERE userid_key = 'lisi'",
                        {BoolValue(false)});
                    if (!done.ok()) return std::move(done).error();
                    return core::Ok();
                  })
                  .ok());
  EXPECT_TRUE(Found("ls").empty());  // only the initials find it
  auto keyed =
      core::WriteValue(Directory(), [](DirectoryUnit& u) { return u.Members().KeySearch(100); });
  ASSERT_TRUE(keyed.ok()) << keyed.error().message;
  EXPECT_EQ(*keyed, 1);
  EXPECT_EQ(Found("ls"), Names{"lisi"});
  auto again =
      core::WriteValue(Directory(), [](DirectoryUnit& u) { return u.Members().KeySearch(100); });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
