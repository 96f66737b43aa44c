// /admin/api/session: console login, the current session (with its CSRF token), logout.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "admin/group_service.hpp"
#include "admin/session_service.hpp"
#include "api/admin_request.hpp"
#include "api/routes.hpp"
#include "core/offload.hpp"

// GCC 12 takes the login coroutine's frame (Asio's own operator new and delete) for a mismatched
// pair once the session carries the administrator's rights: a known false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

// What the administrator may do, so the console offers nothing else.
json::object RightsJson(const admin::Rights& r) {
  json::object out;
  out["super"] = r.super;
  out["contacts"] = r.CanEdit() ? "edit" : r.CanSee() ? "read" : "none";
  out["devices"] = r.CanManageDevices();
  json::array apps;
  for (const auto& [agentid, access] : r.apps) {
    json::object a;
    a["agentid"] = agentid;
    a["right"] = access.manage ? "manage" : "send";
    apps.push_back(std::move(a));
  }
  out["apps"] = std::move(apps);
  out["all_apps"] = r.super;
  json::object scope;
  scope["departments"] = JsonIds(r.visible.department_ids);
  scope["tags"] = JsonIds(r.visible.tag_ids);
  out["scope"] = std::move(scope);
  return out;
}

json::object SessionJson(const admin::AdminSession& s) {
  json::object admin;
  admin["username"] = s.admin.username;
  admin["role"] = admin::RoleName(s.admin.role);
  admin["must_change_password"] = s.admin.must_change_password;
  admin["totp_enabled"] = !s.admin.totp_secret.empty();
  json::object out;
  out["admin"] = std::move(admin);
  out["rights"] = RightsJson(s.rights);
  out["csrf_token"] = s.csrf_token;
  return out;
}

std::string Cookie(const net::Request& req, std::string_view value, std::int64_t max_age) {
  std::string c = std::string(kAdminCookie) + "=" + std::string(value) +
                  "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (req.secure) c += "; Secure";
  return c;
}

}  // namespace

