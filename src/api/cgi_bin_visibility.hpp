#pragma once
// What a /cgi-bin token may read of the directory. The contacts-sync secret reads everything; an
// app's secret reads its visible scope (its members, its departments with their subtrees, its
// tags with their members and departments), and anything else answers 60011, as WeCom does.
// Blocking: use inside Offload.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "corp/token_service.hpp"
#include "directory/scope_index.hpp"

namespace corphub::apps {
class AppService;
}

namespace corphub::api {

struct Visibility {
  bool everything = true;
  directory::ScopeIndex index;  // the departments (with subtrees) and tags
  std::unordered_set<std::int64_t> member_ids;

  bool HasDepartment(std::int64_t id) const { return everything || index.HasDepartment(id); }
  bool HasTag(std::int64_t id) const { return everything || index.HasTag(id); }
  bool HasMember(const directory::Member& m, const std::vector<std::int64_t>& tag_ids) const {
    return everything || member_ids.count(m.id) != 0 || index.HasMember(m, tag_ids);
  }
};

class VisibilityResolver {
 public:
  VisibilityResolver(apps::AppService& apps, directory::ScopeResolver& scopes)
      : apps_(apps), scopes_(scopes) {}

  core::Result<Visibility> For(const corp::Principal& who);
  // 60011 unless the department is visible to `who`.
  core::Status Department(const corp::Principal& who, std::int64_t id);
  // 60011 unless the member (when there is one) is visible to `who`.
  core::Status Member(const corp::Principal& who, const std::string& userid);
  // Those of `userids` that are visible in `v`, for listings.
  core::Result<std::unordered_set<std::string>> Visible(const corp::Principal& who,
                                                        const Visibility& v,
                                                        const std::vector<std::string>& userids);

 private:
  apps::AppService& apps_;
  directory::ScopeResolver& scopes_;
};

core::Error OutsideScope(const std::string& what);

}  // namespace corphub::api
