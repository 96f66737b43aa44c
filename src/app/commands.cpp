// The one-shot commands: corp show, app create/list, migrate, admin create.
#include <iostream>
#include <string>
#include <vector>

#include "admin/admin_service.hpp"
#include "admin/session_service.hpp"
#include "app/app.hpp"
#include "app/support.hpp"
#include "apps/app_service.hpp"
#include "core/json_writer.hpp"
#include "corp/corp_service.hpp"
#include "corp/token_service.hpp"
#include "crypto/random.hpp"

namespace corphub::app {

namespace {

using support::Fail;
using support::OpenAndMigrate;
using support::RandomIds;
using support::SetUpLogs;

// What the one-shot commands share: the migrated store and the organisation (made on first use).
struct Cli {
  core::SystemClock clock;
  RandomIds ids;
  std::unique_ptr<storage::Store> store;

  core::Result<corp::Organisation> Open(const config::Config& c) {
    auto opened = OpenAndMigrate(c);
    if (!opened) return std::move(opened).error();
    store = std::move(opened).value();
    corp::CorpService corps(*store, clock, ids);
    return corps.EnsureDefault();
  }
};

}  // namespace

int ShowCorp(const config::Config& c, bool json) {
  SetUpLogs(c);
  Cli cli;
  auto org = cli.Open(c);
  if (!org) return Fail(org.error());
  if (json) {
    std::cout << "{\"corpid\":\"" << core::JsonEscape(org->corpid) << "\",\"name\":\""
              << core::JsonEscape(org->name) << "\",\"contacts_secret\":\""
              << core::JsonEscape(org->contacts_secret) << "\"}" << std::endl;
  } else {
    std::cout << "corpid:           " << org->corpid << "\n"
              << "name:             " << org->name << "\n"
              << "contacts secret:  " << org->contacts_secret << "\n"
              << "Internal systems call GET /cgi-bin/gettoken?corpid=...&corpsecret=... with these."
              << std::endl;
  }
  return kExitOk;
}

int CreateApp(const config::Config& c, const AppFlags& flags) {
  SetUpLogs(c);
  Cli cli;
  auto org = cli.Open(c);
  if (!org) return Fail(org.error());
  apps::AppService apps(*cli.store, cli.clock, cli.ids);
  auto created = apps.Create(org->id, flags.name, flags.description, flags.retention_days);
  if (!created) return Fail(created.error());
  const apps::App& a = created->app;
  if (flags.json) {
    std::cout << core::JsonObjectWriter()
                     .Int("agentid", a.agentid)
                     .Str("name", a.name)
                     .Str("secret", created->secret)
                     .Str("corpid", org->corpid)
                     .Int("retention_days", a.retention_days)
                     .Done()
              << std::endl;
  } else {
    std::cout << "app \"" << a.name << "\" created, visible to the whole organisation\n"
              << "agentid:  " << a.agentid << "\n"
              << "secret:   " << created->secret << "  (shown only this once)\n"
              << "corpid:   " << org->corpid << "\n"
              << "An internal system calls GET /cgi-bin/gettoken?corpid=...&corpsecret=<secret> "
                 "and then /cgi-bin/message/send with this agentid."
              << std::endl;
  }
  return kExitOk;
}

int ListApps(const config::Config& c, bool json) {
  SetUpLogs(c);
  Cli cli;
  auto org = cli.Open(c);
  if (!org) return Fail(org.error());
  apps::AppService apps(*cli.store, cli.clock, cli.ids);
  auto list = apps.List(org->id);
  if (!list) return Fail(list.error());
  std::vector<std::string> items;
  for (const auto& a : *list) {
    if (json) {
      items.push_back(core::JsonObjectWriter()
                          .Int("agentid", a.agentid)
                          .Str("name", a.name)
                          .Int("retention_days", a.retention_days)
                          .Bool("closed", a.closed)
                          .Done());
    } else {
      std::cout << a.agentid << "  " << a.name << (a.closed ? "  (closed)" : "") << "\n";
    }
  }
  if (json) std::cout << core::JsonObjectWriter().RawArray("apps", items).Done() << std::endl;
  return kExitOk;
}

int ResetAppSecret(const config::Config& c, std::int64_t agentid, bool json) {
  SetUpLogs(c);
  Cli cli;
  auto org = cli.Open(c);
  if (!org) return Fail(org.error());
  apps::AppService apps(*cli.store, cli.clock, cli.ids);
  auto secret = apps.ResetSecret({"cli", ""}, org->id, agentid);
  if (!secret) return Fail(secret.error());
  corp::TokenService tokens(*cli.store, cli.clock, cli.ids);
  if (auto revoked = tokens.Revoke(org->id, "app:" + std::to_string(agentid)); !revoked) {
    return Fail(revoked.error());
  }
  if (json) {
    std::cout << core::JsonObjectWriter()
                     .Int("agentid", agentid)
                     .Str("secret", *secret)
                     .Str("corpid", org->corpid)
                     .Done()
              << std::endl;
  } else {
    std::cout << "app " << agentid << " has a new secret\n"
              << "secret:   " << *secret << "  (shown only this once)\n"
              << "The old secret and the access tokens it gave no longer work; a running server "
                 "refuses them within 5 seconds."
              << std::endl;
  }
  return kExitOk;
}

int Migrate(const config::Config& c) {
  SetUpLogs(c);
  auto store = OpenAndMigrate(c);
  if (!store) return Fail(store.error());
  auto version = (*store)->SchemaVersion();
  if (!version) return Fail(version.error());
  std::cout << "schema version " << *version << " (" << (*store)->Describe() << ")" << std::endl;
  return kExitOk;
}

int CreateAdmin(const config::Config& c, const std::string& username, bool password_stdin) {
  SetUpLogs(c);
  std::string password;
  bool generated = !password_stdin;
  if (password_stdin) {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    password = crypto::RandomToken(admin::AdminService::kGeneratedPasswordChars);
  }
  if (auto valid = admin::AdminService::ValidateUsername(username); !valid) {
    return Fail(valid.error());
  }
  if (auto valid = admin::AdminService::ValidatePassword(password); !valid) {
    return Fail(valid.error());
  }
  auto store = OpenAndMigrate(c);
  if (!store) return Fail(store.error());
  core::SystemClock clock;
  RandomIds ids;
  crypto::PasswordHasher hasher(crypto::PasswordParams::kInteractive);
  admin::AdminService admins(**store, clock, ids, hasher);
  auto id = admins.CreateSuperAdmin(username, password);
  if (!id) return Fail(id.error());
  std::cout << "super admin \"" << username << "\" created";
  if (generated) std::cout << "; password: " << password << " (shown only this once)";
  std::cout << std::endl;
  return kExitOk;
}

int ResetAdminTotp(const config::Config& c, const std::string& username) {
  SetUpLogs(c);
  Cli cli;
  auto org = cli.Open(c);
  if (!org) return Fail(org.error());
  crypto::PasswordHasher hasher(crypto::PasswordParams::kInteractive);
  admin::SessionService sessions(*cli.store, cli.clock, cli.ids, hasher);
  if (auto done = sessions.ResetTotp({"cli", ""}, org->id, username); !done) {
    return Fail(done.error());
  }
  std::cout << "two-step login of \"" << username
            << "\" is off; they log in with their password alone and may set it up again"
            << std::endl;
  return kExitOk;
}

}  // namespace corphub::app
