// Members: directory::MemberService over every backend (docs/wecom-api.md, "Members" and
// "Contact changes and audit").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "directory/department_service.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using directory::ContactEvent;
using directory::Department;
using directory::DepartmentService;
using directory::DirectoryUnit;
using directory::EmailType;
using directory::Member;
using directory::MemberChange;
using directory::MemberFields;
using directory::MemberLimits;
using directory::MemberService;
using directory::MemberStatus;
using directory::NewDepartment;
using directory::NewMember;
using directory::TagService;
using ::testing::HasSubstr;

template <class R>
std::optional<ErrorKind> KindOf(const R& r) {
  if (r.ok()) return std::nullopt;
  return r.error().kind;
}

template <class R>
std::string MessageOf(const R& r) {
  return r.ok() ? std::string("ok") : r.error().message;
}

using Ids = std::vector<std::int64_t>;
using Names = std::vector<std::string>;

std::string Describe(const Member& m) {
  std::string s = m.userid + "|" + m.name + "|" + m.alias + "|" + m.mobile + "|" + m.email + "|" +
                  m.biz_mail + "|" + m.position + "|" + std::to_string(m.gender) + "|" +
                  m.telephone + "|" + m.address + "|depts:";
  for (const auto& d : m.departments) {
    s += std::to_string(d.department_id) + ":" + std::to_string(d.order) + ":" +
         (d.leader ? "L" : "-") + ",";
  }
  s += "|main:" + std::to_string(m.main_department) + "|leaders:";
  for (const auto& l : m.direct_leaders) s += l + ",";
  s += "|" + m.external_position + "|" + m.extattr_json + "|" + m.external_profile_json + "|" +
       (m.enable ? "1" : "0") + "|" + std::to_string(static_cast<int>(m.state)) + "|" +
       m.external_id + "|" + m.openid + "|" + std::to_string(core::UnixSeconds(m.created_at)) +
       "|" + std::to_string(core::UnixSeconds(m.updated_at));
  return s;
}

class MemberTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<DepartmentService>(*store_, clock_);
    members_ = std::make_unique<MemberService>(*store_, clock_, ids_, MemberLimits{});
    tags_ = std::make_unique<TagService>(*store_, clock_);
    ASSERT_TRUE(departments_->EnsureRoot(org_.id, "总公司").ok());
    rd_ = MustCreateDepartment("研发部", 1);         // 2
    sales_ = MustCreateDepartment("市场部", 1);      // 3
    backend_ = MustCreateDepartment("后端组", rd_);  // 4: under 研发部
  }

  core::Transactor<DirectoryUnit>& Directory() { return *store_; }

  std::int64_t MustCreateDepartment(const std::string& name, std::int64_t parent,
                                    std::int64_t order = 0) {
    NewDepartment d;
    d.name = name;
    d.parent_id = parent;
    d.order = order;
    auto id = departments_->Create(actor_, org_.id, d);
    EXPECT_TRUE(id.ok()) << MessageOf(id);
    return id.ok() ? *id : -1;
  }

  // A member with a name, the given departments and a mobile of its own.
  NewMember Person(const std::string& userid, Ids departments = {}) {
    NewMember m;
    m.userid = userid;
    m.fields.name = userid + " 的名字";
    m.fields.departments = departments.empty() ? Ids{rd_} : departments;
    m.fields.mobile = "139" + std::to_string(10000000 + next_mobile_++);
    return m;
  }

  void MustCreate(const NewMember& m) {
    auto s = members_->Create(actor_, org_.id, m);
    ASSERT_TRUE(s.ok()) << m.userid << ": " << s.error().message;
  }
  void MustUpdate(const MemberChange& c) {
    auto s = members_->Update(actor_, org_.id, c);
    ASSERT_TRUE(s.ok()) << c.userid << ": " << s.error().message;
  }
  Member MustGet(const std::string& userid) {
    auto m = members_->Get(org_.id, userid);
    EXPECT_TRUE(m.ok()) << userid << ": " << MessageOf(m);
    return m.ok() ? *m : Member{};
  }
  static MemberChange Change(const std::string& userid) {
    MemberChange c;
    c.userid = userid;
    return c;
  }

  Names Listed(std::int64_t department, bool fetch_child,
               std::optional<MemberStatus> status = std::nullopt) {
    auto list = members_->ListDepartment(org_.id, department, fetch_child, status);
    EXPECT_TRUE(list.ok()) << MessageOf(list);
    Names out;
    if (list.ok()) {
      for (const Member& m : *list) out.push_back(m.userid);
    }
    return out;
  }

  std::vector<ContactEvent> EventsAfter(std::int64_t seq) {
    std::vector<ContactEvent> out;
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
  // actor, address, action, target of the newest audit record.
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

  // Where the event log and the audit log stand, to see what a call added.
  struct Mark {
    std::int64_t seq;
    std::int64_t audits;
  };
  Mark Now() { return Mark{LastSeq(), AuditCount()}; }
  Names ChangeTypesSince(const Mark& mark) {
    Names out;
    for (const auto& e : EventsAfter(mark.seq)) out.push_back(e.change_type);
    return out;
  }
  std::int64_t AuditsSince(const Mark& mark) { return AuditCount() - mark.audits; }

  // Everything a directory call could change, as text.
  std::string Snapshot() {
    std::string s;
    auto all = members_->ListDepartment(org_.id, 1, true, std::nullopt);
    EXPECT_TRUE(all.ok()) << MessageOf(all);
    if (all.ok()) {
      std::vector<std::string> rows;
      for (const Member& m : *all) rows.push_back(Describe(m));
      std::sort(rows.begin(), rows.end());
      for (const auto& r : rows) s += r + "\n";
    }
    auto depts = departments_->List(org_.id, std::nullopt);
    EXPECT_TRUE(depts.ok()) << MessageOf(depts);
    if (depts.ok()) {
      for (const Department& d : *depts) {
        s += "dept " + std::to_string(d.id) + " " + d.name + " leaders:";
        for (const auto& l : d.leaders) s += l + ",";
        s += "\n";
      }
    }
    auto tags = tags_->List(org_.id);
    EXPECT_TRUE(tags.ok()) << MessageOf(tags);
    if (tags.ok()) {
      for (const auto& t : *tags) {
        auto detail = tags_->Get(org_.id, t.id);
        EXPECT_TRUE(detail.ok()) << MessageOf(detail);
        if (!detail.ok()) continue;
        s += "tag " + std::to_string(t.id) + " " + t.name + ":";
        for (const auto& m : detail->members) s += m.userid + ",";
        for (std::int64_t d : detail->departments) s += std::to_string(d) + ",";
        s += "\n";
      }
    }
    s += "events " + std::to_string(LastSeq()) + " audits " + std::to_string(AuditCount());
    return s;
  }

  // `call` fails with `kind` (any error when nullopt) and changes nothing.
  template <class F>
  void ExpectRefused(std::optional<ErrorKind> kind, F&& call, const std::string& what) {
    const std::string before = Snapshot();
    auto r = call();
    EXPECT_FALSE(r.ok()) << what;
    if (kind) {
      EXPECT_EQ(KindOf(r), *kind) << what << ": " << MessageOf(r);
    }
    EXPECT_EQ(Snapshot(), before) << what;
  }
  void ExpectCreateRefused(std::optional<ErrorKind> kind, const NewMember& m,
                           const std::string& what) {
    ExpectRefused(
        kind, [&] { return members_->Create(actor_, org_.id, m); }, what);
  }
  void ExpectUpdateRefused(std::optional<ErrorKind> kind, const MemberChange& c,
                           const std::string& what) {
    ExpectRefused(
        kind, [&] { return members_->Update(actor_, org_.id, c); }, what);
  }

  std::unique_ptr<DepartmentService> departments_;
  std::unique_ptr<MemberService> members_;
  std::unique_ptr<TagService> tags_;
  std::int64_t rd_ = 0;
  std::int64_t sales_ = 0;
  std::int64_t backend_ = 0;
  int next_mobile_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Create and get

TEST_P(MemberTest, CreateStoresEveryFieldAndGetReturnsIt) {
  MustCreate(Person("lisi"));
  clock_.Advance(std::chrono::seconds(30));
  NewMember in;
  in.userid = "ZhangSan";
  MemberFields& f = in.fields;
  f.name = "张三";
  f.alias = "小张";
  f.mobile = "+86 138-0013-8000";
  f.email = "Zhang.San@Example.com";
  f.biz_mail = "zhangsan@corp.example.com";
  f.position = "工程师";
  f.gender = 1;
  f.telephone = "010-88886666";
  f.address = "北京市海淀区";
  f.departments = Ids{rd_, sales_};
  f.orders = Ids{10, 4294967295};
  f.leader_flags = Ids{1, 0};
  f.main_department = sales_;
  f.direct_leaders = Names{"LiSi"};
  f.external_position = "高级工程师";
  f.extattr_json = R"({"attrs":[{"type":0,"name":"工号","text":{"value":"42"}}]})";
  f.external_profile_json = R"({"external_corp_name":"企业"})";
  f.external_id = "im-0042";
  const Mark mark = Now();
  MustCreate(in);

  EXPECT_EQ(ChangeTypesSince(mark), (Names{"create_user"}));
  auto events = EventsAfter(mark.seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("UserID":"ZhangSan")"));
  EXPECT_EQ(AuditsSince(mark), 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "user.create", "ZhangSan"}));

  for (const char* spelling : {"ZhangSan", "zhangsan", "ZHANGSAN"}) {
    Member m = MustGet(spelling);
    EXPECT_EQ(m.userid, "ZhangSan") << spelling;
  }
  Member m = MustGet("zhangsan");
  EXPECT_EQ(m.org_id, org_.id);
  EXPECT_EQ(m.name, "张三");
  EXPECT_EQ(m.alias, "小张");
  EXPECT_EQ(m.mobile, "+86 138-0013-8000");
  EXPECT_EQ(m.email, "Zhang.San@Example.com");
  EXPECT_EQ(m.biz_mail, "zhangsan@corp.example.com");
  EXPECT_EQ(m.position, "工程师");
  EXPECT_EQ(m.gender, 1);
  EXPECT_EQ(m.telephone, "010-88886666");
  EXPECT_EQ(m.address, "北京市海淀区");
  ASSERT_EQ(m.departments.size(), 2u);
  EXPECT_EQ(m.departments[0].department_id, rd_);
  EXPECT_EQ(m.departments[0].order, 10);
  EXPECT_TRUE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].department_id, sales_);
  EXPECT_EQ(m.departments[1].order, 4294967295);
  EXPECT_FALSE(m.departments[1].leader);
  EXPECT_EQ(m.main_department, sales_);
  EXPECT_EQ(m.direct_leaders, (Names{"lisi"}));  // the leader's own spelling
  EXPECT_EQ(m.external_position, "高级工程师");
  EXPECT_EQ(m.extattr_json, *f.extattr_json);
  EXPECT_EQ(m.external_profile_json, *f.external_profile_json);
  EXPECT_TRUE(m.enable);
  EXPECT_EQ(m.Status(), MemberStatus::kNotActivated);
  EXPECT_EQ(m.external_id, "im-0042");
  EXPECT_FALSE(m.openid.empty());
  EXPECT_NE(m.openid, MustGet("lisi").openid);
  EXPECT_EQ(core::UnixSeconds(m.created_at), core::UnixSeconds(clock_.Now()));
  EXPECT_EQ(core::UnixSeconds(m.updated_at), core::UnixSeconds(clock_.Now()));
}

