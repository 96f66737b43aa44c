#include "admin/group_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "admin/admin_service.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "crypto/password.hpp"
#include "unit/admin/fake_admin_store.hpp"

namespace corphub::admin {
namespace {

using core::ErrorKind;
using test_support::FakeAdminStore;

AdminGroup Group(std::string name, std::vector<std::int64_t> departments,
                 ContactsRight contacts = ContactsRight::kRead, bool devices = false,
                 std::vector<AppGrant> apps = {}, std::vector<std::int64_t> tags = {}) {
  AdminGroup g;
  g.name = std::move(name);
  g.scope.department_ids = std::move(departments);
  g.scope.tag_ids = std::move(tags);
  g.contacts = contacts;
  g.devices = devices;
  g.apps = std::move(apps);
  return g;
}

TEST(RightsTest, AreTheUnionOfTheGroupsEachRightWithItsOwnScope) {
  auto a = Group("a", {3, 2}, ContactsRight::kRead, false, {{1000002, AppRight::kSend}});
  auto b = Group("b", {5}, ContactsRight::kEdit, true, {{1000002, AppRight::kManage}}, {7});
  auto c = Group("c", {2}, ContactsRight::kRead, false, {{1000003, AppRight::kSend}});
  Rights r = Rights::Of({a, b, c});
  EXPECT_FALSE(r.super);
  EXPECT_EQ(r.visible.department_ids, (std::vector<std::int64_t>{2, 3, 5}));
  EXPECT_EQ(r.visible.tag_ids, (std::vector<std::int64_t>{7}));
  EXPECT_EQ(r.editable.department_ids, (std::vector<std::int64_t>{5}));
  EXPECT_EQ(r.devices.department_ids, (std::vector<std::int64_t>{5}));
  EXPECT_TRUE(r.CanEdit());
  EXPECT_TRUE(r.CanManageApp(1000002));
  EXPECT_FALSE(r.CanManageApp(1000003));
  EXPECT_TRUE(r.HasApp(1000003));
  EXPECT_FALSE(r.HasApp(1000004));
  // Sending through 1000002 reaches both groups' scopes; through 1000003 only c's.
  EXPECT_EQ(r.apps.at(1000002).send_scope.department_ids, (std::vector<std::int64_t>{2, 3, 5}));
  EXPECT_EQ(r.apps.at(1000003).send_scope.department_ids, (std::vector<std::int64_t>{2}));

  Rights read_only = Rights::Of({a});
  EXPECT_TRUE(read_only.CanSee());
  EXPECT_FALSE(read_only.CanEdit());
  EXPECT_FALSE(read_only.CanManageDevices());
  EXPECT_FALSE(Rights::Of({}).CanSee());
  EXPECT_TRUE(Rights::Super().CanManageApp(42));
}

class GroupServiceTest : public ::testing::Test {
 protected:
  GroupServiceTest() { clock_.Advance(std::chrono::hours{5}); }

  std::int64_t Admin(std::string name, AdminRole role) {
    AdminAccount a;
    a.username = std::move(name);
    a.role = role;
    a.password_hash = hasher_.Hash("x-password-1");
    a.id = store_.committed.next_id++;
    store_.committed.accounts.push_back(a);
    return a.id;
  }

