#include "directory/scope_index.hpp"

#include <algorithm>
#include <unordered_map>

#include "directory/department.hpp"

namespace corphub::directory {

bool ScopeIndex::HasMember(const Member& m, const std::vector<std::int64_t>& tag_ids) const {
  if (everything) return true;
  for (const auto& d : m.departments) {
    if (departments.count(d.department_id) != 0) return true;
  }
  for (auto t : tag_ids) {
    if (tags.count(t) != 0) return true;
  }
  return false;
}

std::vector<std::int64_t> ScopeIndex::DepartmentList() const {
  std::vector<std::int64_t> out(departments.begin(), departments.end());
  std::sort(out.begin(), out.end());
  return out;
}

ScopeIndex IndexScope(const std::vector<std::pair<std::int64_t, std::int64_t>>& tree,
                      const std::vector<std::int64_t>& department_ids,
                      const std::vector<std::int64_t>& tag_ids,
                      const std::vector<std::int64_t>& tag_departments) {
  ScopeIndex index;
  index.tags.insert(tag_ids.begin(), tag_ids.end());
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;
  std::unordered_set<std::int64_t> exists;
  for (const auto& [id, parent] : tree) {
    exists.insert(id);
    if (id != parent) children[parent].push_back(id);
  }
  std::vector<std::int64_t> todo;
  for (const auto* list : {&department_ids, &tag_departments}) {
    for (auto d : *list) {
      if (exists.count(d) == 0) continue;
      if (d == kRootDepartmentId) index.everything = true;
      index.roots.insert(d);
      todo.push_back(d);
    }
  }
  while (!todo.empty()) {
    std::int64_t d = todo.back();
    todo.pop_back();
    if (!index.departments.insert(d).second) continue;
    if (auto it = children.find(d); it != children.end()) {
      todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
  }
  return index;
}

core::Result<ScopeIndex> ScopeResolver::Resolve(std::int64_t org_id,
                                                const std::vector<std::int64_t>& department_ids,
                                                const std::vector<std::int64_t>& tag_ids) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<ScopeIndex> {
    auto version = u.Departments().Version(org_id);
    if (!version) return std::move(version).error();
    std::vector<std::int64_t> tag_departments;
    for (auto t : tag_ids) {
      auto ds = u.Tags().Departments(org_id, t);
      if (!ds) return std::move(ds).error();
      tag_departments.insert(tag_departments.end(), ds->begin(), ds->end());
    }
    std::lock_guard lock(mu_);
    if (tree_org_ != org_id || tree_version_ != *version) {
      auto all = u.Departments().ListAll(org_id);
      if (!all) return std::move(all).error();
      tree_.clear();
      for (const auto& d : *all) tree_.emplace_back(d.id, d.parent_id);
      tree_org_ = org_id;
      tree_version_ = *version;
    }
    return IndexScope(tree_, department_ids, tag_ids, tag_departments);
  });
}

core::Result<std::vector<std::string>> ScopeResolver::Userids(
    std::int64_t org_id, const std::vector<std::int64_t>& member_ids) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<std::vector<std::string>> {
    auto members = u.Members().FindByIds(org_id, member_ids);
    if (!members) return std::move(members).error();
    std::vector<std::string> out;
    for (const auto& m : *members) out.push_back(m.userid);
    std::sort(out.begin(), out.end());
    return out;
  });
}

core::Status ScopeResolver::Exist(std::int64_t org_id,
                                  const std::vector<std::int64_t>& department_ids,
                                  const std::vector<std::int64_t>& tag_ids) {
  return store_.Read([&](DirectoryUnit& u) -> core::Status {
    for (auto id : department_ids) {
      auto found = u.Departments().Find(org_id, id);
      if (!found) return std::move(found).error();
      if (!*found) {
        return core::MakeError(core::ErrorKind::kDepartmentNotFound,
                               "no department has id " + std::to_string(id));
      }
    }
    for (auto id : tag_ids) {
      auto found = u.Tags().Find(org_id, id);
      if (!found) return std::move(found).error();
      if (!*found) {
        return core::MakeError(core::ErrorKind::kInvalidTagId,
                               "no tag has id " + std::to_string(id));
      }
    }
    return core::Ok();
  });
}

core::Result<std::vector<ScopeResolver::Found>> ScopeResolver::Members(
    std::int64_t org_id, const std::vector<std::string>& userids) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<std::vector<Found>> {
    auto members = u.Members().FindManyBy(org_id, MemberKey::kUserid, userids);
    if (!members) return std::move(members).error();
    std::vector<std::int64_t> ids;
    for (const auto& m : *members) ids.push_back(m.id);
    auto tags = u.Tags().OfMembers(org_id, ids);
    if (!tags) return std::move(tags).error();
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> by_member;
    for (const auto& [member_id, tag] : *tags) by_member[member_id].push_back(tag.id);
    std::vector<Found> out;
    for (auto& m : *members) {
      Found f;
      f.tag_ids = by_member[m.id];
      f.member = std::move(m);
      out.push_back(std::move(f));
    }
    return out;
  });
}

}  // namespace corphub::directory