TEST_P(MemberTest, CreateFillsDefaultsAndADisabledMemberIsStatusTwo) {
  NewMember plain;
  plain.userid = "plain";
  plain.fields.name = "Plain";
  plain.fields.departments = Ids{sales_, rd_};
  plain.fields.biz_mail = "plain@corp.example.com";  // a business e-mail is enough
  MustCreate(plain);
  Member m = MustGet("plain");
  EXPECT_EQ(m.main_department, sales_);
  EXPECT_EQ(m.departments.at(0).order, 0);
  EXPECT_FALSE(m.departments.at(0).leader);
  EXPECT_EQ(m.gender, 0);
  EXPECT_TRUE(m.enable);
  EXPECT_EQ(m.Status(), MemberStatus::kNotActivated);
  EXPECT_EQ(m.extattr_json, R"({"attrs":[]})");
  EXPECT_EQ(m.external_profile_json, "{}");
  EXPECT_TRUE(m.direct_leaders.empty());

  NewMember disabled = Person("disabled");
  disabled.fields.mobile.reset();
  disabled.fields.email = "disabled@example.com";
  disabled.fields.enable = 0;
  MustCreate(disabled);
  EXPECT_EQ(MustGet("disabled").Status(), MemberStatus::kDisabled);
}

TEST_P(MemberTest, RefusedCreatesChangeNothing) {
  NewMember boss = Person("Boss");
  boss.fields.email = "boss@example.com";
  boss.fields.biz_mail = "boss@corp.example.com";
  boss.fields.external_id = "im-boss";
  boss.fields.mobile = "13800138000";
  MustCreate(boss);

  struct Case {
    const char* what;
    std::optional<ErrorKind> kind;
    NewMember member;
  };
  std::vector<Case> cases;
  auto add = [&](const char* what, std::optional<ErrorKind> kind, NewMember m) {
    cases.push_back({what, kind, std::move(m)});
  };
  NewMember m = Person("");
  add("missing userid", ErrorKind::kMissingUserId, m);
  m = Person("bad userid");
  add("malformed userid", ErrorKind::kInvalidUserId, m);
  m = Person("_x");
  add("userid not starting alphanumeric", ErrorKind::kInvalidUserId, m);
  m = Person(std::string(65, 'a'));
  add("userid of 65", ErrorKind::kInvalidUserId, m);
  m = Person("BOSS");
  add("userid taken ignoring case", ErrorKind::kUserIdExists, m);
  m = Person("noname");
  m.fields.name.reset();
  add("no name", ErrorKind::kMemberNameInvalid, m);
  m = Person("nocontact");
  m.fields.mobile.reset();
  add("neither mobile nor e-mail", ErrorKind::kMobileOrEmailRequired, m);
  m = Person("badmobile");
  m.fields.mobile = "138 abc";
  add("malformed mobile", ErrorKind::kMobileInvalid, m);
  m = Person("samemobile");
  m.fields.mobile = "138-0013 8000";
  add("mobile taken ignoring spaces and hyphens", ErrorKind::kMobileExists, m);
  m = Person("sameemail");
  m.fields.email = "BOSS@Example.COM";
  add("email taken ignoring case", ErrorKind::kEmailExists, m);
  m = Person("samebiz");
  m.fields.biz_mail = "Boss@Corp.Example.Com";
  add("biz_mail taken ignoring case", ErrorKind::kEmailExists, m);
  m = Person("sameext");
  m.fields.external_id = "im-boss";
  add("external_id taken", ErrorKind::kInvalidParameter, m);
  m = Person("nodept", Ids{rd_, 99});
  add("unknown department", ErrorKind::kDepartmentNotFound, m);
  m = Person("emptydept");
  m.fields.departments = Ids{};
  add("no department", ErrorKind::kMissingDepartment, m);
  m = Person("twicedept", Ids{rd_, sales_, rd_});
  add("department twice", ErrorKind::kInvalidDepartmentList, m);
  m = Person("badorder", Ids{rd_, sales_});
  m.fields.orders = Ids{1};
  add("order of the wrong length", ErrorKind::kInvalidParameter, m);
  m = Person("badmain", Ids{rd_});
  m.fields.main_department = sales_;
  add("main_department not among them", ErrorKind::kInvalidParameter, m);
  m = Person("ghostleader");
  m.fields.direct_leaders = Names{"Boss", "ghost"};
  add("unknown direct leader", ErrorKind::kUserNotFound, m);
  m = Person("selfleader");
  m.fields.direct_leaders = Names{"SelfLeader"};
  add("itself as direct leader", std::nullopt, m);
  m = Person("sixleaders");
  m.fields.direct_leaders = Names{"Boss", "b2", "b3", "b4", "b5", "b6"};
  add("six direct leaders", ErrorKind::kInvalidParameter, m);

  for (const Case& c : cases) ExpectCreateRefused(c.kind, c.member, c.what);
  EXPECT_EQ(Listed(1, true), (Names{"Boss"}));

  // The kinds answer WeCom's codes.
  EXPECT_EQ(members_->Create(actor_, org_.id, Person("BOSS")).error().WecomCode(), 60102);
  EXPECT_EQ(members_->Create(actor_, org_.id, Person("x", Ids{77})).error().WecomCode(), 60003);
  EXPECT_EQ(members_->Get(org_.id, "ghost").error().WecomCode(), 60111);
  EXPECT_EQ(members_->Get(org_.id, "").error().WecomCode(), 41009);
  NewMember none = Person("none");
  none.fields.mobile.reset();
  EXPECT_EQ(members_->Create(actor_, org_.id, none).error().WecomCode(), 60129);
}