  FakeAdminStore store_;
  core::ManualClock clock_;
  core::SequenceIdGenerator ids_;
  crypto::PasswordHasher hasher_{crypto::PasswordParams::kTesting};
  std::vector<AdminGroup> checked_;
  core::Status check_result_ = core::Ok();
  GroupService service_{store_, clock_, ids_, hasher_, [this](const AdminGroup& g) {
                          checked_.push_back(g);
                          return check_result_;
                        }};
  core::Actor actor_{"admin:root", "10.0.0.1"};
};

TEST_F(GroupServiceTest, ValidatesGroupsBeforeAskingTheDirectory) {
  struct Case {
    AdminGroup group;
    ErrorKind kind;
  } cases[] = {
      {Group("", {2}), ErrorKind::kInvalidArgument},
      {Group("   ", {2}), ErrorKind::kInvalidArgument},
      {Group(std::string(33, 'x'), {2}), ErrorKind::kInvalidArgument},
      {Group("no scope", {}), ErrorKind::kInvalidArgument},
      {Group("bad department", {0}), ErrorKind::kDepartmentNotFound},
      {Group("bad tag", {2}, ContactsRight::kRead, false, {}, {-1}), ErrorKind::kInvalidTagId},
      {Group("bad app", {2}, ContactsRight::kRead, false, {{0, AppRight::kSend}}),
       ErrorKind::kInvalidAgentId},
      {Group("app twice", {2}, ContactsRight::kRead, false,
             {{1000002, AppRight::kSend}, {1000002, AppRight::kManage}}),
       ErrorKind::kInvalidArgument},
  };
  for (auto& c : cases) {
    auto id = service_.CreateGroup(actor_, 1, c.group);
    ASSERT_FALSE(id.ok()) << c.group.name;
    EXPECT_EQ(id.error().kind, c.kind) << c.group.name << ": " << id.error().message;
  }
  EXPECT_TRUE(checked_.empty());
  EXPECT_TRUE(store_.committed.groups.empty());
  // A name of 32 Chinese characters is fine.
  std::string name;
  for (int i = 0; i < 32; ++i) name += "院";
  EXPECT_TRUE(service_.CreateGroup(actor_, 1, Group(name, {2})).ok());
}

TEST_F(GroupServiceTest, CreatesUpdatesAndDeletesGroupsWithTheirAuditRecords) {
  auto id = service_.CreateGroup(
      actor_, 1,
      Group(" 学院 ", {4, 2, 4}, ContactsRight::kEdit, true, {{1000003, AppRight::kSend}}));
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_EQ(checked_.size(), 1u);
  EXPECT_EQ(checked_[0].org_id, 1);
  EXPECT_EQ(checked_[0].name, "学院");
  EXPECT_EQ(checked_[0].scope.department_ids, (std::vector<std::int64_t>{2, 4}));

  auto same = service_.CreateGroup(actor_, 1, Group("学院", {2}));
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().kind, ErrorKind::kAlreadyExists);

  check_result_ = core::MakeError(ErrorKind::kDepartmentNotFound, "no department 99");
  auto unknown = service_.CreateGroup(actor_, 1, Group("其他", {99}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kDepartmentNotFound);
  check_result_ = core::Ok();

  AdminGroup change = Group("学院二", {5});
  change.id = *id;
  ASSERT_TRUE(service_.UpdateGroup(actor_, 1, change).ok());
  ASSERT_EQ(store_.committed.groups.size(), 1u);
  EXPECT_EQ(store_.committed.groups[0].name, "学院二");
  EXPECT_EQ(store_.committed.groups[0].contacts, ContactsRight::kRead);
  change.id = 999;
  EXPECT_EQ(service_.UpdateGroup(actor_, 1, change).error().kind, ErrorKind::kNotFound);
  // Another organisation's group is not found either.
  change.id = *id;
  EXPECT_EQ(service_.UpdateGroup(actor_, 2, change).error().kind, ErrorKind::kNotFound);

  ASSERT_TRUE(service_.DeleteGroup(actor_, 1, *id).ok());
  EXPECT_EQ(service_.DeleteGroup(actor_, 1, *id).error().kind, ErrorKind::kNotFound);
  std::vector<std::string> actions;
  for (const auto& r : store_.committed.audit) actions.push_back(r.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"admin_group.create", "admin_group.update",
                                               "admin_group.delete"}));
  EXPECT_EQ(store_.committed.audit[0].actor, "admin:root");
  EXPECT_NE(store_.committed.audit[0].detail_json.find("\"contacts\":\"edit\""), std::string::npos);
}

