// /admin/api/apps/{agentid}: one app with its visible scope, the scope's change, and the secret's
// reset (docs/admin-api.md). Changing needs the app's manage right; a scoped administrator gives
// an app only members, departments and tags of their own scope.
#include <functional>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/menu_json.hpp"
#include "api/routes.hpp"
#include "apps/app_service.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "corp/token_service.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

// The app as the console shows it, with its scope's members by userid.
core::Result<std::string> AppJson(std::int64_t org, std::int64_t agentid,
                                  const admin::Rights& rights, apps::AppService& apps,
                                  directory::ScopeResolver& scopes) {
  auto found = apps.Find(org, agentid);
  if (!found) return std::move(found).error();
  const auto& [app, scope] = *found;
  auto userids = scopes.Userids(org, scope.member_ids);
  if (!userids) return std::move(userids).error();
  std::vector<std::string> allowlist;
  for (std::size_t start = 0; start < app.ip_allowlist.size();) {
    std::size_t end = app.ip_allowlist.find('\n', start);
    if (end == std::string::npos) end = app.ip_allowlist.size();
    allowlist.push_back(app.ip_allowlist.substr(start, end - start));
    start = end + 1;
  }
  return core::JsonObjectWriter()
      .Int("agentid", app.agentid)
      .Str("name", app.name)
      .Str("description", app.description)
      .Int("retention_days", app.retention_days)
      .Bool("closed", app.closed)
      .Int("created_at", core::UnixSeconds(app.created_at))
      .Int("updated_at", core::UnixSeconds(app.updated_at))
      .Str("right", rights.CanManageApp(agentid) ? "manage" : "send")
      .Strs("ip_allowlist", allowlist)
      .Str("logo_url", app.logo_media_id.empty() ? "" : "/media/img/" + app.logo_media_id)
      .Str("redirect_domain", app.redirect_domain)
      .Str("home_url", app.home_url)
      .Int("report_location_flag", app.report_location_flag)
      .Bool("isreportenter", app.report_enter)
      .Bool("isreportuser", app.report_user)
      .Raw("menu", app.menu_json.empty() ? "null" : app.menu_json)
      .Raw("scope", core::JsonObjectWriter()
                        .Strs("users", *userids)
                        .Ints("departments", scope.department_ids)
                        .Ints("tags", scope.tag_ids)
                        .Done())
      .Done();
}

// The console's settings body: strings, report_location_flag a number, the rest booleans.
core::Result<apps::AppSettings> DecodeConsoleSettings(const boost::json::object& body) {
  apps::AppSettings s;
  for (auto [key, into] :
       {std::pair{"name", &s.name}, std::pair{"description", &s.description},
        std::pair{"redirect_domain", &s.redirect_domain}, std::pair{"home_url", &s.home_url}}) {
    const auto* v = body.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_string()) {
      return core::MakeError(ErrorKind::kInvalidArgument, std::string(key) + " must be a text");
    }
    *into = std::string(v->as_string());
  }
  for (auto [key, into] :
       {std::pair{"isreportenter", &s.report_enter}, std::pair{"isreportuser", &s.report_user},
        std::pair{"closed", &s.closed}}) {
    const auto* v = body.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_bool()) {
      return core::MakeError(ErrorKind::kInvalidArgument,
                             std::string(key) + " must be true or false");
    }
    *into = v->as_bool();
  }
  if (const auto* v = body.if_contains("report_location_flag"); v != nullptr && !v->is_null()) {
    if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 1) {
      return core::MakeError(ErrorKind::kInvalidArgument, "report_location_flag must be 0 or 1");
    }
    s.report_location_flag = static_cast<int>(v->as_int64());
  }
  return s;
}

// What a request asks to change of an app, decoded on the I/O thread and made on the pool.
using AppChangeFn = std::function<core::Status(const core::Actor&, std::int64_t agentid)>;
using AppChangeDecoder = std::function<core::Result<AppChangeFn>(net::Request&)>;

