#pragma once
// messaging::RecipientRepository over Sql, for every backend.
#include "messaging/messaging_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class RecipientSql final : public messaging::RecipientRepository {
 public:
  explicit RecipientSql(Sql& sql) : sql_(sql) {}
  core::Result<std::vector<messaging::Recipient>> ByUserids(
      std::int64_t org_id, const std::vector<std::string>& userid_keys) override;
  core::Result<std::vector<messaging::Recipient>> ByIds(
      std::int64_t org_id, const std::vector<std::int64_t>& ids) override;
  core::Result<std::vector<messaging::Recipient>> InDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& department_ids) override;
  core::Result<std::vector<messaging::Recipient>> Tagged(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;
  core::Result<std::vector<std::int64_t>> TagDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;
  core::Result<std::vector<messaging::Recipient>> Everyone(std::int64_t org_id) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> DepartmentTree(
      std::int64_t org_id) override;
  core::Result<std::vector<std::int64_t>> ExistingTags(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