// ---------------------------------------------------------------------------------------------
// Uniqueness on update

TEST_P(MemberTest, UniqueKeysAreCheckedOnUpdateAgainstOthersOnly) {
  NewMember a = Person("a");
  a.fields.mobile = "13800138000";
  a.fields.email = "a@example.com";
  a.fields.biz_mail = "a@corp.example.com";
  a.fields.external_id = "im-a";
  MustCreate(a);
  MustCreate(Person("b"));

  MemberChange c = Change("b");
  c.fields.mobile = "138 0013-8000";
  ExpectUpdateRefused(ErrorKind::kMobileExists, c, "mobile");
  c = Change("b");
  c.fields.email = "A@EXAMPLE.COM";
  ExpectUpdateRefused(ErrorKind::kEmailExists, c, "email");
  c = Change("b");
  c.fields.biz_mail = "A@Corp.Example.com";
  ExpectUpdateRefused(ErrorKind::kEmailExists, c, "biz_mail");
  c = Change("b");
  c.fields.external_id = "im-a";
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "external_id");

  // A member's own keys, written differently, are no clash.
  c = Change("A");
  c.fields.mobile = "138-0013-8000";
  c.fields.email = "A@Example.com";
  c.fields.biz_mail = "A@CORP.example.com";
  c.fields.external_id = "im-a";
  MustUpdate(c);
  Member got = MustGet("a");
  EXPECT_EQ(got.mobile, "138-0013-8000");
  EXPECT_EQ(got.email, "A@Example.com");

  // Freed keys can be taken by another member.
  c = Change("a");
  c.fields.external_id = "";
  c.fields.biz_mail = "";
  MustUpdate(c);
  c = Change("b");
  c.fields.external_id = "im-a";
  c.fields.biz_mail = "a@corp.example.com";
  MustUpdate(c);
  EXPECT_EQ(MustGet("b").external_id, "im-a");
}

// ---------------------------------------------------------------------------------------------
// Update

TEST_P(MemberTest, UpdateChangesOnlyTheFieldsGivenAndRecordsIt) {
  NewMember in = Person("zhangsan", Ids{rd_, sales_});
  in.fields.alias = "小张";
  in.fields.email = "zhangsan@example.com";
  in.fields.orders = Ids{3, 4};
  MustCreate(in);
  const Member before = MustGet("zhangsan");
  clock_.Advance(std::chrono::seconds(60));

  const Mark mark = Now();
  MemberChange c = Change("ZHANGSAN");
  c.fields.position = "经理";
  c.fields.gender = 2;
  MustUpdate(c);
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user"}));
  auto events = EventsAfter(mark.seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("UserID":"zhangsan")"));
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("Position":"经理")"));
  EXPECT_EQ(AuditsSince(mark), 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "user.update", "zhangsan"}));

  Member after = MustGet("zhangsan");
  EXPECT_EQ(after.position, "经理");
  EXPECT_EQ(after.gender, 2);
  Member expected = before;
  expected.position = "经理";
  expected.gender = 2;
  expected.updated_at = clock_.Now();
  EXPECT_EQ(Describe(after), Describe(expected));
  EXPECT_EQ(core::UnixSeconds(after.created_at), core::UnixSeconds(clock_.Now()) - 60);
}

