#pragma once
// directory::DepartmentRepository over Sql, for every backend.
#include "directory/directory_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class DepartmentSql final : public directory::DepartmentRepository {
 public:
  explicit DepartmentSql(Sql& sql) : sql_(sql) {}
  core::Status LockTree(std::int64_t org_id) override;
  core::Result<std::int64_t> Version(std::int64_t org_id) override;
  core::Status Insert(const directory::Department& department) override;
  core::Status Update(const directory::Department& department) override;
  core::Status Delete(std::int64_t org_id, std::int64_t id) override;
  core::Result<std::optional<directory::Department>> Find(std::int64_t org_id,
                                                          std::int64_t id) override;
  core::Result<std::vector<directory::Department>> ListAll(std::int64_t org_id) override;
  core::Result<std::vector<directory::Department>> Children(std::int64_t org_id,
                                                            std::int64_t parent_id) override;
  core::Result<std::int64_t> MaxId(std::int64_t org_id) override;

 private:
  core::Result<std::vector<directory::Department>> Select(std::string_view where, Params params);
  Sql& sql_;
};

}  // namespace corphub::storage
