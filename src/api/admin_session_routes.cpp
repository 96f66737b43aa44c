// /admin/api/session: console login, the current session (with its CSRF token), logout.
#include <boost/json/value.hpp>

#include "admin/session_service.hpp"
#include "api/admin_request.hpp"
#include "api/routes.hpp"
#include "core/offload.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

std::string_view RoleName(admin::AdminRole role) {
  switch (role) {
    case admin::AdminRole::kSuper:
      break;
  }
  return "super";
}

json::object SessionJson(const admin::AdminSession& s) {
  json::object admin;
  admin["username"] = s.admin.username;
  admin["role"] = RoleName(s.admin.role);
  admin["must_change_password"] = s.admin.must_change_password;
  json::object out;
  out["admin"] = std::move(admin);
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
    const std::string username(user->as_string());
    const std::string password(pass->as_string());
    auto login = co_await core::Offload(
        deps.pool, [&] { return deps.sessions.Login(username, password, req.remote_address); });
    if (!login) co_return AdminError(login.error());
    auto res = AdminJson(200, SessionJson(login->session));
    const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
        login->session.expires_at - login->session.created_at);
    res.headers.emplace_back("Set-Cookie", Cookie(req, login->token, lifetime.count()));
    co_return res;
  });
  router.Add("GET", "/admin/api/session",
             AdminAuthed(
                 deps, [](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                   co_return AdminJson(200, SessionJson(s));
                 }));
  router.Add(
      "DELETE", "/admin/api/session",
      AdminAuthed(
          deps, [deps](const admin::AdminSession&, net::Request& req) -> awaitable<net::Response> {
            const std::string token = CookieValue(req, kAdminCookie);
            auto done =
                co_await core::Offload(deps.pool, [&] { return deps.sessions.Logout(token); });
            if (!done) co_return AdminError(done.error());
            net::Response res;
            res.status = 204;
            res.Set("Cache-Control", "no-store");
            res.headers.emplace_back("Set-Cookie", Cookie(req, "", 0));
            co_return res;
          }));
}

}  // namespace corphub::api
