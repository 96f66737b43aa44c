#pragma once
// directory::MemberRepository over Sql, for every backend.
#include "directory/directory_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class MemberSql final : public directory::MemberRepository {
 public:
  explicit MemberSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(directory::Member& member) override;
  core::Status Update(const directory::Member& member) override;
  core::Status Delete(std::int64_t org_id, std::int64_t member_id) override;
  core::Result<std::optional<directory::Member>> FindBy(std::int64_t org_id,
                                                        directory::MemberKey key,
                                                        std::string_view value) override;
  core::Result<std::vector<directory::Member>> FindManyBy(
      std::int64_t org_id, directory::MemberKey key,
      const std::vector<std::string>& values) override;
  core::Status InsertMany(std::vector<directory::Member>& members) override;
  core::Result<std::vector<directory::Member>> InDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& department_ids) override;
  core::Result<directory::MemberSearchPage> Search(std::int64_t org_id,
                                                   const directory::MemberQuery& query) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> DepartmentPairs(
      std::int64_t org_id) override;
  core::Result<std::int64_t> KeySearch(std::int64_t limit) override;
  core::Result<std::vector<directory::Member>> LedBy(std::int64_t org_id,
                                                     std::string_view userid) override;
  core::Result<std::int64_t> Count(std::int64_t org_id) override;
  core::Result<std::int64_t> CountInDepartment(std::int64_t org_id,
                                               std::int64_t department_id) override;
  core::Result<std::vector<directory::DepartmentLeader>> Leaders(std::int64_t org_id) override;
  core::Result<std::vector<directory::MemberDepartmentRef>> DepartmentPage(
      std::int64_t org_id, std::int64_t after_member, std::int64_t after_position,
      std::int64_t limit) override;

  core::Result<std::vector<directory::Member>> FindByIds(
      std::int64_t org_id, const std::vector<std::int64_t>& ids) override;

 private:
  // Members matching `where` (over table alias m), with their departments filled in.
  core::Result<std::vector<directory::Member>> Select(std::string_view where, const Params& params);
  // Replaces the member's departments (`fresh`: it has none yet).
  core::Status WriteDepartments(const directory::Member& member, bool fresh);
  Sql& sql_;
};

}  // namespace corphub::storage
