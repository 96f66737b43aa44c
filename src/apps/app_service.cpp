#include "apps/app_service.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
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

namespace {

core::Result<App> Existing(AppUnit& u, std::int64_t org_id, std::int64_t agentid) {
  auto app = u.Apps().FindByAgentid(org_id, agentid);
  if (!app) return std::move(app).error();
  if (!*app) {
    return core::MakeError(core::ErrorKind::kInvalidAgentId,
                           "no app has agentid " + std::to_string(agentid));
  }
  return std::move(**app);
}

void SortUnique(std::vector<std::int64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

core::Status AppService::SetScope(const core::Actor& actor, std::int64_t org_id,
                                  std::int64_t agentid, AppScope scope) {
  SortUnique(scope.member_ids);
  SortUnique(scope.department_ids);
  SortUnique(scope.tag_ids);
  if (scope.member_ids.empty() && scope.department_ids.empty() && scope.tag_ids.empty()) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "a visible scope needs a member, a department or a tag");
  }
  if (scope.member_ids.size() > 1000 || scope.department_ids.size() > 100 ||
      scope.tag_ids.size() > 100) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "a visible scope holds at most 1000 members, 100 departments and 100 "
                           "tags");
  }
  core::Status written = store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    CORPHUB_TRY(u.Apps().SetScope(app->id, scope));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.scope", std::to_string(agentid),
                                              core::JsonObjectWriter()
                                                  .Ints("members", scope.member_ids)
                                                  .Ints("departments", scope.department_ids)
                                                  .Ints("tags", scope.tag_ids)
                                                  .Done()});
  });
  if (written) ForgetGuard(org_id, agentid);
  return written;
}

namespace {

// A host name (letters, digits, '-', '.'; no empty label) with an optional :port.
bool IsDomain(std::string_view text) {
  if (text.empty() || text.size() > 260) return false;
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return false;
    }
    text = text.substr(0, colon);
  }
  if (text.empty() || text.size() > 253 || text.front() == '.' || text.back() == '.') {
    return false;
  }
  char prev = '.';
  for (char ch : text) {
    const bool alnum =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!alnum && ch != '-' && ch != '.') return false;
    if (ch == '.' && prev == '.') return false;
    prev = ch;
  }
  return true;
}

core::Status ValidateSettings(const AppSettings& s) {
  using core::ErrorKind;
  if (s.name && (s.name->empty() || core::CodePoints(*s.name) > AppService::kMaxNameChars)) {
    return core::MakeError(ErrorKind::kAppNameLength, "an app's name takes 1 to 32 characters");
  }
  if (s.description && !s.description->empty()) {
    const std::size_t n = core::CodePoints(*s.description);
    if (n < 4 || n > 120) {
      return core::MakeError(ErrorKind::kInvalidParameter,
                             "invalid description: it takes 4 to 120 characters");
    }
  }
  if (s.redirect_domain && !s.redirect_domain->empty() && !IsDomain(*s.redirect_domain)) {
    return core::MakeError(ErrorKind::kInvalidParameter,
                           "invalid redirect_domain: a host name such as oa.example.com, "
                           "optionally with :port");
  }
  if (s.home_url && !s.home_url->empty() &&
      (s.home_url->size() > 1024 || !core::IsHttpUrl(*s.home_url))) {
    return core::MakeError(ErrorKind::kInvalidParameter,
                           "invalid home_url: an http or https URL of at most 1024 bytes");
  }
  if (s.report_location_flag && (*s.report_location_flag < 0 || *s.report_location_flag > 1)) {
    return core::MakeError(ErrorKind::kInvalidParameter, "invalid report_location_flag: 0 or 1");
  }
  return core::Ok();
}

}  // namespace

core::Result<App> AppService::Update(const core::Actor& actor, std::int64_t org_id,
                                     std::int64_t agentid, const AppSettings& s) {
  CORPHUB_TRY(ValidateSettings(s));
  App updated;
  core::Status written = store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    updated = std::move(*app);
    core::JsonObjectWriter changed;
    if (s.name) changed.Str("name", updated.name = *s.name);
    if (s.description) changed.Str("description", updated.description = *s.description);
    if (s.redirect_domain) {
      changed.Str("redirect_domain", updated.redirect_domain = *s.redirect_domain);
    }
    if (s.home_url) changed.Str("home_url", updated.home_url = *s.home_url);
    if (s.report_location_flag) {
      changed.Int("report_location_flag", updated.report_location_flag = *s.report_location_flag);
    }
    if (s.report_enter) changed.Bool("isreportenter", updated.report_enter = *s.report_enter);
    if (s.report_user) changed.Bool("isreportuser", updated.report_user = *s.report_user);
    if (s.logo_media_id) changed.Str("logo_media_id", updated.logo_media_id = *s.logo_media_id);
    if (s.closed) changed.Bool("close", updated.closed = *s.closed);
    updated.updated_at = clock_.Now();
    CORPHUB_TRY(u.Apps().UpdateSettings(updated));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.settings", std::to_string(agentid),
                                              changed.Done()});
  });
  if (!written) return std::move(written).error();
  ForgetGuard(org_id, agentid);
  return updated;
}

core::Status AppService::SetMenu(const core::Actor& actor, std::int64_t org_id,
                                 std::int64_t agentid, const std::vector<MenuButton>& buttons) {
  CORPHUB_TRY(ValidateMenu(buttons));
  const std::string json = MenuJson(buttons);
  return store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    CORPHUB_TRY(u.Apps().SetMenu(app->id, json, clock_.Now()));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.menu", std::to_string(agentid), json});
  });
}

