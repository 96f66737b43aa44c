#include "apps/app_service.hpp"

#include "core/text.hpp"
#include "crypto/hash.hpp"

namespace corphub::apps {
core::Result<CreatedApp> AppService::Create(std::int64_t org_id, std::string_view name,
                                            std::string_view description, int retention_days) {
  if (name.empty() || core::CodePoints(name) > kMaxNameChars) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "an app's name takes 1 to 32 characters");
  }
  if (retention_days < 0) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "retention is a number of days, 0 for permanently");
  }
  CreatedApp out;
  out.secret = ids_.Token(kSecretChars);
  App& app = out.app;
  app.org_id = org_id;
  app.name = std::string(name);
  app.description = std::string(description);
  app.secret_hash = crypto::Sha256Hex(out.secret);
  app.retention_days = retention_days;
  app.created_at = app.updated_at = clock_.Now();
  core::Status written = store_.Write([&](AppUnit& u) -> core::Status {
    auto max = u.Apps().MaxAgentid(org_id);
    if (!max) return std::move(max).error();
    app.agentid = std::max(kFirstAgentid, *max + 1);
    CORPHUB_TRY(u.Apps().Insert(app));
    return u.Apps().SetScope(app.id, AppScope::Everyone());
  });
  if (!written) return std::move(written).error();
  return out;
}

core::Result<std::vector<App>> AppService::List(std::int64_t org_id) {
  return core::ReadValue(store_, [&](AppUnit& u) { return u.Apps().List(org_id); });
}

}  // namespace corphub::apps