TEST_P(MemberTest, RefusedUpdatesChangeNothing) {
  MustCreate(Person("lisi"));
  NewMember in = Person("zhangsan", Ids{rd_, sales_});
  in.fields.direct_leaders = Names{"lisi"};
  MustCreate(in);

  MemberChange c = Change("ghost");
  c.fields.name = "x";
  ExpectUpdateRefused(ErrorKind::kUserNotFound, c, "unknown member");
  c = Change("");
  c.fields.name = "x";
  ExpectUpdateRefused(ErrorKind::kMissingUserId, c, "no userid");
  c = Change("zhangsan");
  c.fields.mobile = "";
  ExpectUpdateRefused(ErrorKind::kMobileOrEmailRequired, c, "clearing the only contact");
  c = Change("zhangsan");
  c.fields.name = "";
  ExpectUpdateRefused(ErrorKind::kMemberNameInvalid, c, "empty name");
  c = Change("zhangsan");
  c.fields.position = "新职位";
  c.fields.gender = 3;
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "bad gender with a good position");
  c = Change("zhangsan");
  c.fields.alias = "新别名";
  c.fields.departments = Ids{sales_, 99};
  ExpectUpdateRefused(ErrorKind::kDepartmentNotFound, c, "unknown department");
  c = Change("zhangsan");
  c.fields.departments = Ids{};
  ExpectUpdateRefused(ErrorKind::kMissingDepartment, c, "empty department list");
  c = Change("zhangsan");
  c.fields.orders = Ids{1};
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "order alone of the wrong length");
  c = Change("zhangsan");
  c.fields.leader_flags = Ids{1, 0, 1};
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "leader flags of the wrong length");
  c = Change("zhangsan");
  c.fields.main_department = backend_;
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "main_department not among them");
  c = Change("zhangsan");
  c.fields.direct_leaders = Names{"lisi", "ghost"};
  ExpectUpdateRefused(ErrorKind::kUserNotFound, c, "unknown direct leader");
  c = Change("zhangsan");
  c.fields.direct_leaders = Names{"ZhangSan"};
  ExpectUpdateRefused(std::nullopt, c, "itself as direct leader");
  c = Change("zhangsan");
  c.new_userid = "bad userid";
  ExpectUpdateRefused(ErrorKind::kInvalidUserId, c, "malformed new_userid");
  c = Change("zhangsan");
  c.new_userid = "LISI";
  c.fields.name = "改名";
  ExpectUpdateRefused(ErrorKind::kUserIdExists, c, "new_userid taken ignoring case");
  c = Change("zhangsan");
  c.fields.enable = 2;
  ExpectUpdateRefused(ErrorKind::kInvalidParameter, c, "enable 2");
}

TEST_P(MemberTest, ANewDepartmentListKeepsWhatStayingDepartmentsHad) {
  NewMember in = Person("zhangsan", Ids{rd_, sales_});
  in.fields.orders = Ids{5, 7};
  in.fields.leader_flags = Ids{1, 0};
  in.fields.main_department = sales_;
  MustCreate(in);

  MemberChange c = Change("zhangsan");
  c.fields.departments = Ids{backend_, sales_, rd_};
  MustUpdate(c);
  Member m = MustGet("zhangsan");
  ASSERT_EQ(m.departments.size(), 3u);
  EXPECT_EQ(m.departments[0].department_id, backend_);
  EXPECT_EQ(m.departments[0].order, 0);
  EXPECT_FALSE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].department_id, sales_);
  EXPECT_EQ(m.departments[1].order, 7);
  EXPECT_FALSE(m.departments[1].leader);
  EXPECT_EQ(m.departments[2].department_id, rd_);
  EXPECT_EQ(m.departments[2].order, 5);
  EXPECT_TRUE(m.departments[2].leader);
  EXPECT_EQ(m.main_department, sales_);

  // Leaving the main department makes the first one main...
  c = Change("zhangsan");
  c.fields.departments = Ids{backend_, rd_};
  MustUpdate(c);
  m = MustGet("zhangsan");
  EXPECT_EQ(m.main_department, backend_);
  EXPECT_EQ(m.departments.at(1).order, 5);
  EXPECT_TRUE(m.departments.at(1).leader);
  // ...unless main_department names another.
  c = Change("zhangsan");
  c.fields.departments = Ids{sales_, rd_};
  c.fields.main_department = rd_;
  MustUpdate(c);
  EXPECT_EQ(MustGet("zhangsan").main_department, rd_);

  // order and is_leader_in_dept alone go with the current departments.
  c = Change("zhangsan");
  c.fields.orders = Ids{11, 12};
  c.fields.leader_flags = Ids{1, 0};
  MustUpdate(c);
  m = MustGet("zhangsan");
  EXPECT_EQ(m.departments.at(0).department_id, sales_);
  EXPECT_EQ(m.departments.at(0).order, 11);
  EXPECT_TRUE(m.departments.at(0).leader);
  EXPECT_EQ(m.departments.at(1).order, 12);
  EXPECT_FALSE(m.departments.at(1).leader);
}

TEST_P(MemberTest, RenamingKeepsTheMemberAndFreesTheOldUserid) {
  MustCreate(Person("zhangsan"));
  ASSERT_TRUE(tags_->Create(actor_, org_.id, "同事", std::nullopt).ok());
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, 1, {"zhangsan"}, {}).ok());
  const Member before = MustGet("zhangsan");

  const Mark mark = Now();
  MemberChange c = Change("zhangsan");
  c.new_userid = "zhang.san";
  MustUpdate(c);
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user"}));
  auto events = EventsAfter(mark.seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("UserID":"zhangsan")"));
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("NewUserID":"zhang.san")"));
  EXPECT_EQ(AuditsSince(mark), 1);

  EXPECT_EQ(KindOf(members_->Get(org_.id, "zhangsan")), ErrorKind::kUserNotFound);
  Member after = MustGet("ZHANG.SAN");
  EXPECT_EQ(after.userid, "zhang.san");
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.openid, before.openid);
  auto tag = tags_->Get(org_.id, 1);
  ASSERT_TRUE(tag.ok());
  ASSERT_EQ(tag->members.size(), 1u);
  EXPECT_EQ(tag->members[0].userid, "zhang.san");

  // Only the spelling may change, too.
  c = Change("zhang.san");
  c.new_userid = "Zhang.San";
  MustUpdate(c);
  EXPECT_EQ(MustGet("zhang.san").userid, "Zhang.San");
  // The old userid is free again.
  MustCreate(Person("zhangsan"));
  EXPECT_NE(MustGet("zhangsan").openid, before.openid);
}

// ---------------------------------------------------------------------------------------------
// Direct leaders