// A change to one app by an administrator with its manage right, answered with the app as GET
// gives it.
net::Handler AppChange(AdminDeps deps, apps::AppService& apps, AppChangeDecoder decode) {
  return AdminAuthed(deps, Need::kApps,
                     [&pool = deps.pool, &org = deps.org_id, &scopes = deps.scopes, &apps,
                      decode = std::move(decode)](const admin::AdminSession& s,
                                                  net::Request& req) -> awaitable<net::Response> {
                       const std::int64_t agentid = AgentidParam(req);
                       if (auto may = ManageApp(s.rights, agentid); !may)
                         co_return AdminError(may.error());
                       auto change = decode(req);
                       if (!change) co_return AdminError(change.error());
                       const core::Actor actor = AdminActor(s, req);
                       auto answer =
                           co_await core::Offload(pool, [&]() -> core::Result<std::string> {
                             CORPHUB_TRY((*change)(actor, agentid));
                             return AppJson(org, agentid, s.rights, apps, scopes);
                           });
                       if (!answer) co_return AdminError(answer.error());
                       co_return NoStoreJson(std::move(*answer));
                     });
}

// {"ip_allowlist": [...]} or one text of them, as one text.
core::Result<std::string> AllowlistText(const boost::json::object& body) {
  const auto bad =
      core::MakeError(ErrorKind::kInvalidArgument, "ip_allowlist is a list of addresses");
  const auto* v = body.if_contains("ip_allowlist");
  if (v != nullptr && v->is_string()) return std::string(v->as_string());
  if (v == nullptr || !v->is_array()) return bad;
  std::string text;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return bad;
    text += std::string(item.as_string()) + "\n";
  }
  return text;
}

}  // namespace

