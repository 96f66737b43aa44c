#pragma once
// Departments: the tree every member, message scope and admin scope hangs on. The rules and
// error kinds follow WeCom's department API (reference §2): 60001 name length, 60003 not found,
// 60004 parent not found, 60005 has members, 60006 has children, 60007 root, 60008 exists
// (id taken or a sibling has the name), 60009 illegal characters, 60010 moved under itself,
// 60123 bad id.
#include <optional>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/department.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::directory {

class DepartmentService {
 public:
  static constexpr std::size_t kMaxNameChars = 64;  // UTF-8 characters, not bytes
  static constexpr std::int64_t kMaxDepth = 15;     // WeCom allows at most 15 levels

  DepartmentService(core::Transactor<DirectoryUnit>& store, const core::Clock& clock)
      : store_(store), clock_(clock) {}

  // The root department (id 1) named after the organisation, made when missing.
  core::Status EnsureRoot(std::int64_t org_id, const std::string& name);
  // Writes record a contact-changed event and an audit record in the same transaction.
  core::Result<std::int64_t> Create(const core::Actor& actor, std::int64_t org_id,
                                    const NewDepartment& input);
  // The same inside a transaction the caller holds with the directory lock taken (imports).
  core::Result<std::int64_t> CreateIn(DirectoryUnit& u, const core::Actor& actor,
                                      std::int64_t org_id, const NewDepartment& input);
  core::Status Update(const core::Actor& actor, std::int64_t org_id,
                      const DepartmentChange& change);
  // 60005 while a member is in it; the department is removed from every tag.
  core::Status Delete(const core::Actor& actor, std::int64_t org_id, std::int64_t id);
  core::Status DeleteIn(DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id,
                        std::int64_t id);
  core::Result<Department> Get(std::int64_t org_id, std::int64_t id);
  // `root` and everything under it (the whole tree when nullopt), parents before children,
  // siblings by order (larger first) then id. kDepartmentNotFound for an unknown root.
  // Departments come with their leaders (members marked is_leader_in_dept there).
  core::Result<std::vector<Department>> List(std::int64_t org_id, std::optional<std::int64_t> root);

 private:
  core::Transactor<DirectoryUnit>& store_;
  const core::Clock& clock_;
};

// `all` in tree order: `root` and everything under it (the whole tree when nullopt), parents
// before children, siblings by order (larger first) then id; nullopt when `root` is unknown.
std::optional<std::vector<Department>> TreeOrder(const std::vector<Department>& all,
                                                 std::optional<std::int64_t> root);

}  // namespace corphub::directory