TEST_P(MemberTest, DirectLeadersMustExistAndKeepTheirOwnSpelling) {
  MustCreate(Person("Boss"));
  MustCreate(Person("Deputy"));
  NewMember emp = Person("emp");
  emp.fields.direct_leaders = Names{"BOSS", "deputy", "boss"};
  MustCreate(emp);
  EXPECT_EQ(MustGet("emp").direct_leaders, (Names{"Boss", "Deputy"}));

  MemberChange c = Change("emp");
  c.fields.direct_leaders = Names{"DEPUTY"};
  MustUpdate(c);
  EXPECT_EQ(MustGet("emp").direct_leaders, (Names{"Deputy"}));
  auto r = members_->Update(actor_, org_.id, [&] {
    MemberChange bad = Change("emp");
    bad.fields.direct_leaders = Names{"nobody"};
    return bad;
  }());
  EXPECT_EQ(KindOf(r), ErrorKind::kUserNotFound);
  EXPECT_EQ(r.error().WecomCode(), 60111);
}

TEST_P(MemberTest, ARenameCannotMakeAMemberItsOwnDirectLeader) {
  MustCreate(Person("boss"));
  MustCreate(Person("zhangsan"));
  // Naming itself under its old userid while renaming is naming itself.
  MemberChange c = Change("zhangsan");
  c.new_userid = "zhang3";
  c.fields.direct_leaders = Names{"boss", "zhangsan"};
  ExpectUpdateRefused(std::nullopt, c, "itself under the old userid");
  // And whatever the call answers, nobody ends up leading itself.
  auto m = members_->Get(org_.id, "zhang3");
  if (m.ok()) {
    for (const auto& l : m->direct_leaders) {
      EXPECT_NE(directory::UseridKey(l), "zhang3");
      EXPECT_NE(directory::UseridKey(l), "zhangsan");
    }
  }
}

TEST_P(MemberTest, RenamingALeaderRenamesItInOthersLists) {
  MustCreate(Person("Boss"));
  MustCreate(Person("other"));
  NewMember a = Person("a");
  a.fields.direct_leaders = Names{"other", "boss"};
  MustCreate(a);
  NewMember b = Person("b");
  b.fields.direct_leaders = Names{"Boss"};
  MustCreate(b);
  NewMember c = Person("c");
  c.fields.direct_leaders = Names{"other"};
  MustCreate(c);
  const Member c_before = MustGet("c");

  const Mark mark = Now();
  MemberChange rename = Change("boss");
  rename.new_userid = "Chief";
  MustUpdate(rename);
  EXPECT_EQ(MustGet("a").direct_leaders, (Names{"other", "Chief"}));
  EXPECT_EQ(MustGet("b").direct_leaders, (Names{"Chief"}));
  EXPECT_EQ(Describe(MustGet("c")), Describe(c_before));
  // Boss's own update_user, and one for each member whose list changed.
  Names types = ChangeTypesSince(mark);
  EXPECT_EQ(types, (Names{"update_user", "update_user", "update_user"}));
  std::multiset<std::string> users;
  for (const auto& e : EventsAfter(mark.seq)) {
    for (const char* u : {"Boss", "a", "b", "c"}) {
      if (e.detail_json.find(std::string(R"("UserID":")") + u + "\"") != std::string::npos) {
        users.insert(u);
      }
    }
  }
  EXPECT_EQ(users, (std::multiset<std::string>{"Boss", "a", "b"}));
  EXPECT_EQ(AuditsSince(mark), 3);
}

TEST_P(MemberTest, DeletingALeaderTakesItOffOthersListsAndNearMissesStay) {
  MustCreate(Person("bo"));
  MustCreate(Person("boss"));
  MustCreate(Person("b_x"));
  MustCreate(Person("bax"));
  NewMember emp = Person("emp");
  emp.fields.direct_leaders = Names{"Boss", "bo", "bax"};
  MustCreate(emp);
  NewMember other = Person("other");
  other.fields.direct_leaders = Names{"boss", "bax"};
  MustCreate(other);
  const Member other_before = MustGet("other");

  Mark mark = Now();
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "BO").ok());
  EXPECT_EQ(MustGet("emp").direct_leaders, (Names{"boss", "bax"}));
  EXPECT_EQ(Describe(MustGet("other")), Describe(other_before));
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user", "delete_user"}));
  EXPECT_EQ(AuditsSince(mark), 2);

  // '_' is no wildcard: deleting b_x leaves bax alone.
  mark = Now();
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "b_x").ok());
  EXPECT_EQ(MustGet("emp").direct_leaders, (Names{"boss", "bax"}));
  EXPECT_EQ(MustGet("other").direct_leaders, (Names{"boss", "bax"}));
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"delete_user"}));

  ASSERT_TRUE(members_->BatchDelete(actor_, org_.id, {"boss", "bax"}).ok());
  EXPECT_TRUE(MustGet("emp").direct_leaders.empty());
  EXPECT_TRUE(MustGet("other").direct_leaders.empty());
}

// ---------------------------------------------------------------------------------------------
// Delete and batch delete

TEST_P(MemberTest, DeleteRemovesTheMemberAndRecordsIt) {
  MustCreate(Person("zhangsan", Ids{rd_, sales_}));
  MustCreate(Person("lisi"));
  const Mark mark = Now();
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "ZhangSan").ok());
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"delete_user"}));
  auto events = EventsAfter(mark.seq);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("UserID":"zhangsan")"));
  EXPECT_EQ(AuditsSince(mark), 1);
  EXPECT_EQ(LastAudit(), (Names{"test", "127.0.0.1", "user.delete", "zhangsan"}));

  EXPECT_EQ(KindOf(members_->Get(org_.id, "zhangsan")), ErrorKind::kUserNotFound);
  EXPECT_EQ(Listed(rd_, false), (Names{"lisi"}));
  EXPECT_TRUE(Listed(sales_, false).empty());
  ExpectRefused(
      ErrorKind::kUserNotFound, [&] { return members_->Delete(actor_, org_.id, "zhangsan"); },
      "deleting twice");
  ExpectRefused(
      ErrorKind::kMissingUserId, [&] { return members_->Delete(actor_, org_.id, ""); },
      "deleting no userid");
}

TEST_P(MemberTest, BatchDeleteIsAllOrNothing) {
  for (const char* u : {"a", "b", "c"}) MustCreate(Person(u));

  auto batch = [&](std::vector<std::string> ids) {
    return [this, ids] { return members_->BatchDelete(actor_, org_.id, ids); };
  };
  ExpectRefused(ErrorKind::kUserNotFound, batch({"a", "ghost", "b"}), "one unknown");
  ExpectRefused(ErrorKind::kInvalidUserIdList, batch({}), "empty list");
  std::vector<std::string> many(201, "a");
  ExpectRefused(ErrorKind::kInvalidUserIdList, batch(many), "201 userids");
  EXPECT_EQ(members_->BatchDelete(actor_, org_.id, many).error().WecomCode(), 40031);
  // 200 is allowed (here all unknown, so 60111 rather than 40031).
  std::vector<std::string> two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred.push_back("ghost" + std::to_string(i % 7));
  ExpectRefused(ErrorKind::kUserNotFound, batch(two_hundred), "200 userids");

  const Mark mark = Now();
  ASSERT_TRUE(members_->BatchDelete(actor_, org_.id, {"A", "c", "a"}).ok());
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"delete_user", "delete_user"}));
  EXPECT_EQ(AuditsSince(mark), 2);
  EXPECT_EQ(Listed(1, true), (Names{"b"}));
}