void AddAdminAppRoutes(net::Router& router, AdminDeps deps, apps::AppService& apps,
                       corp::TokenService& tokens) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  router.Add(
      "GET", "/admin/api/apps/{agentid}",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::int64_t agentid = AgentidParam(req);
                    if (auto may = UseApp(s.rights, agentid); !may)
                      co_return AdminError(may.error());
                    auto body = co_await core::Offload(
                        pool, [&] { return AppJson(org, agentid, s.rights, apps, scopes); });
                    if (!body) co_return AdminError(body.error());
                    co_return NoStoreJson(std::move(*body));
                  }));

  // Who may see the app and receive its messages: {"users", "departments", "tags"}.
  router.Add(
      "PUT", "/admin/api/apps/{agentid}/scope",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::int64_t agentid = AgentidParam(req);
                    if (auto may = ManageApp(s.rights, agentid); !may)
                      co_return AdminError(may.error());
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    auto users = StringListField(*body, "users", ErrorKind::kInvalidUserIdList);
                    if (!users) co_return AdminError(users.error());
                    auto departments =
                        IntListField(*body, "departments", ErrorKind::kInvalidDepartmentList);
                    if (!departments) co_return AdminError(departments.error());
                    auto tags = IntListField(*body, "tags", ErrorKind::kInvalidTagId);
                    if (!tags) co_return AdminError(tags.error());
                    const auto userids = users->value_or(std::vector<std::string>{});
                    apps::AppScope scope;
                    scope.department_ids = departments->value_or(std::vector<std::int64_t>{});
                    scope.tag_ids = tags->value_or(std::vector<std::int64_t>{});
                    const core::Actor actor = AdminActor(s, req);
                    auto done = co_await core::Offload(pool, [&]() -> core::Status {
                      CORPHUB_TRY(scopes.Exist(org, scope.department_ids, scope.tag_ids));
                      auto found = scopes.Members(org, userids);
                      if (!found) return std::move(found).error();
                      for (const auto& userid : userids) {
                        bool known = false;
                        for (const auto& f : *found) known = known || f.member.userid == userid;
                        if (!known) {
                          return core::MakeError(ErrorKind::kUserNotFound, "no member " + userid);
                        }
                      }
                      for (const auto& f : *found) scope.member_ids.push_back(f.member.id);
                      if (!s.rights.super) {
                        // Only what the administrator sees may be given to the app.
                        Access access(s.rights, scopes, org);
                        for (auto id : scope.department_ids) CORPHUB_TRY(access.SeeDepartment(id));
                        auto visible = access.Visible();
                        if (!visible) return std::move(visible).error();
                        for (auto id : scope.tag_ids) {
                          if (!(*visible)->HasTag(id)) {
                            return Denied("tag " + std::to_string(id) + " is outside your scope");
                          }
                        }
                        CORPHUB_TRY(access.SeeMembers(userids));
                      }
                      return apps.SetScope(actor, org, agentid, scope);
                    });
                    if (!done) co_return AdminError(done.error());
                    auto answer = co_await core::Offload(
                        pool, [&] { return AppJson(org, agentid, s.rights, apps, scopes); });
                    if (!answer) co_return AdminError(answer.error());
                    co_return NoStoreJson(std::move(*answer));
                  }));

  // The addresses the app's token may be used from: {"ip_allowlist": ["10.0.0.0/8", ...]} or one
  // text of them; empty: anywhere.
  router.Add("PUT", "/admin/api/apps/{agentid}/allowlist",
             AppChange(deps, apps, [&](net::Request& req) -> core::Result<AppChangeFn> {
               auto body = AdminBody(req);
               if (!body) return std::move(body).error();
               auto text = AllowlistText(*body);
               if (!text) return std::move(text).error();
               return AppChangeFn(
                   [&, text = std::move(*text)](const core::Actor& actor, std::int64_t agentid) {
                     return apps.SetAllowlist(actor, org, agentid, text);
                   });
             }));

  // The app's settings (agent/set's, and closing it): what the body names changes.
  router.Add("PATCH", "/admin/api/apps/{agentid}",
             AppChange(deps, apps, [&](net::Request& req) -> core::Result<AppChangeFn> {
               auto body = AdminBody(req);
               if (!body) return std::move(body).error();
               auto settings = DecodeConsoleSettings(*body);
               if (!settings) return std::move(settings).error();
               return AppChangeFn([&, settings = std::move(*settings)](const core::Actor& actor,
                                                                       std::int64_t agentid) {
                 auto updated = apps.Update(actor, org, agentid, settings);
                 return updated ? core::Ok() : core::Status(std::move(updated).error());
               });
             }));

  // The app's menu, as menu/create takes it ({"button":[...]}), and its removal.
  router.Add("PUT", "/admin/api/apps/{agentid}/menu",
             AppChange(deps, apps, [&](net::Request& req) -> core::Result<AppChangeFn> {
               auto buttons = DecodeMenu(req.body);
               if (!buttons) return std::move(buttons).error();
               return AppChangeFn([&, buttons = std::move(*buttons)](const core::Actor& actor,
                                                                     std::int64_t agentid) {
                 return apps.SetMenu(actor, org, agentid, buttons);
               });
             }));
  router.Add("DELETE", "/admin/api/apps/{agentid}/menu",
             AppChange(deps, apps, [&](net::Request&) -> core::Result<AppChangeFn> {
               return AppChangeFn([&](const core::Actor& actor, std::int64_t agentid) {
                 return apps.DeleteMenu(actor, org, agentid);
               });
             }));

  // A new secret, shown once; the old one and every token it gave stop working.
  router.Add(
      "POST", "/admin/api/apps/{agentid}/secret",
      AdminAuthed(
          deps, Need::kApps,
          [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::int64_t agentid = AgentidParam(req);
            if (auto may = ManageApp(s.rights, agentid); !may) co_return AdminError(may.error());
            const core::Actor actor = AdminActor(s, req);
            auto secret = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
              auto fresh = apps.ResetSecret(actor, org, agentid);
              if (!fresh) return fresh;
              CORPHUB_TRY(tokens.Revoke(org, "app:" + std::to_string(agentid)));
              return fresh;
            });
            if (!secret) co_return AdminError(secret.error());
            co_return NoStoreJson(
                core::JsonObjectWriter().Int("agentid", agentid).Str("secret", *secret).Done());
          }));
}

}  // namespace corphub::api
