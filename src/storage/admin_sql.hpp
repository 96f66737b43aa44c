#pragma once
// admin::AdminRepository over Sql, one implementation for every backend.
#include "admin/admin_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class AdminSql final : public admin::AdminRepository {
 public:
  explicit AdminSql(Sql& sql) : sql_(sql) {}

  core::Result<std::int64_t> Insert(const admin::AdminAccount& account) override;
  core::Result<std::optional<admin::AdminAccount>> FindByUsername(
      std::string_view username) override;
  core::Result<std::int64_t> Count() override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