// ---------------------------------------------------------------------------------------------
// The member cap

TEST_P(MemberTest, MaxMembersCapsTheOrganisation) {
  MemberService capped(*store_, clock_, ids_, MemberLimits{2});
  ASSERT_TRUE(capped.Create(actor_, org_.id, Person("a")).ok());
  ASSERT_TRUE(capped.Create(actor_, org_.id, Person("b")).ok());
  ExpectRefused(
      ErrorKind::kMemberLimit, [&] { return capped.Create(actor_, org_.id, Person("c")); },
      "third member");
  EXPECT_EQ(capped.Create(actor_, org_.id, Person("c")).error().WecomCode(), 45024);
  // Updates are not creates.
  MemberChange c = Change("a");
  c.fields.name = "still fine";
  ASSERT_TRUE(capped.Update(actor_, org_.id, c).ok());
  ASSERT_TRUE(capped.Delete(actor_, org_.id, "a").ok());
  ASSERT_TRUE(capped.Create(actor_, org_.id, Person("c")).ok());
  // 0 is no cap.
  for (const char* u : {"d", "e", "f"}) MustCreate(Person(u));
  EXPECT_EQ(Listed(1, true).size(), 5u);
}

// ---------------------------------------------------------------------------------------------
// Listing a department

TEST_P(MemberTest, ADepartmentListsByOrderThenCreation) {
  auto with_order = [&](const std::string& u, Ids depts, Ids orders) {
    NewMember m = Person(u, depts);
    m.fields.orders = orders;
    MustCreate(m);
  };
  with_order("a", {rd_}, {5});
  with_order("b", {rd_}, {0});
  with_order("c", {sales_, rd_}, {100, 5});
  with_order("d", {rd_}, {9});
  with_order("e", {rd_}, {0});
  EXPECT_EQ(Listed(rd_, false), (Names{"d", "a", "c", "b", "e"}));
  EXPECT_EQ(Listed(sales_, false), (Names{"c"}));

  // A changed order moves the member.
  MemberChange ch = Change("e");
  ch.fields.orders = Ids{6};
  MustUpdate(ch);
  EXPECT_EQ(Listed(rd_, false), (Names{"d", "e", "a", "c", "b"}));

  auto list = members_->ListDepartment(org_.id, rd_, false, std::nullopt);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->at(3).departments.size(), 2u);  // full members, all their departments

  const std::int64_t empty = MustCreateDepartment("空部门", 1);
  EXPECT_TRUE(Listed(empty, false).empty());
  EXPECT_TRUE(Listed(empty, true).empty());
  for (bool fetch_child : {false, true}) {
    auto unknown = members_->ListDepartment(org_.id, 99, fetch_child, std::nullopt);
    EXPECT_EQ(KindOf(unknown), ErrorKind::kDepartmentNotFound) << fetch_child;
  }
}

TEST_P(MemberTest, FetchChildListsTheSubtreeInTreeOrderEachMemberOnce) {
  // Tree: 1 > {研发部 2 > {后端组 4, 前端组 (order 9)}, 市场部 3 (order 50)}
  ASSERT_TRUE(departments_
                  ->Update(actor_, org_.id,
                           directory::DepartmentChange{sales_, std::nullopt, std::nullopt,
                                                       std::nullopt, 50})
                  .ok());
  const std::int64_t frontend = MustCreateDepartment("前端组", rd_, 9);
  auto with_order = [&](const std::string& u, Ids depts, Ids orders) {
    NewMember m = Person(u, depts);
    m.fields.orders = orders;
    MustCreate(m);
  };
  with_order("root", {1}, {0});
  with_order("rd_low", {rd_}, {1});
  with_order("be_high", {backend_}, {10});
  with_order("both", {backend_, rd_}, {99, 0});  // in 研发部 (at 0) and 后端组 (at 99)
  with_order("fe", {frontend}, {0});
  with_order("sales", {sales_}, {0});
  with_order("rd_high", {rd_}, {7});
  with_order("be_low", {backend_}, {0});
  with_order("three", {sales_, frontend, backend_}, {0, 0, 0});

  EXPECT_EQ(Listed(rd_, false), (Names{"rd_high", "rd_low", "both"}));
  // 研发部's own members, then 前端组 (order 9) before 后端组 (order 0); "both" comes once, in
  // 研发部, and "three" once, in 前端组.
  EXPECT_EQ(Listed(rd_, true),
            (Names{"rd_high", "rd_low", "both", "fe", "three", "be_high", "be_low"}));
  EXPECT_EQ(Listed(1, true), (Names{"root", "sales", "three", "rd_high", "rd_low", "both", "fe",
                                    "be_high", "be_low"}));
  EXPECT_EQ(Listed(backend_, true), (Names{"both", "be_high", "be_low", "three"}));
  EXPECT_EQ(Listed(frontend, true), (Names{"fe", "three"}));
}

TEST_P(MemberTest, TheStatusFilterKeepsMembersWithThatStatus) {
  for (const char* u : {"new1", "active", "off", "new2"}) MustCreate(Person(u, Ids{rd_}));
  ASSERT_TRUE(members_->ConfirmActivation(actor_, org_.id, "active").ok());
  MemberChange c = Change("off");
  c.fields.enable = 0;
  MustUpdate(c);

  EXPECT_EQ(Listed(rd_, false), (Names{"new1", "active", "off", "new2"}));
  EXPECT_EQ(Listed(rd_, false, MemberStatus::kActive), (Names{"active"}));
  EXPECT_EQ(Listed(rd_, false, MemberStatus::kDisabled), (Names{"off"}));
  EXPECT_EQ(Listed(rd_, false, MemberStatus::kNotActivated), (Names{"new1", "new2"}));
  EXPECT_EQ(Listed(1, true, MemberStatus::kNotActivated), (Names{"new1", "new2"}));
  EXPECT_TRUE(Listed(rd_, false, MemberStatus::kLeft).empty());
}

// ---------------------------------------------------------------------------------------------
// user/list_id

