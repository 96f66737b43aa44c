#pragma once
// sso::SsoRepository over Sql, for every backend.
#include "sso/sso.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class SsoSql final : public sso::SsoRepository {
 public:
  explicit SsoSql(Sql& sql) : sql_(sql) {}
  core::Status InsertCode(const sso::AuthCode& code) override;
  core::Result<std::optional<sso::AuthCode>> TakeCode(std::string_view code_hash,
                                                      std::int64_t now_ms) override;
  core::Status InsertTicket(const sso::UserTicket& ticket) override;
  core::Result<std::optional<sso::UserTicket>> FindTicket(std::string_view ticket_hash,
                                                          std::int64_t now_ms) override;
  core::Result<std::optional<sso::JsapiTicket>> FindJsapiTicket(std::int64_t org_id,
                                                                std::int64_t agentid,
                                                                std::int64_t now_ms) override;
  core::Result<sso::JsapiTicket> PutJsapiTicket(const sso::JsapiTicket& ticket,
                                                std::int64_t now_ms) override;
  core::Result<std::string> CorpId(std::int64_t org_id) override;
  core::Status Purge(std::int64_t now_ms) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