core::Status AppService::DeleteMenu(const core::Actor& actor, std::int64_t org_id,
                                    std::int64_t agentid) {
  return store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    if (app->menu_json.empty()) return core::Ok();
    CORPHUB_TRY(u.Apps().SetMenu(app->id, "", clock_.Now()));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.menu", std::to_string(agentid), "{}"});
  });
}

core::Result<std::string> AppService::ResetSecret(const core::Actor& actor, std::int64_t org_id,
                                                  std::int64_t agentid) {
  std::string secret = ids_.Token(kSecretChars);
  const std::string hash = crypto::Sha256Hex(secret);
  auto written = store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    CORPHUB_TRY(u.Apps().SetSecretHash(app->id, hash, clock_.Now()));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "app.secret_reset", std::to_string(agentid), "{}"});
  });
  if (!written) return std::move(written).error();
  ForgetGuard(org_id, agentid);
  return secret;
}

core::Status AppService::SetAllowlist(const core::Actor& actor, std::int64_t org_id,
                                      std::int64_t agentid, std::string_view text) {
  auto ranges = core::ParseIpRanges(text);
  if (!ranges) return std::move(ranges).error();
  std::string stored;
  std::vector<std::string> entries;
  for (const auto& r : *ranges) {
    entries.push_back(r.Text());
    stored += (stored.empty() ? "" : "\n") + entries.back();
  }
  core::Status written = store_.Write([&](AppUnit& u) -> core::Status {
    auto app = Existing(u, org_id, agentid);
    if (!app) return std::move(app).error();
    CORPHUB_TRY(u.Apps().SetAllowlist(app->id, stored, clock_.Now()));
    return u.Audit().Append(core::AuditRecord{
        org_id, clock_.Now(), actor.principal, actor.address, "app.allowlist",
        std::to_string(agentid), core::JsonObjectWriter().Strs("allowlist", entries).Done()});
  });
  if (!written) return written;
  ForgetGuard(org_id, agentid);
  return core::Ok();
}

core::Status AppService::Check(const Guard& guard, std::int64_t agentid,
                               std::string_view secret_tag, std::string_view address) {
  if (secret_tag != guard.secret_tag) {
    return core::MakeError(core::ErrorKind::kInvalidAccessToken,
                           "invalid access_token: app " + std::to_string(agentid) +
                               "'s secret was reset since it was issued");
  }
  if (guard.closed) {
    return core::MakeError(core::ErrorKind::kAppDisabled,
                           "app " + std::to_string(agentid) + " is closed");
  }
  if (guard.ranges.empty()) return core::Ok();
  for (const auto& r : guard.ranges) {
    if (r.Contains(address)) return core::Ok();
  }
  return core::MakeError(core::ErrorKind::kIpNotAllowed,
                         "not allow to access from your ip: " + std::string(address) +
                             " is not on app " + std::to_string(agentid) + "'s allowlist");
}

const AppService::Guard* AppService::FreshGuard(std::int64_t org_id, std::int64_t agentid) const {
  auto it = guards_.find({org_id, agentid});
  if (it == guards_.end() || clock_.Now() - it->second.read_at >= kGuardTtl) return nullptr;
  return &it->second;
}

core::Result<AppService::Guard> AppService::LoadGuard(std::int64_t org_id, std::int64_t agentid) {
  auto found = Find(org_id, agentid);
  if (!found) return std::move(found).error();
  auto ranges = core::ParseIpRanges(found->first.ip_allowlist);
  if (!ranges) return std::move(ranges).error();
  Guard guard{SecretTag(found->first.secret_hash), found->first.closed, std::move(*ranges),
              std::move(found->second), clock_.Now()};
  std::lock_guard lock(guard_mu_);
  guards_[{org_id, agentid}] = guard;
  return guard;
}

void AppService::ForgetGuard(std::int64_t org_id, std::int64_t agentid) {
  std::lock_guard lock(guard_mu_);
  guards_.erase({org_id, agentid});
}

std::optional<core::Status> AppService::CheckCallerCached(std::int64_t org_id, std::int64_t agentid,
                                                          std::string_view secret_tag,
                                                          std::string_view address) {
  std::lock_guard lock(guard_mu_);
  const Guard* guard = FreshGuard(org_id, agentid);
  if (guard == nullptr) return std::nullopt;
  return Check(*guard, agentid, secret_tag, address);
}

core::Status AppService::CheckCaller(std::int64_t org_id, std::int64_t agentid,
                                     std::string_view secret_tag, std::string_view address) {
  auto guard = LoadGuard(org_id, agentid);
  if (!guard) return std::move(guard).error();
  return Check(*guard, agentid, secret_tag, address);
}

core::Result<AppScope> AppService::VisibleScope(std::int64_t org_id, std::int64_t agentid) {
  {
    std::lock_guard lock(guard_mu_);
    if (const Guard* guard = FreshGuard(org_id, agentid)) return guard->scope;
  }
  auto guard = LoadGuard(org_id, agentid);
  if (!guard) return std::move(guard).error();
  return std::move(guard->scope);
}

core::Result<std::pair<App, AppScope>> AppService::Find(std::int64_t org_id, std::int64_t agentid) {
  return core::ReadValue(store_, [&](AppUnit& u) -> core::Result<std::pair<App, AppScope>> {
    auto app = u.Apps().FindByAgentid(org_id, agentid);
    if (!app) return std::move(app).error();
    if (!*app) {
      return core::MakeError(core::ErrorKind::kInvalidAgentId,
                             "no app has agentid " + std::to_string(agentid));
    }
    auto scope = u.Apps().Scope((*app)->id);
    if (!scope) return std::move(scope).error();
    return std::pair{std::move(**app), std::move(*scope)};
  });
}

}  // namespace corphub::apps
