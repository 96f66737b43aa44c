#pragma once
// corp::OrganisationRepository and corp::TokenRepository over Sql, for every backend.
#include "corp/corp_repository.hpp"
#include "crypto/secret_box.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class OrganisationSql final : public corp::OrganisationRepository {
 public:
  // `box` seals the contacts-sync secret at rest (nullptr: stored as it is).
  OrganisationSql(Sql& sql, const crypto::SecretBox* box) : sql_(sql), box_(box) {}
  core::Result<std::int64_t> InsertDefault(const corp::Organisation& org) override;
  core::Result<std::optional<corp::Organisation>> FindDefault() override;
  core::Result<std::optional<corp::Organisation>> FindByCorpId(std::string_view corpid) override;

 private:
  core::Result<std::optional<corp::Organisation>> FindOne(std::string_view where, Params params);
  Sql& sql_;
  const crypto::SecretBox* box_;
};

class TokenSql final : public corp::TokenRepository {
 public:
  explicit TokenSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(const corp::AccessToken& token) override;
  core::Result<std::optional<corp::AccessToken>> FindByHash(std::string_view token_hash) override;
  core::Result<std::int64_t> DeleteExpiredBefore(core::TimePoint before) override;
  core::Result<std::int64_t> DeleteOf(std::int64_t org_id, std::string_view principal) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
