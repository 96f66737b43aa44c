#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "directory/department.hpp"

namespace corphub::directory {

class DepartmentRepository {
 public:
  virtual ~DepartmentRepository() = default;
  // Holds the organisation's tree for this transaction (a row lock on the root), so that
  // concurrent writers on PostgreSQL cannot both pass a check (free id, sibling name, cycle)
  // and then both write. Call first in every write that checks the tree; a no-op without a root.
  virtual core::Status LockTree(std::int64_t org_id) = 0;
  // kAlreadyExists when (org_id, id) is taken.
  virtual core::Status Insert(const Department& department) = 0;
  // Writes name, name_en, parent_id, order and updated_at of (org_id, id); kNotFound when it is
  // missing.
  virtual core::Status Update(const Department& department) = 0;
  virtual core::Status Delete(std::int64_t org_id, std::int64_t id) = 0;
  virtual core::Result<std::optional<Department>> Find(std::int64_t org_id, std::int64_t id) = 0;
  // Every department of the organisation, in no particular order.
  virtual core::Result<std::vector<Department>> ListAll(std::int64_t org_id) = 0;
  virtual core::Result<std::vector<Department>> Children(std::int64_t org_id,
                                                         std::int64_t parent_id) = 0;
  // The largest id in use (0 when there is none).
  virtual core::Result<std::int64_t> MaxId(std::int64_t org_id) = 0;
};

// The repositories a directory use case works with inside one transaction. Members and tags
// join this unit as they arrive.
class DirectoryUnit {
 public:
  virtual ~DirectoryUnit() = default;
  virtual DepartmentRepository& Departments() = 0;
};

}  // namespace corphub::directory