TEST_F(GroupServiceTest, ScopedAdministratorsNeedAGroupAndGetAPasswordToChange) {
  auto group = service_.CreateGroup(actor_, 1, Group("学院", {2}));
  ASSERT_TRUE(group.ok());
  auto none = service_.CreateAdmin(actor_, 1, {"dean", AdminRole::kScoped, {}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kInvalidArgument);
  auto unknown = service_.CreateAdmin(actor_, 1, {"dean", AdminRole::kScoped, {77}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);
  auto bad_name = service_.CreateAdmin(actor_, 1, {"d", AdminRole::kScoped, {*group}});
  EXPECT_EQ(bad_name.error().kind, ErrorKind::kInvalidArgument);

  auto dean = service_.CreateAdmin(actor_, 1, {"dean", AdminRole::kScoped, {*group}});
  ASSERT_TRUE(dean.ok()) << dean.error().message;
  EXPECT_EQ(dean->password.size(), AdminService::kGeneratedPasswordChars);
  const AdminAccount& stored = store_.committed.accounts.back();
  EXPECT_EQ(stored.role, AdminRole::kScoped);
  EXPECT_TRUE(stored.must_change_password);
  EXPECT_TRUE(hasher_.Verify(stored.password_hash, dean->password));
  EXPECT_EQ(store_.committed.groups[0].admin_ids, (std::vector<std::int64_t>{dean->id}));
  auto again = service_.CreateAdmin(actor_, 1, {"dean", AdminRole::kScoped, {*group}});
  EXPECT_EQ(again.error().kind, ErrorKind::kAlreadyExists);

  auto admins = service_.Admins(1);
  ASSERT_TRUE(admins.ok());
  ASSERT_EQ(admins->size(), 1u);
  EXPECT_EQ((*admins)[0].group_ids, (std::vector<std::int64_t>{*group}));
}

TEST_F(GroupServiceTest, TheLastSuperAdminAndOneselfStay) {
  const auto root = Admin("root", AdminRole::kSuper);
  const auto other = Admin("other", AdminRole::kScoped);
  auto group = service_.CreateGroup(actor_, 1, Group("学院", {2}));
  ASSERT_TRUE(group.ok());

  EXPECT_EQ(service_.DeleteAdmin(actor_, 1, root, root).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(service_.DeleteAdmin(actor_, 1, root, other).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(service_.UpdateAdmin(actor_, 1, root, other, AdminRole::kScoped, {*group}).error().kind,
            ErrorKind::kConflict);
  EXPECT_EQ(service_.UpdateAdmin(actor_, 1, root, root, AdminRole::kScoped, {*group}).error().kind,
            ErrorKind::kConflict);
  // With a second super admin, the first may go.
  ASSERT_TRUE(service_.UpdateAdmin(actor_, 1, other, root, AdminRole::kSuper, {}).ok());
  ASSERT_TRUE(service_.UpdateAdmin(actor_, 1, root, other, AdminRole::kScoped, {*group}).ok());
  EXPECT_EQ(store_.committed.accounts[0].role, AdminRole::kScoped);
  ASSERT_TRUE(service_.DeleteAdmin(actor_, 1, root, other).ok());
  EXPECT_EQ(store_.committed.accounts.size(), 1u);
  EXPECT_EQ(service_.DeleteAdmin(actor_, 1, root, other).error().kind, ErrorKind::kNotFound);
}

TEST_F(GroupServiceTest, APasswordResetEndsTheSessions) {
  const auto dean = Admin("dean", AdminRole::kScoped);
  AdminSession s;
  s.admin_id = dean;
  s.id = 1;
  store_.committed.sessions.push_back(s);
  auto password = service_.ResetPassword(actor_, 1, dean);
  ASSERT_TRUE(password.ok());
  EXPECT_TRUE(store_.committed.sessions.empty());
  EXPECT_TRUE(store_.committed.accounts[0].must_change_password);
  EXPECT_TRUE(hasher_.Verify(store_.committed.accounts[0].password_hash, *password));
  EXPECT_EQ(store_.committed.audit.back().action, "admin.reset_password");
  EXPECT_EQ(service_.ResetPassword(actor_, 1, 99).error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace corphub::admin