TEST_P(MemberTest, ListIdsGivesEveryPairOnceAcrossPagesOfAnySize) {
  MustCreate(Person("m1", Ids{rd_, sales_}));
  MustCreate(Person("m2", Ids{backend_}));
  MustCreate(Person("m3", Ids{sales_, rd_, 1}));
  MustCreate(Person("gone", Ids{1}));
  MustCreate(Person("m4", Ids{1}));
  MustCreate(Person("m5", Ids{rd_}));
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "gone").ok());
  MustCreate(Person("m6", Ids{backend_, sales_}));
  using Pair = std::pair<std::string, std::int64_t>;
  const std::vector<Pair> expected{
      {"m1", rd_}, {"m1", sales_}, {"m2", backend_}, {"m3", sales_},   {"m3", rd_},
      {"m3", 1},   {"m4", 1},      {"m5", rd_},      {"m6", backend_}, {"m6", sales_}};  // 10 pairs
  for (std::int64_t limit : {1, 2, 3, 4, 5, 9, 10, 11, 10000}) {
    std::vector<Pair> got;
    std::string cursor;
    int pages = 0;
    while (true) {
      auto page = members_->ListIds(org_.id, cursor, limit);
      ASSERT_TRUE(page.ok()) << limit << ": " << page.error().message;
      ++pages;
      ASSERT_LE(pages, 20) << "no end at limit " << limit;
      EXPECT_LE(static_cast<std::int64_t>(page->entries.size()), limit);
      for (const auto& e : page->entries) got.emplace_back(e.userid, e.department_id);
      if (page->next_cursor.empty()) break;
      EXPECT_EQ(static_cast<std::int64_t>(page->entries.size()), limit) << "a short middle page";
      cursor = page->next_cursor;
    }
    EXPECT_EQ(got, expected) << "limit " << limit;
    // The last page ends the list exactly: no empty page after a full one.
    const auto total = static_cast<std::int64_t>(expected.size());
    EXPECT_EQ(pages, (total + limit - 1) / limit) << "limit " << limit;
  }

  // A cursor survives changes between pages: the member it stopped at goes away and a new one
  // arrives.
  auto first = members_->ListIds(org_.id, "", 3);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->entries.size(), 3u);
  ASSERT_EQ(first->entries.back().userid, "m2");
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "m2").ok());
  MustCreate(Person("m7", Ids{1}));
  auto rest = members_->ListIds(org_.id, first->next_cursor, 100);
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  std::vector<Pair> got;
  for (const auto& e : rest->entries) got.emplace_back(e.userid, e.department_id);
  std::vector<Pair> after(expected.begin() + 3, expected.end());
  after.emplace_back("m7", 1);
  EXPECT_EQ(got, after);
  EXPECT_TRUE(rest->next_cursor.empty());
}

TEST_P(MemberTest, ListIdsRefusesBadLimitsAndCursors) {
  MustCreate(Person("m1", Ids{rd_, sales_}));
  MustCreate(Person("m2"));
  for (std::int64_t limit : {0, -1, 10001}) {
    EXPECT_EQ(KindOf(members_->ListIds(org_.id, "", limit)), ErrorKind::kInvalidParameter) << limit;
  }
  EXPECT_TRUE(members_->ListIds(org_.id, "", 10000).ok());
  auto first = members_->ListIds(org_.id, "", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_cursor.empty());
  for (const std::string& cursor :
       {std::string("garbage"), std::string("1"), std::string("-"), std::string("1-"),
        std::string("-1"), std::string("a-b"), std::string("1-2-3"), std::string("-1-0"),
        std::string("99999999999999999999-0"), first->next_cursor + "x", "x" + first->next_cursor,
        first->next_cursor + " "}) {
    auto r = members_->ListIds(org_.id, cursor, 10);
    EXPECT_EQ(KindOf(r), ErrorKind::kInvalidParameter) << cursor;
    if (!r.ok()) {
      EXPECT_EQ(r.error().WecomCode(), 40058);
    }
  }
  EXPECT_TRUE(members_->ListIds(org_.id, first->next_cursor, 10).ok());
}

TEST_P(MemberTest, ListIdsRefusesAWellFormedCursorItDidNotGive) {
  // "a cursor corphub did not give is 40058" (docs/wecom-api.md, user/list_id).
  MustCreate(Person("m1", Ids{rd_, sales_}));
  for (const char* cursor : {"0-0", "999999-0", "1-999"}) {
    EXPECT_EQ(KindOf(members_->ListIds(org_.id, cursor, 10)), ErrorKind::kInvalidParameter)
        << cursor;
  }
}

// ---------------------------------------------------------------------------------------------
// Lookups

