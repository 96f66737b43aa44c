#pragma once
// apps::AppRepository over Sql, for every backend.
#include "apps/app.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class AppSql final : public apps::AppRepository {
 public:
  explicit AppSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(apps::App& app) override;
  core::Result<std::int64_t> MaxAgentid(std::int64_t org_id) override;
  core::Result<std::optional<apps::App>> FindByAgentid(std::int64_t org_id,
                                                       std::int64_t agentid) override;
  core::Result<std::optional<apps::App>> FindBySecretHash(std::string_view secret_hash) override;
  core::Result<std::vector<apps::App>> List(std::int64_t org_id) override;
  core::Result<apps::AppScope> Scope(std::int64_t app_id) override;
  core::Status SetScope(std::int64_t app_id, const apps::AppScope& scope) override;
  core::Status SetAllowlist(std::int64_t app_id, std::string_view allowlist,
                            core::TimePoint at) override;
  core::Status SetSecretHash(std::int64_t app_id, std::string_view secret_hash,
                             core::TimePoint at) override;
  core::Status UpdateSettings(const apps::App& app) override;
  core::Status SetMenu(std::int64_t app_id, std::string_view menu_json,
                       core::TimePoint at) override;

 private:
  core::Result<std::vector<apps::App>> Select(std::string_view where, Params params);
  Sql& sql_;
};

}  // namespace corphub::storage
