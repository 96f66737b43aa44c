#pragma once
// A management scope (departments with their subtrees, and tags: their members and their
// departments' subtrees) resolved against the directory, so that each check is a lookup. An
// administrator's scopes are resolved this way for every call that needs them.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::directory {

struct ScopeIndex {
  bool everything = false;                       // the root department is in it
  std::unordered_set<std::int64_t> departments;  // with subtrees, the tags' departments included
  std::unordered_set<std::int64_t> roots;        // the departments named (and the tags' ones)
  std::unordered_set<std::int64_t> tags;

  bool HasDepartment(std::int64_t id) const { return everything || departments.count(id) != 0; }
  bool HasTag(std::int64_t id) const { return everything || tags.count(id) != 0; }
  // A root of the scope itself (or above it): not to be deleted, moved or renamed by the
  // scope's administrators.
  bool IsRoot(std::int64_t id) const { return id == 1 || roots.count(id) != 0; }  // 1: the root
  // In any of its departments, or tagged with one of the scope's tags.
  bool HasMember(const Member& m, const std::vector<std::int64_t>& tag_ids) const;
  // The department ids in ascending order, for a query's filter.
  std::vector<std::int64_t> DepartmentList() const;
};

// Builds the index from the tree ((id, parent) pairs), the scope, and the departments its tags
// hold. Departments that do not exist cover nothing.
ScopeIndex IndexScope(const std::vector<std::pair<std::int64_t, std::int64_t>>& tree,
                      const std::vector<std::int64_t>& department_ids,
                      const std::vector<std::int64_t>& tag_ids,
                      const std::vector<std::int64_t>& tag_departments);

class ScopeResolver {
 public:
  explicit ScopeResolver(core::Transactor<DirectoryUnit>& store) : store_(store) {}

  // Blocking.
  core::Result<ScopeIndex> Resolve(std::int64_t org_id,
                                   const std::vector<std::int64_t>& department_ids,
                                   const std::vector<std::int64_t>& tag_ids);
  // The members with these userids (unknown ones left out) and their direct tags. Blocking.
  struct Found {
    Member member;
    std::vector<std::int64_t> tag_ids;
  };
  core::Result<std::vector<Found>> Members(std::int64_t org_id,
                                           const std::vector<std::string>& userids);
  // The userids of these member ids (unknown ones left out), by userid. Blocking.
  core::Result<std::vector<std::string>> Userids(std::int64_t org_id,
                                                 const std::vector<std::int64_t>& member_ids);
  // kDepartmentNotFound or kInvalidTagId naming the first of them that does not exist. Blocking.
  core::Status Exist(std::int64_t org_id, const std::vector<std::int64_t>& department_ids,
                     const std::vector<std::int64_t>& tag_ids);

 private:
  core::Transactor<DirectoryUnit>& store_;
  // The tree's (id, parent) pairs, kept by directory version.
  std::mutex mu_;
  std::int64_t tree_org_ = 0;
  std::int64_t tree_version_ = -1;
  std::vector<std::pair<std::int64_t, std::int64_t>> tree_;
};

}  // namespace corphub::directory