void AddAdminSessionRoutes(net::Router& router, AdminDeps deps) {
  // An unknown /admin/api address is a JSON 404, not the console's index.html.
  router.Add("*", "/admin/api/*", [](net::Request& req) -> awaitable<net::Response> {
    co_return AdminError(core::MakeError(core::ErrorKind::kApiNotFound,
                                         "no admin API at " + req.method + " " + req.path));
  });
  router.Add("POST", "/admin/api/session", [deps](net::Request& req) -> awaitable<net::Response> {
    auto body = AdminBody(req);
    if (!body) co_return AdminError(body.error());
    const auto* user = body->if_contains("username");
    const auto* pass = body->if_contains("password");
    if (user == nullptr || !user->is_string() || pass == nullptr || !pass->is_string()) {
      co_return AdminError(
          core::MakeError(core::ErrorKind::kInvalidArgument, "username and password are required"));
    }
    const auto* second = body->if_contains("code");
    if (second != nullptr && !second->is_string() && !second->is_null()) {
      co_return AdminError(core::MakeError(core::ErrorKind::kInvalidArgument,
                                           "code is the authenticator's digits, as a string"));
    }
    const std::string username(user->as_string());
    const std::string password(pass->as_string());
    const std::string code =
        second != nullptr && second->is_string() ? std::string(second->as_string()) : std::string();
    auto login = co_await core::Offload(deps.pool, [&] {
      return deps.sessions.Login(username, password, req.remote_address, code, deps.org_id);
    });
    if (!login) co_return AdminError(login.error());
    auto res = AdminJson(200, SessionJson(login->session));
    const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
        login->session.expires_at - login->session.created_at);
    res.headers.emplace_back("Set-Cookie", Cookie(req, login->token, lifetime.count()));
    co_return res;
  });
  router.Add(
      "GET", "/admin/api/session",
      AdminAuthed(deps, Need::kSelf,
                  [](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                    co_return AdminJson(200, SessionJson(s));
                  }));
  // Two-step login (TOTP) for the administrator who is logged in.
  router.Add(
      "GET", "/admin/api/account/totp",
      AdminAuthed(deps, Need::kAny,
                  [deps](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                    auto state = co_await core::Offload(
                        deps.pool, [&] { return deps.sessions.Totp(s.admin.username); });
                    if (!state) co_return AdminError(state.error());
                    json::object out;
                    out["enabled"] = state->enabled;
                    out["pending"] = state->pending;
                    out["recovery_codes_left"] = state->recovery_codes_left;
                    co_return AdminJson(200, out);
                  }));
  router.Add("POST", "/admin/api/account/totp/setup",
             AdminAuthed(deps, Need::kAny,
                         [deps](const admin::AdminSession& s,
                                net::Request& req) -> awaitable<net::Response> {
                           auto body = AdminBody(req);
                           if (!body) co_return AdminError(body.error());
                           const std::string password = Field(*body, "password");
                           auto setup = co_await core::Offload(deps.pool, [&] {
                             return deps.sessions.SetupTotp(s.admin.username, password, "corphub");
                           });
                           if (!setup) co_return AdminError(setup.error());
                           json::object out;
                           out["secret"] = setup->secret;
                           out["otpauth_uri"] = setup->otpauth_uri;
                           auto res = AdminJson(200, out);
                           res.Set("Cache-Control", "no-store");
                           co_return res;
                         }));
  router.Add(
      "POST", "/admin/api/account/totp/enable",
      AdminAuthed(
          deps, Need::kAny,
          [deps](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            auto body = AdminBody(req);
            if (!body) co_return AdminError(body.error());
            const std::string code = Field(*body, "code");
            const core::Actor actor = AdminActor(s, req);
            auto codes = co_await core::Offload(deps.pool, [&] {
              return deps.sessions.EnableTotp(actor, deps.org_id, s.admin.username, code);
            });
            if (!codes) co_return AdminError(codes.error());
            json::array list;
            for (const auto& c : *codes) list.emplace_back(c);
            json::object out;
            out["enabled"] = true;
            out["recovery_codes"] = std::move(list);
            auto res = AdminJson(200, out);
            res.Set("Cache-Control", "no-store");
            co_return res;
          }));
  router.Add(
      "POST", "/admin/api/account/totp/disable",
      AdminAuthed(
          deps, Need::kAny,
          [deps](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            auto body = AdminBody(req);
            if (!body) co_return AdminError(body.error());
            const std::string password = Field(*body, "password");
            const core::Actor actor = AdminActor(s, req);
            auto done = co_await core::Offload(deps.pool, [&] {
              return deps.sessions.DisableTotp(actor, deps.org_id, s.admin.username, password);
            });
            if (!done) co_return AdminError(done.error());
            json::object out;
            out["enabled"] = false;
            co_return AdminJson(200, out);
          }));
  // The administrator's own password: the current one, then the new one (10 characters or
  // more). Their other sessions end.
  router.Add("POST", "/admin/api/account/password",
             AdminAuthed(deps, Need::kSelf,
                         [deps](const admin::AdminSession& s,
                                net::Request& req) -> awaitable<net::Response> {
                           auto body = AdminBody(req);
                           if (!body) co_return AdminError(body.error());
                           const std::string current = Field(*body, "current_password");
                           const std::string next = Field(*body, "new_password");
                           const core::Actor actor = AdminActor(s, req);
                           auto done = co_await core::Offload(deps.pool, [&] {
                             return deps.sessions.ChangePassword(
                                 actor, deps.org_id, s.admin.username, s.id, current, next);
                           });
                           if (!done) co_return AdminError(done.error());
                           co_return NoStoreJson("{\"ok\":true}");
                         }));
  router.Add("DELETE", "/admin/api/session",
             AdminAuthed(
                 deps, Need::kSelf,
                 [deps](const admin::AdminSession&, net::Request& req) -> awaitable<net::Response> {
                   const std::string token = CookieValue(req, kAdminCookie);
                   auto done = co_await core::Offload(deps.pool, [&] {
                     return deps.sessions.Logout(token, deps.org_id, req.remote_address);
                   });
                   if (!done) co_return AdminError(done.error());
                   net::Response res;
                   res.status = 204;
                   res.Set("Cache-Control", "no-store");
                   res.headers.emplace_back("Set-Cookie", Cookie(req, "", 0));
                   co_return res;
                 }));
}

}  // namespace corphub::api
