#include "api/admin_access.hpp"

#include <algorithm>

namespace corphub::api {
namespace {

const directory::ScopeIndex& Everything() {
  static const directory::ScopeIndex all = [] {
    directory::ScopeIndex s;
    s.everything = true;
    return s;
  }();
  return all;
}

}  // namespace

core::Error Denied(std::string message) {
  return core::MakeError(core::ErrorKind::kPermissionDenied, std::move(message));
}

core::Result<const directory::ScopeIndex*> Access::Resolved(
    std::optional<directory::ScopeIndex>& slot, const admin::Scope& scope) {
  if (rights_.super) return &Everything();
  if (!slot) {
    auto index = resolver_.Resolve(org_id_, scope.department_ids, scope.tag_ids);
    if (!index) return std::move(index).error();
    slot = std::move(*index);
  }
  return &*slot;
}

core::Result<const directory::ScopeIndex*> Access::Visible() {
  return Resolved(visible_, rights_.visible);
}
core::Result<const directory::ScopeIndex*> Access::Editable() {
  return Resolved(editable_, rights_.editable);
}
core::Result<const directory::ScopeIndex*> Access::Devices() {
  return Resolved(devices_, rights_.devices);
}

core::Result<directory::ScopeIndex> Access::SendScope(std::int64_t agentid) {
  if (rights_.super) return Everything();
  auto it = rights_.apps.find(agentid);
  if (it == rights_.apps.end()) return directory::ScopeIndex{};
  return resolver_.Resolve(org_id_, it->second.send_scope.department_ids,
                           it->second.send_scope.tag_ids);
}

core::Status Access::SeeDepartment(std::int64_t id) {
  auto scope = Visible();
  if (!scope) return std::move(scope).error();
  if (!(*scope)->HasDepartment(id)) {
    return Denied("department " + std::to_string(id) + " is outside your scope");
  }
  return core::Ok();
}

core::Status Access::EditDepartment(std::int64_t id, bool below_root) {
  if (rights_.super) return core::Ok();
  auto scope = Editable();
  if (!scope) return std::move(scope).error();
  if (!(*scope)->HasDepartment(id)) {
    return Denied("you may not change department " + std::to_string(id));
  }
  if (below_root && (*scope)->IsRoot(id)) {
    return Denied("department " + std::to_string(id) +
                  " is the top of your scope: only a wider administrator may change it");
  }
  return core::Ok();
}

core::Status Access::EditTag(std::int64_t id) {
  if (rights_.super) return core::Ok();
  auto scope = Editable();
  if (!scope) return std::move(scope).error();
  if (!(*scope)->HasTag(id)) return Denied("tag " + std::to_string(id) + " is outside your scope");
  return core::Ok();
}

core::Status Access::MembersIn(const std::vector<std::string>& userids,
                               const directory::ScopeIndex& in, std::string_view what) {
  if (in.everything || userids.empty()) return core::Ok();
  auto found = resolver_.Members(org_id_, userids);
  if (!found) return std::move(found).error();
  for (const auto& f : *found) {
    if (!in.HasMember(f.member, f.tag_ids)) {
      return Denied(std::string(what) + " " + f.member.userid + " is outside your scope");
    }
  }
  return core::Ok();
}

core::Status Access::SeeMembers(const std::vector<std::string>& userids) {
  auto scope = Visible();
  if (!scope) return std::move(scope).error();
  return MembersIn(userids, **scope, "member");
}

core::Status Access::EditMembers(const std::vector<std::string>& userids) {
  if (!rights_.CanEdit()) return Denied("you may read the directory but not change it");
  auto scope = Editable();
  if (!scope) return std::move(scope).error();
  return MembersIn(userids, **scope, "member");
}

core::Result<std::vector<std::string>> Access::EditableOf(const std::vector<std::string>& userids) {
  if (rights_.super) return userids;
  std::vector<std::string> out;
  if (!rights_.CanEdit() || userids.empty()) return out;
  auto scope = Editable();
  if (!scope) return std::move(scope).error();
  auto found = resolver_.Members(org_id_, userids);
  if (!found) return std::move(found).error();
  for (const auto& f : *found) {
    if ((*scope)->HasMember(f.member, f.tag_ids)) out.push_back(f.member.userid);
  }
  return out;
}

core::Status Access::ManageDevicesOf(const std::vector<std::string>& userids) {
  if (!rights_.CanManageDevices()) return Denied("you have no right over members' devices");
  auto scope = Devices();
  if (!scope) return std::move(scope).error();
  return MembersIn(userids, **scope, "member");
}

core::Status UseApp(const admin::Rights& rights, std::int64_t agentid) {
  if (rights.HasApp(agentid)) return core::Ok();
  return Denied("you have no right over app " + std::to_string(agentid));
}

core::Status ManageApp(const admin::Rights& rights, std::int64_t agentid) {
  if (rights.CanManageApp(agentid)) return core::Ok();
  return Denied("you may not manage app " + std::to_string(agentid));
}

core::Result<std::optional<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>>>
Access::MemberFilter() {
  using Filter = std::optional<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>>;
  if (rights_.super) return Filter();
  auto scope = Visible();
  if (!scope) return std::move(scope).error();
  if ((*scope)->everything) return Filter();
  std::vector<std::int64_t> tags((*scope)->tags.begin(), (*scope)->tags.end());
  std::sort(tags.begin(), tags.end());
  return Filter(std::pair{(*scope)->DepartmentList(), std::move(tags)});
}

}  // namespace corphub::api