TEST_P(MemberTest, LookupsByMobileEmailAndOpenid) {
  NewMember z = Person("ZhangSan");
  z.fields.mobile = "+86 138-0013-8000";
  z.fields.email = "Zhang@Example.com";
  z.fields.biz_mail = "zhangsan@corp.example.com";
  MustCreate(z);
  NewMember l = Person("lisi");
  l.fields.mobile = "13900139000";
  l.fields.email = "lisi@example.com";
  MustCreate(l);

  for (const char* mobile : {"+86 138-0013-8000", "+8613800138000", "+86-138 0013 8000"}) {
    auto found = members_->UseridByMobile(org_.id, mobile);
    ASSERT_TRUE(found.ok()) << mobile << ": " << found.error().message;
    EXPECT_EQ(*found, "ZhangSan");
  }
  EXPECT_EQ(*members_->UseridByMobile(org_.id, "139-0013-9000"), "lisi");
  auto no_mobile = members_->UseridByMobile(org_.id, "13700137000");
  EXPECT_EQ(KindOf(no_mobile), ErrorKind::kNotFound);
  EXPECT_EQ(no_mobile.error().WecomCode(), 46004);

  auto biz = members_->UseridByEmail(org_.id, "ZhangSan@Corp.Example.com", EmailType::kBusiness);
  ASSERT_TRUE(biz.ok()) << biz.error().message;
  EXPECT_EQ(*biz, "ZhangSan");
  auto personal = members_->UseridByEmail(org_.id, "zhang@example.com", EmailType::kPersonal);
  ASSERT_TRUE(personal.ok()) << personal.error().message;
  EXPECT_EQ(*personal, "ZhangSan");
  EXPECT_EQ(*members_->UseridByEmail(org_.id, "lisi@example.com", EmailType::kPersonal), "lisi");
  // Each type looks at its own field only.
  EXPECT_EQ(KindOf(members_->UseridByEmail(org_.id, "lisi@example.com", EmailType::kBusiness)),
            ErrorKind::kNotFound);
  EXPECT_EQ(
      KindOf(members_->UseridByEmail(org_.id, "zhangsan@corp.example.com", EmailType::kPersonal)),
      ErrorKind::kNotFound);
  EXPECT_EQ(KindOf(members_->UseridByEmail(org_.id, "nobody@example.com", EmailType::kPersonal)),
            ErrorKind::kNotFound);

  auto openid = members_->OpenidOf(org_.id, "zhangsan");
  ASSERT_TRUE(openid.ok()) << openid.error().message;
  EXPECT_FALSE(openid->empty());
  EXPECT_NE(*openid, *members_->OpenidOf(org_.id, "lisi"));
  auto back = members_->UseridOfOpenid(org_.id, *openid);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "ZhangSan");
  EXPECT_EQ(KindOf(members_->OpenidOf(org_.id, "ghost")), ErrorKind::kUserNotFound);
  auto unknown = members_->UseridOfOpenid(org_.id, "o" + std::string(27, 'z'));
  EXPECT_EQ(KindOf(unknown), ErrorKind::kInvalidOpenId);
  EXPECT_EQ(unknown.error().WecomCode(), 40073);
  EXPECT_EQ(KindOf(members_->UseridOfOpenid(org_.id, "")), ErrorKind::kInvalidOpenId);

  // The openid is fixed for the member's life, renames included.
  MemberChange c = Change("zhangsan");
  c.new_userid = "zhang3";
  c.fields.mobile = "13600136000";
  MustUpdate(c);
  EXPECT_EQ(*members_->OpenidOf(org_.id, "zhang3"), *openid);
  EXPECT_EQ(*members_->UseridOfOpenid(org_.id, *openid), "zhang3");
  EXPECT_EQ(KindOf(members_->UseridByMobile(org_.id, "+86 138-0013-8000")), ErrorKind::kNotFound);
  EXPECT_EQ(*members_->UseridByMobile(org_.id, "136 0013 6000"), "zhang3");
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "zhang3").ok());
  EXPECT_EQ(KindOf(members_->UseridOfOpenid(org_.id, *openid)), ErrorKind::kInvalidOpenId);
  EXPECT_EQ(KindOf(members_->UseridByEmail(org_.id, "zhang@example.com", EmailType::kPersonal)),
            ErrorKind::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// user/authsucc

TEST_P(MemberTest, ConfirmActivationMakesANotActivatedMemberActive) {
  MustCreate(Person("zhangsan"));
  ASSERT_EQ(MustGet("zhangsan").Status(), MemberStatus::kNotActivated);
  clock_.Advance(std::chrono::seconds(5));
  const Mark mark = Now();
  ASSERT_TRUE(members_->ConfirmActivation(actor_, org_.id, "ZhangSan").ok());
  Member m = MustGet("zhangsan");
  EXPECT_EQ(m.Status(), MemberStatus::kActive);
  EXPECT_EQ(static_cast<int>(m.Status()), 1);
  EXPECT_EQ(core::UnixSeconds(m.updated_at), core::UnixSeconds(clock_.Now()));
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user", "subscribe"}));
  auto events = EventsAfter(mark.seq);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("UserID":"zhangsan")"));
  EXPECT_THAT(events[0].detail_json, HasSubstr(R"("Status":1)"));
  EXPECT_EQ(events[1].detail_json, R"({"UserID":"zhangsan"})");
  EXPECT_EQ(AuditsSince(mark), 1);

  // Again: already active, nothing changes.
  ASSERT_TRUE(members_->ConfirmActivation(actor_, org_.id, "zhangsan").ok());
  EXPECT_EQ(MustGet("zhangsan").Status(), MemberStatus::kActive);
  ExpectRefused(
      ErrorKind::kUserNotFound,
      [&] { return members_->ConfirmActivation(actor_, org_.id, "ghost"); }, "unknown member");
}

TEST_P(MemberTest, AnActiveMemberUnsubscribesWhenFrozenOrDeletedAndSubscribesWhenUnfrozen) {
  MustCreate(Person("zhangsan"));
  MustCreate(Person("lisi"));
  ASSERT_TRUE(members_->ConfirmActivation(actor_, org_.id, "zhangsan").ok());
  auto enable = [&](const std::string& userid, std::int64_t on) {
    MemberChange c;
    c.userid = userid;
    c.fields.enable = on;
    ASSERT_TRUE(members_->Update(actor_, org_.id, c).ok());
  };
  Mark mark = Now();
  enable("zhangsan", 0);
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user", "unsubscribe"}));
  mark = Now();
  enable("zhangsan", 1);
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user", "subscribe"}));
  // Not activated yet: a freeze changes what the member follows not at all.
  mark = Now();
  enable("lisi", 0);
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"update_user"}));
  mark = Now();
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "zhangsan").ok());
  EXPECT_EQ(ChangeTypesSince(mark), (Names{"delete_user", "unsubscribe"}));
}

// ---------------------------------------------------------------------------------------------
// Departments and their members

TEST_P(MemberTest, ADepartmentWithMembersCannotBeDeleted) {
  MustCreate(Person("zhangsan", Ids{sales_, backend_}));
  ExpectRefused(
      ErrorKind::kDepartmentHasMembers,
      [&] { return departments_->Delete(actor_, org_.id, backend_); }, "member in it");
  EXPECT_EQ(departments_->Delete(actor_, org_.id, backend_).error().WecomCode(), 60005);
  MemberChange c = Change("zhangsan");
  c.fields.departments = Ids{sales_};
  MustUpdate(c);
  ASSERT_TRUE(departments_->Delete(actor_, org_.id, backend_).ok());
  EXPECT_EQ(KindOf(departments_->Get(org_.id, backend_)), ErrorKind::kDepartmentNotFound);
  // Once its last member is deleted, the department can go too.
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "zhangsan").ok());
  ASSERT_TRUE(departments_->Delete(actor_, org_.id, sales_).ok());
}

TEST_P(MemberTest, DepartmentsCarryTheirLeaders) {
  NewMember a = Person("a", Ids{rd_, sales_});
  a.fields.leader_flags = Ids{1, 0};
  MustCreate(a);
  MustCreate(Person("plain", Ids{rd_}));
  NewMember b = Person("B", Ids{sales_, rd_});
  b.fields.leader_flags = Ids{0, 1};
  MustCreate(b);

  auto leaders_of = [&](std::int64_t id) {
    auto d = departments_->Get(org_.id, id);
    EXPECT_TRUE(d.ok()) << MessageOf(d);
    return d.ok() ? d->leaders : Names{"<error>"};
  };
  EXPECT_EQ(leaders_of(rd_), (Names{"a", "B"}));
  EXPECT_TRUE(leaders_of(sales_).empty());
  EXPECT_TRUE(leaders_of(1).empty());
  auto list = departments_->List(org_.id, std::nullopt);
  ASSERT_TRUE(list.ok());
  std::map<std::int64_t, Names> listed;
  for (const Department& d : *list) listed[d.id] = d.leaders;
  EXPECT_EQ(listed[rd_], (Names{"a", "B"}));
  EXPECT_TRUE(listed[sales_].empty());
  auto sub = departments_->List(org_.id, rd_);
  ASSERT_TRUE(sub.ok());
  ASSERT_FALSE(sub->empty());
  EXPECT_EQ(sub->front().leaders, (Names{"a", "B"}));

  MemberChange c = Change("a");
  c.fields.leader_flags = Ids{0, 1};
  MustUpdate(c);
  EXPECT_EQ(leaders_of(rd_), (Names{"B"}));
  EXPECT_EQ(leaders_of(sales_), (Names{"a"}));
  c = Change("b");
  c.new_userid = "Bee";
  MustUpdate(c);
  EXPECT_EQ(leaders_of(rd_), (Names{"Bee"}));
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "bee").ok());
  EXPECT_TRUE(leaders_of(rd_).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, MemberTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
