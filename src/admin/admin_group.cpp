#include "admin/admin_group.hpp"

#include <algorithm>

namespace corphub::admin {
namespace {

void MergeSorted(std::vector<std::int64_t>& into, const std::vector<std::int64_t>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

}  // namespace

void Scope::Merge(const Scope& other) {
  MergeSorted(department_ids, other.department_ids);
  MergeSorted(tag_ids, other.tag_ids);
}

Rights Rights::Of(const std::vector<AdminGroup>& groups) {
  Rights r;
  for (const AdminGroup& g : groups) {
    r.visible.Merge(g.scope);
    if (g.contacts == ContactsRight::kEdit) r.editable.Merge(g.scope);
    if (g.devices) r.devices.Merge(g.scope);
    for (const AppGrant& a : g.apps) {
      AppAccess& access = r.apps[a.agentid];
      access.manage = access.manage || a.right == AppRight::kManage;
      access.send_scope.Merge(g.scope);
    }
  }
  return r;
}

bool Rights::CanManageApp(std::int64_t agentid) const {
  if (super) return true;
  auto it = apps.find(agentid);
  return it != apps.end() && it->second.manage;
}

}  // namespace corphub::admin
