// The field rules of WeCom's user object (docs/wecom-api.md, "Members"), as pure checks.
#include "directory/member_rules.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace corphub::core {
// Error kinds by name ("invalid_parameter") in failure messages.
inline void PrintTo(ErrorKind kind, std::ostream* os) { *os << InfoOf(kind).code; }
}  // namespace corphub::core

namespace corphub::directory {
namespace {

using core::ErrorKind;

std::optional<ErrorKind> KindOf(const core::Status& s) {
  if (s.ok()) return std::nullopt;
  return s.error().kind;
}

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// What a create needs besides the field under test.
MemberFields Minimal() {
  MemberFields f;
  f.name = "张三";
  f.departments = std::vector<std::int64_t>{1};
  f.mobile = "13800138000";
  return f;
}

std::optional<ErrorKind> CreateWith(const MemberFields& f) {
  Member m;
  return KindOf(ApplyFields(f, true, m));
}

// A member as stored: departments 2 (order 5, leader), 3 (order 7), main 3.
Member Existing() {
  Member m;
  m.userid = "zhangsan";
  m.name = "张三";
  m.mobile = "13800138000";
  m.departments = {{2, 5, true}, {3, 7, false}};
  m.main_department = 3;
  return m;
}

std::vector<std::int64_t> DepartmentIds(const Member& m) {
  std::vector<std::int64_t> ids;
  for (const auto& d : m.departments) ids.push_back(d.department_id);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// CheckUserid

TEST(CheckUseridTest, AcceptsTheDocumentedAlphabet) {
  for (const std::string& userid :
       {std::string("a"), std::string("0"), std::string("ZhangSan"), std::string("zhang.san"),
        std::string("zhang_san-01"), std::string("z@example.com"), std::string("9a_-@."),
        Repeat("a", 64)}) {
    EXPECT_TRUE(CheckUserid(userid).ok()) << userid;
  }
}

TEST(CheckUseridTest, EmptyIsMissing) {
  auto s = CheckUserid("");
  EXPECT_EQ(KindOf(s), ErrorKind::kMissingUserId);
  EXPECT_EQ(s.error().WecomCode(), 41009);
}

TEST(CheckUseridTest, RefusesMalformedUserids) {
  for (const std::string& userid :
       {Repeat("a", 65), std::string("_abc"), std::string("-abc"), std::string(".abc"),
        std::string("@abc"), std::string("zhang san"), std::string("zhang|san"),
        std::string("zhang/san"), std::string("张三"), std::string("abc\n"), std::string("a\0b", 3),
        std::string("a+b")}) {
    auto s = CheckUserid(userid);
    EXPECT_EQ(KindOf(s), ErrorKind::kInvalidUserId) << userid;
    if (!s.ok()) {
      EXPECT_EQ(s.error().WecomCode(), 40003);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CheckMobile

TEST(CheckMobileTest, AcceptsDigitsWithPrefixAndSeparators) {
  for (const char* mobile :
       {"13800138000", "+8613800138000", "+86 138 0013 8000", "138-0013-8000", "+1-202-555-0143",
        "12345", "12345678901234567890", "+86 138-0013 8000"}) {
    EXPECT_TRUE(CheckMobile(mobile).ok()) << mobile;
  }
}

TEST(CheckMobileTest, RefusesAnythingElse) {
  for (const char* mobile :
       {"", "+", "abc", "1380013800a", "138.0013.8000", "(138)00138000", "+ 8613800138000",
        "++8613800138000", "86+13800138000", " 13800138000", "13800138000 ", "-13800138000",
        "13800138000-", "138--0013", "138  0013", "138 -0013", "1234", "123456789012345678901",
        "１３８００１３８０００"}) {
    auto s = CheckMobile(mobile);
    EXPECT_EQ(KindOf(s), ErrorKind::kMobileInvalid) << mobile;
    if (!s.ok()) {
      EXPECT_EQ(s.error().WecomCode(), 60103);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CheckEmail

TEST(CheckEmailTest, AcceptsLocalAtDomainUpTo64Bytes) {
  const std::string at64 = Repeat("a", 64 - std::string("@example.com").size()) + "@example.com";
  ASSERT_EQ(at64.size(), 64u);
  for (const std::string& email :
       {std::string("zhangsan@example.com"), std::string("Zhang.San+tag@mail.example.edu.cn"),
        std::string("a@b.cn"), at64}) {
    EXPECT_TRUE(CheckEmail("email", email).ok()) << email;
  }
}

TEST(CheckEmailTest, RefusesMalformedOrLongAddresses) {
  const std::string at65 = Repeat("a", 65 - std::string("@example.com").size()) + "@example.com";
  ASSERT_EQ(at65.size(), 65u);
  for (const std::string& email :
       {at65, std::string("zhangsan"), std::string("@example.com"), std::string("zhangsan@"),
        std::string("a@@example.com"), std::string("a@b@example.com"),
        std::string("zhang san@example.com"), std::string("zhangsan@exa mple.com"),
        std::string("zhangsan@example.com "), std::string("zhangsan@.example.com"),
        std::string("zhangsan@example..com"), std::string("zhangsan@example.com."),
        std::string("zhang<san>@example.com"), std::string("zhang,san@example.com"),
        std::string("zhangsan@example.com\n")}) {
    auto s = CheckEmail("biz_mail", email);
    EXPECT_EQ(KindOf(s), ErrorKind::kEmailInvalid) << email;
    if (!s.ok()) {
      EXPECT_EQ(s.error().WecomCode(), 60105);
      EXPECT_NE(s.error().message.find("biz_mail"), std::string::npos) << s.error().message;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ApplyFields: creating

TEST(ApplyFieldsTest, CreateFillsTheDocumentedDefaults) {
  MemberFields f;
  f.name = "张三";
  f.departments = std::vector<std::int64_t>{4, 2};
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.name, "张三");
  ASSERT_EQ(m.departments.size(), 2u);
  EXPECT_EQ(m.departments[0].department_id, 4);
  EXPECT_EQ(m.departments[1].department_id, 2);
  for (const auto& d : m.departments) {
    EXPECT_EQ(d.order, 0);
    EXPECT_FALSE(d.leader);
  }
  EXPECT_EQ(m.main_department, 4);  // the first
  EXPECT_TRUE(m.enable);
  EXPECT_EQ(m.gender, 0);
  EXPECT_TRUE(m.direct_leaders.empty());
  EXPECT_EQ(m.extattr_json, R"({"attrs":[]})");
  EXPECT_EQ(m.external_profile_json, "{}");
}

TEST(ApplyFieldsTest, CreateSetsEveryFieldGiven) {
  MemberFields f;
  f.name = "张三";
  f.alias = "小张";
  f.mobile = "+86 138-0013-8000";
  f.email = "zhangsan@example.com";
  f.biz_mail = "zhangsan@corp.example.com";
  f.position = "工程师";
  f.gender = 1;
  f.telephone = "010-8888 6666";
  f.address = "北京市海淀区";
  f.departments = std::vector<std::int64_t>{2, 3};
  f.orders = std::vector<std::int64_t>{10, 4294967295};
  f.leader_flags = std::vector<std::int64_t>{1, 0};
  f.main_department = 3;
  f.direct_leaders = std::vector<std::string>{"lisi", "wangwu"};
  f.external_position = "高级工程师";
  f.extattr_json = R"({"attrs":[{"type":0,"name":"a","text":{"value":"b"}}]})";
  f.external_profile_json = R"({"external_corp_name":"x"})";
  f.enable = 0;
  f.external_id = "im-42";
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.alias, "小张");
  EXPECT_EQ(m.mobile, "+86 138-0013-8000");
  EXPECT_EQ(m.email, "zhangsan@example.com");
  EXPECT_EQ(m.biz_mail, "zhangsan@corp.example.com");
  EXPECT_EQ(m.position, "工程师");
  EXPECT_EQ(m.gender, 1);
  EXPECT_EQ(m.telephone, "010-8888 6666");
  EXPECT_EQ(m.address, "北京市海淀区");
  ASSERT_EQ(m.departments.size(), 2u);
  EXPECT_EQ(m.departments[0].department_id, 2);
  EXPECT_EQ(m.departments[0].order, 10);
  EXPECT_TRUE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].department_id, 3);
  EXPECT_EQ(m.departments[1].order, 4294967295);
  EXPECT_FALSE(m.departments[1].leader);
  EXPECT_EQ(m.main_department, 3);
  EXPECT_EQ(m.direct_leaders, (std::vector<std::string>{"lisi", "wangwu"}));
  EXPECT_EQ(m.external_position, "高级工程师");
  EXPECT_EQ(m.extattr_json, *f.extattr_json);
  EXPECT_EQ(m.external_profile_json, *f.external_profile_json);
  EXPECT_FALSE(m.enable);
  EXPECT_EQ(m.Status(), MemberStatus::kDisabled);
  EXPECT_EQ(m.external_id, "im-42");
}

TEST(ApplyFieldsTest, CreateNeedsANameAndDepartments) {
  MemberFields no_name = Minimal();
  no_name.name.reset();
  EXPECT_EQ(CreateWith(no_name), ErrorKind::kMemberNameInvalid);
  MemberFields no_departments = Minimal();
  no_departments.departments.reset();
  EXPECT_EQ(CreateWith(no_departments), ErrorKind::kMissingDepartment);
  EXPECT_TRUE(CreateWith(Minimal()) == std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// ApplyFields: lengths in characters, and valid UTF-8

struct TextRule {
  const char* field;
  std::optional<std::string> MemberFields::*member;
  std::size_t max_chars;
  ErrorKind kind;
  int wecom_code;
};

const TextRule kTextRules[] = {
    {"name", &MemberFields::name, 64, ErrorKind::kMemberNameInvalid, 60112},
    {"alias", &MemberFields::alias, 64, ErrorKind::kInvalidParameter, 40058},
    {"position", &MemberFields::position, 128, ErrorKind::kPositionInvalid, 301012},
    {"address", &MemberFields::address, 128, ErrorKind::kInvalidParameter, 40058},
    {"external_position", &MemberFields::external_position, 12, ErrorKind::kInvalidParameter,
     40058},
    {"external_id", &MemberFields::external_id, 64, ErrorKind::kInvalidParameter, 40058},
};

TEST(ApplyFieldsTest, TextLengthsAreCountedInCharactersNotBytes) {
  for (const TextRule& rule : kTextRules) {
    for (const char* unit : {"a", "张", "😀"}) {
      for (bool creating : {true, false}) {
        MemberFields f = creating ? Minimal() : MemberFields{};
        f.*rule.member = Repeat(unit, rule.max_chars);
        Member m = creating ? Member{} : Existing();
        EXPECT_TRUE(ApplyFields(f, creating, m).ok()) << rule.field << " " << unit;
        f.*rule.member = Repeat(unit, rule.max_chars + 1);
        m = creating ? Member{} : Existing();
        auto s = ApplyFields(f, creating, m);
        EXPECT_EQ(KindOf(s), rule.kind) << rule.field << " " << unit;
        if (!s.ok()) {
          EXPECT_EQ(s.error().WecomCode(), rule.wecom_code) << rule.field;
        }
      }
    }
  }
}

TEST(ApplyFieldsTest, TextFieldsMustBeValidUtf8) {
  const std::string invalid[] = {
      "\xe5\xbc",          // truncated 张
      "\x80",              // a lone continuation byte
      "\xc0\x80",          // overlong NUL
      "\xed\xa0\x80",      // a surrogate
      "\xf4\x90\x80\x80",  // past U+10FFFF
      "\xff",              // never in UTF-8
      "ok\xe5\xbc",        // valid text, then truncated
  };
  for (const TextRule& rule : kTextRules) {
    for (const std::string& bad : invalid) {
      MemberFields f = Minimal();
      f.*rule.member = bad;
      EXPECT_EQ(CreateWith(f), rule.kind) << rule.field;
    }
  }
}

TEST(ApplyFieldsTest, NameMustNotBeEmptyButOtherTextMay) {
  MemberFields f = Minimal();
  f.name = "";
  EXPECT_EQ(CreateWith(f), ErrorKind::kMemberNameInvalid);
  Member m = Existing();
  MemberFields rename;
  rename.name = "";
  EXPECT_EQ(KindOf(ApplyFields(rename, false, m)), ErrorKind::kMemberNameInvalid);

  m = Existing();
  m.alias = "小张";
  m.position = "工程师";
  MemberFields clear;
  clear.alias = "";
  clear.position = "";
  clear.address = "";
  clear.external_position = "";
  clear.external_id = "";
  clear.telephone = "";
  ASSERT_TRUE(ApplyFields(clear, false, m).ok());
  EXPECT_EQ(m.alias, "");
  EXPECT_EQ(m.position, "");
  EXPECT_EQ(m.name, "张三");
}

TEST(ApplyFieldsTest, TelephoneIsAtMost32DigitsPlusMinusParenthesesSpacesAndExtensionMarks) {
  for (const std::string& phone :
       {std::string("010-88886666"), std::string("+86 (010) 8888-6666"), Repeat("1", 32),
        std::string(""), std::string("010-8888#123"), std::string("*88886666")}) {
    MemberFields f = Minimal();
    f.telephone = phone;
    EXPECT_TRUE(CreateWith(f) == std::nullopt) << phone;
  }
  for (const std::string& phone :
       {Repeat("1", 33), std::string("010-8888x6666"), std::string("010.88886666"),
        std::string("ext 12"), std::string("０１０")}) {
    MemberFields f = Minimal();
    f.telephone = phone;
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << phone;
  }
}

TEST(ApplyFieldsTest, MobileAndEmailsAreCheckedWhenNotEmpty) {
  MemberFields bad_mobile = Minimal();
  bad_mobile.mobile = "138-abc";
  EXPECT_EQ(CreateWith(bad_mobile), ErrorKind::kMobileInvalid);
  MemberFields bad_email = Minimal();
  bad_email.email = "zhangsan";
  EXPECT_EQ(CreateWith(bad_email), ErrorKind::kEmailInvalid);
  MemberFields bad_biz = Minimal();
  bad_biz.biz_mail = "zhangsan@";
  EXPECT_EQ(CreateWith(bad_biz), ErrorKind::kEmailInvalid);

  // Empty clears the field (whether one of them remains is the service's check).
  Member m = Existing();
  m.email = "zhangsan@example.com";
  MemberFields clear;
  clear.mobile = "";
  clear.biz_mail = "";
  ASSERT_TRUE(ApplyFields(clear, false, m).ok());
  EXPECT_EQ(m.mobile, "");
  EXPECT_EQ(m.email, "zhangsan@example.com");
}

// ---------------------------------------------------------------------------------------------
// ApplyFields: ranges

TEST(ApplyFieldsTest, GenderIsZeroOneOrTwo) {
  for (int gender : {0, 1, 2}) {
    MemberFields f = Minimal();
    f.gender = gender;
    Member m;
    ASSERT_TRUE(ApplyFields(f, true, m).ok()) << gender;
    EXPECT_EQ(m.gender, gender);
  }
  for (int gender : {-1, 3, 100}) {
    MemberFields f = Minimal();
    f.gender = gender;
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << gender;
  }
}

TEST(ApplyFieldsTest, EnableIsZeroOrOne) {
  for (std::int64_t enable : {0, 1}) {
    MemberFields f = Minimal();
    f.enable = enable;
    Member m;
    ASSERT_TRUE(ApplyFields(f, true, m).ok());
    EXPECT_EQ(m.enable, enable == 1);
  }
  for (std::int64_t enable : {-1, 2, 5}) {
    MemberFields f = Minimal();
    f.enable = enable;
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << enable;
  }
}

TEST(ApplyFieldsTest, OrderIsAnUnsigned32BitNumber) {
  for (std::int64_t order : {std::int64_t{0}, std::int64_t{4294967295}}) {
    MemberFields f = Minimal();
    f.orders = std::vector<std::int64_t>{order};
    Member m;
    ASSERT_TRUE(ApplyFields(f, true, m).ok()) << order;
    EXPECT_EQ(m.departments.at(0).order, order);
  }
  for (std::int64_t order : {std::int64_t{-1}, std::int64_t{4294967296}}) {
    MemberFields f = Minimal();
    f.orders = std::vector<std::int64_t>{order};
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << order;
  }
}

TEST(ApplyFieldsTest, LeaderFlagsAreZeroOrOne) {
  MemberFields f = Minimal();
  f.departments = std::vector<std::int64_t>{2, 3};
  for (std::int64_t bad : {-1, 2}) {
    f.leader_flags = std::vector<std::int64_t>{1, bad};
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// ApplyFields: departments, orders, leader flags and the main department

TEST(ApplyFieldsTest, DepartmentListMustHoldOneToAHundredDistinctIds) {
  MemberFields f = Minimal();
  f.departments = std::vector<std::int64_t>{};
  auto empty = [&] {
    Member m;
    return ApplyFields(f, true, m);
  }();
  EXPECT_EQ(KindOf(empty), ErrorKind::kMissingDepartment);
  EXPECT_EQ(empty.error().WecomCode(), 60127);

  std::vector<std::int64_t> hundred;
  for (std::int64_t i = 1; i <= 100; ++i) hundred.push_back(i);
  f.departments = hundred;
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.departments.size(), 100u);

  hundred.push_back(101);
  f.departments = hundred;
  Member over;
  auto s = ApplyFields(f, true, over);
  EXPECT_EQ(KindOf(s), ErrorKind::kInvalidDepartmentList);
  EXPECT_EQ(s.error().WecomCode(), 40066);

  f.departments = std::vector<std::int64_t>{2, 3, 2};
  EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidDepartmentList);

  // Updates follow the same rules.
  for (const auto& ids : {std::vector<std::int64_t>{}, std::vector<std::int64_t>{3, 3}}) {
    Member existing = Existing();
    MemberFields change;
    change.departments = ids;
    EXPECT_FALSE(ApplyFields(change, false, existing).ok());
  }
}

TEST(ApplyFieldsTest, DepartmentIdsMustBePositive) {
  // No department has such an id: the list is refused however it is reported.
  for (std::int64_t id : {0, -1, -100}) {
    MemberFields f = Minimal();
    f.departments = std::vector<std::int64_t>{2, id};
    auto kind = CreateWith(f);
    ASSERT_TRUE(kind.has_value()) << id;
    EXPECT_TRUE(*kind == ErrorKind::kInvalidDepartmentList ||
                *kind == ErrorKind::kDepartmentNotFound)
        << id << ": " << core::InfoOf(*kind).code;
  }
}

TEST(ApplyFieldsTest, OrderAndLeaderFlagsNeedOneValuePerDepartment) {
  for (std::size_t n : {0u, 1u, 3u}) {
    MemberFields f = Minimal();
    f.departments = std::vector<std::int64_t>{2, 3};
    f.orders = std::vector<std::int64_t>(n, 1);
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << "order x" << n;
    f.orders.reset();
    f.leader_flags = std::vector<std::int64_t>(n, 1);
    EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter) << "is_leader_in_dept x" << n;
  }
  // Without a new department list, they must match the member's departments (two here).
  for (std::size_t n : {1u, 3u}) {
    Member m = Existing();
    MemberFields orders;
    orders.orders = std::vector<std::int64_t>(n, 1);
    EXPECT_EQ(KindOf(ApplyFields(orders, false, m)), ErrorKind::kInvalidParameter) << n;
    m = Existing();
    MemberFields flags;
    flags.leader_flags = std::vector<std::int64_t>(n, 1);
    EXPECT_EQ(KindOf(ApplyFields(flags, false, m)), ErrorKind::kInvalidParameter) << n;
  }
  Member m = Existing();
  MemberFields both;
  both.orders = std::vector<std::int64_t>{1, 2};
  both.leader_flags = std::vector<std::int64_t>{0, 1};
  ASSERT_TRUE(ApplyFields(both, false, m).ok());
  EXPECT_EQ(m.departments[0].order, 1);
  EXPECT_FALSE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].order, 2);
  EXPECT_TRUE(m.departments[1].leader);
  EXPECT_EQ(DepartmentIds(m), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(m.main_department, 3);
}

TEST(ApplyFieldsTest, ANewDepartmentListKeepsTheOrderAndFlagOfDepartmentsStayedIn) {
  Member m = Existing();  // 2 (order 5, leader), 3 (order 7), main 3
  MemberFields change;
  change.departments = std::vector<std::int64_t>{4, 3, 2};
  ASSERT_TRUE(ApplyFields(change, false, m).ok());
  ASSERT_EQ(DepartmentIds(m), (std::vector<std::int64_t>{4, 3, 2}));
  EXPECT_EQ(m.departments[0].order, 0);
  EXPECT_FALSE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].order, 7);
  EXPECT_FALSE(m.departments[1].leader);
  EXPECT_EQ(m.departments[2].order, 5);
  EXPECT_TRUE(m.departments[2].leader);
  EXPECT_EQ(m.main_department, 3);  // still one of them

  // Leaving one and coming back later does not remember it.
  MemberFields leave;
  leave.departments = std::vector<std::int64_t>{3};
  ASSERT_TRUE(ApplyFields(leave, false, m).ok());
  MemberFields back;
  back.departments = std::vector<std::int64_t>{3, 2};
  ASSERT_TRUE(ApplyFields(back, false, m).ok());
  EXPECT_EQ(m.departments[1].department_id, 2);
  EXPECT_EQ(m.departments[1].order, 0);
  EXPECT_FALSE(m.departments[1].leader);
}

TEST(ApplyFieldsTest, OrdersAndFlagsGivenWithANewListFollowTheNewList) {
  Member m = Existing();
  MemberFields change;
  change.departments = std::vector<std::int64_t>{3, 4};
  change.orders = std::vector<std::int64_t>{1, 2};
  change.leader_flags = std::vector<std::int64_t>{1, 0};
  ASSERT_TRUE(ApplyFields(change, false, m).ok());
  ASSERT_EQ(DepartmentIds(m), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(m.departments[0].order, 1);
  EXPECT_TRUE(m.departments[0].leader);
  EXPECT_EQ(m.departments[1].order, 2);
  EXPECT_FALSE(m.departments[1].leader);

  // Lengths are checked against the new list, not the old one.
  Member other = Existing();  // two departments
  MemberFields mismatch;
  mismatch.departments = std::vector<std::int64_t>{3, 4, 5};
  mismatch.orders = std::vector<std::int64_t>{1, 2};
  EXPECT_EQ(KindOf(ApplyFields(mismatch, false, other)), ErrorKind::kInvalidParameter);
}

TEST(ApplyFieldsTest, MainDepartmentDefaultsToTheFirstAndMustBeOneOfThem) {
  MemberFields f = Minimal();
  f.departments = std::vector<std::int64_t>{5, 6};
  f.main_department = 6;
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.main_department, 6);

  f.main_department = 7;
  EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter);
  f.main_department = 0;
  EXPECT_EQ(CreateWith(f), ErrorKind::kInvalidParameter);

  // Moving away from the main department makes the first main...
  Member moved = Existing();  // main 3
  MemberFields away;
  away.departments = std::vector<std::int64_t>{4, 2};
  ASSERT_TRUE(ApplyFields(away, false, moved).ok());
  EXPECT_EQ(moved.main_department, 4);
  // ...unless main_department says otherwise.
  Member chosen = Existing();
  away.main_department = 2;
  ASSERT_TRUE(ApplyFields(away, false, chosen).ok());
  EXPECT_EQ(chosen.main_department, 2);
  // main_department alone must be one of the member's current departments.
  Member alone = Existing();
  MemberFields main_only;
  main_only.main_department = 2;
  ASSERT_TRUE(ApplyFields(main_only, false, alone).ok());
  EXPECT_EQ(alone.main_department, 2);
  main_only.main_department = 4;
  EXPECT_EQ(KindOf(ApplyFields(main_only, false, alone)), ErrorKind::kInvalidParameter);
  // A main department the new list leaves out is refused.
  Member left_out = Existing();
  MemberFields bad;
  bad.departments = std::vector<std::int64_t>{4};
  bad.main_department = 3;
  EXPECT_EQ(KindOf(ApplyFields(bad, false, left_out)), ErrorKind::kInvalidParameter);
}

TEST(ApplyFieldsTest, AnUpdateLeavesFieldsNotGivenAlone) {
  Member m = Existing();
  m.alias = "小张";
  m.email = "zhangsan@example.com";
  m.gender = 2;
  m.direct_leaders = {"lisi"};
  m.enable = false;
  m.external_id = "im-1";
  const Member before = m;
  MemberFields change;
  change.position = "经理";
  ASSERT_TRUE(ApplyFields(change, false, m).ok());
  EXPECT_EQ(m.position, "经理");
  EXPECT_EQ(m.name, before.name);
  EXPECT_EQ(m.alias, before.alias);
  EXPECT_EQ(m.mobile, before.mobile);
  EXPECT_EQ(m.email, before.email);
  EXPECT_EQ(m.gender, 2);
  EXPECT_EQ(m.direct_leaders, before.direct_leaders);
  EXPECT_FALSE(m.enable);
  EXPECT_EQ(m.external_id, "im-1");
  EXPECT_EQ(DepartmentIds(m), DepartmentIds(before));
  EXPECT_EQ(m.departments[0].order, 5);
  EXPECT_TRUE(m.departments[0].leader);
  EXPECT_EQ(m.main_department, 3);
}

// ---------------------------------------------------------------------------------------------
// ApplyFields: direct leaders

TEST(ApplyFieldsTest, DirectLeadersAreAtMostFive) {
  MemberFields f = Minimal();
  f.direct_leaders = std::vector<std::string>{"a1", "a2", "a3", "a4", "a5"};
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.direct_leaders.size(), 5u);

  f.direct_leaders->push_back("a6");
  Member over;
  auto s = ApplyFields(f, true, over);
  EXPECT_EQ(KindOf(s), ErrorKind::kInvalidParameter);
  EXPECT_EQ(s.error().WecomCode(), 40058);

  // An empty list clears them.
  Member existing = Existing();
  existing.direct_leaders = {"lisi"};
  MemberFields clear;
  clear.direct_leaders = std::vector<std::string>{};
  ASSERT_TRUE(ApplyFields(clear, false, existing).ok());
  EXPECT_TRUE(existing.direct_leaders.empty());
}

TEST(ApplyFieldsTest, DirectLeadersNamedTwiceComeOnceIgnoringCase) {
  MemberFields f = Minimal();
  f.direct_leaders = std::vector<std::string>{"LiSi", "wangwu", "lisi", "LISI", "WangWu"};
  Member m;
  ASSERT_TRUE(ApplyFields(f, true, m).ok());
  EXPECT_EQ(m.direct_leaders, (std::vector<std::string>{"LiSi", "wangwu"}));
}

}  // namespace
}  // namespace corphub::directory
