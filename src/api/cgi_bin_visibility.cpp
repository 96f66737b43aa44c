#include "api/cgi_bin_visibility.hpp"

#include "apps/app_service.hpp"

namespace corphub::api {

core::Error OutsideScope(const std::string& what) {
  return core::MakeError(core::ErrorKind::kPermissionDenied,
                         what + " is outside the app's visible scope");
}

core::Result<Visibility> VisibilityResolver::For(const corp::Principal& who) {
  Visibility v;
  if (!who.IsApp()) return v;
  auto scope = apps_.VisibleScope(who.org_id, who.agentid);
  if (!scope) return std::move(scope).error();
  if (scope->IsEveryone()) return v;
  v.everything = false;
  v.member_ids.insert(scope->member_ids.begin(), scope->member_ids.end());
  auto index = scopes_.Resolve(who.org_id, scope->department_ids, scope->tag_ids);
  if (!index) return std::move(index).error();
  v.index = std::move(*index);
  return v;
}

core::Status VisibilityResolver::Department(const corp::Principal& who, std::int64_t id) {
  if (!who.IsApp()) return core::Ok();
  auto v = For(who);
  if (!v) return std::move(v).error();
  if (!v->HasDepartment(id)) return OutsideScope("department " + std::to_string(id));
  return core::Ok();
}

core::Status VisibilityResolver::Member(const corp::Principal& who, const std::string& userid) {
  if (!who.IsApp()) return core::Ok();
  auto v = For(who);
  if (!v) return std::move(v).error();
  if (v->everything) return core::Ok();
  auto found = scopes_.Members(who.org_id, {userid});
  if (!found) return std::move(found).error();
  for (const auto& f : *found) {
    if (!v->HasMember(f.member, f.tag_ids)) return OutsideScope("member " + f.member.userid);
  }
  return core::Ok();
}

core::Result<std::unordered_set<std::string>> VisibilityResolver::Visible(
    const corp::Principal& who, const Visibility& v, const std::vector<std::string>& userids) {
  std::unordered_set<std::string> out;
  if (v.everything) {
    out.insert(userids.begin(), userids.end());
    return out;
  }
  auto found = scopes_.Members(who.org_id, userids);
  if (!found) return std::move(found).error();
  for (const auto& f : *found) {
    if (v.HasMember(f.member, f.tag_ids)) out.insert(f.member.userid);
  }
  return out;
}

}  // namespace corphub::api
