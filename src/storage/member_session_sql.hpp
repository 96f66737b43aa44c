#pragma once
// identity::MemberSessionRepository over Sql, for every backend.
#include "identity/member_session.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class MemberSessionSql final : public identity::MemberSessionRepository {
 public:
  explicit MemberSessionSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(identity::MemberSession& session) override;
  core::Result<std::optional<identity::MemberSession>> Find(std::string_view token_hash) override;
  core::Status Touch(std::int64_t id, core::TimePoint last_seen_at) override;
  core::Status Delete(std::int64_t id) override;
  core::Result<std::optional<std::int64_t>> MemberIdOf(std::int64_t org_id,
                                                       std::string_view userid_key) override;
  core::Result<std::optional<identity::MemberProfile>> Profile(std::int64_t member_id) override;
  core::Result<std::vector<identity::MemberSession>> ListOfMember(std::int64_t member_id,
                                                                  core::TimePoint now) override;
  core::Result<std::vector<std::int64_t>> DeleteOfMember(std::int64_t member_id,
                                                         std::optional<std::int64_t> id,
                                                         std::int64_t keep) override;
  core::Result<std::vector<std::int64_t>> Live(const std::vector<std::int64_t>& ids,
                                               core::TimePoint now) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
