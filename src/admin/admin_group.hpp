#pragma once
// Delegated administration (分级管理): admin groups and what they allow. A group has a management
// scope (department subtrees and tags), a contacts right in it (read, or read and edit), rights
// per app (send through it, or manage it) and device rights (freeze members, log out their
// devices). A scoped administrator's rights are the union of their groups'; a super admin may do
// everything.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace corphub::admin {

enum class ContactsRight { kRead, kEdit };
enum class AppRight { kSend, kManage };  // manage includes send

inline std::string_view ContactsRightName(ContactsRight r) {
  return r == ContactsRight::kEdit ? "edit" : "read";
}
inline std::string_view AppRightName(AppRight r) {
  return r == AppRight::kManage ? "manage" : "send";
}

// Departments (each with its subtree) and tags (their members, and their departments'
// subtrees), as an app's visible scope is read.
struct Scope {
  std::vector<std::int64_t> department_ids;
  std::vector<std::int64_t> tag_ids;

  bool Empty() const { return department_ids.empty() && tag_ids.empty(); }
  // Adds the other's departments and tags (each kept once, ascending).
  void Merge(const Scope& other);
};

struct AppGrant {
  std::int64_t agentid = 0;
  AppRight right = AppRight::kSend;
};

struct AdminGroup {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t org_id = 0;
  std::string name;  // 1-32 characters, unique in the organisation
  std::string description;
  Scope scope;
  ContactsRight contacts = ContactsRight::kRead;
  bool devices = false;
  std::vector<AppGrant> apps;           // by agentid, each once
  std::vector<std::int64_t> admin_ids;  // its administrators, ascending
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// What one app allows the administrator: send to the targets in `send_scope`, and manage it.
struct AppAccess {
  bool manage = false;
  Scope send_scope;
};

// An administrator's effective rights.
struct Rights {
  bool super = false;
  Scope visible;                           // every group's scope: who they can see
  Scope editable;                          // the scopes of groups with the contacts edit right
  Scope devices;                           // the scopes of groups with the device right
  std::map<std::int64_t, AppAccess> apps;  // by agentid

  static Rights Super() {
    Rights r;
    r.super = true;
    return r;
  }
  // The union of the groups' rights.
  static Rights Of(const std::vector<AdminGroup>& groups);

  bool CanSee() const { return super || !visible.Empty(); }
  bool CanEdit() const { return super || !editable.Empty(); }
  bool CanManageDevices() const { return super || !devices.Empty(); }
  bool HasApp(std::int64_t agentid) const { return super || apps.count(agentid) != 0; }
  bool CanManageApp(std::int64_t agentid) const;
};

}  // namespace corphub::admin
