#include "api/admin_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "admin/session_service.hpp"
#include "core/offload.hpp"
#include "crypto/hash.hpp"

namespace corphub::api {

std::string CookieValue(const net::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return {};
}

core::Actor AdminActor(const admin::AdminSession& s, const net::Request& req) {
  return core::Actor{"admin:" + s.admin.username, req.remote_address};
}

core::Result<boost::json::object> AdminBody(const net::Request& req) {
  boost::system::error_code ec;
  auto value = boost::json::parse(req.body, ec);
  if (ec || !value.is_object()) {
    return core::MakeError(core::ErrorKind::kInvalidJson, "the request body must be a JSON object");
  }
  return std::move(value.as_object());
}

net::Response AdminJson(int status, const boost::json::value& value) {
  auto res = net::Response::Json(status, boost::json::serialize(value));
  res.Set("Cache-Control", "no-store");
  return res;
}

std::string Field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

net::Response AdminError(const core::Error& error) {
  auto res = net::Response::Error(error);
  res.Set("Cache-Control", "no-store");
  return res;
}

boost::json::array JsonIds(const std::vector<std::int64_t>& ids) {
  boost::json::array out;
  for (auto id : ids) out.emplace_back(id);
  return out;
}

std::int64_t AgentidParam(net::Request& req) {
  return std::strtoll(req.params["agentid"].c_str(), nullptr, 10);
}

net::Response NoStoreJson(std::string body) {
  auto res = net::Response::Json(200, std::move(body));
  res.Set("Cache-Control", "no-store");
  return res;
}

core::Result<std::int64_t> QueryNumber(const net::Request& req, std::string_view key,
                                       std::int64_t fallback) {
  auto v = req.Query(key);
  if (!v || v->empty()) return fallback;
  std::int64_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10) {
      return core::MakeError(core::ErrorKind::kInvalidArgument,
                             std::string(key) + " must be a non-negative integer");
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

bool Meets(const admin::Rights& rights, Need need) {
  if (rights.super) return true;
  switch (need) {
    case Need::kSelf:
    case Need::kAny:
      return true;
    case Need::kSuper:
      return false;
    case Need::kContacts:
      return rights.CanSee();
    case Need::kContactsEdit:
      return rights.CanEdit();
    case Need::kDevices:
      return rights.CanManageDevices();
    case Need::kApps:
      return !rights.apps.empty();
  }
  return false;
}

net::Handler AdminAuthed(AdminDeps deps, Need need, AdminHandler fn) {
  return
      [deps, need, fn = std::move(fn)](net::Request& req) -> boost::asio::awaitable<net::Response> {
        const std::string token = CookieValue(req, kAdminCookie);
        if (token.empty()) {
          co_return AdminError(
              core::MakeError(core::ErrorKind::kUnauthenticated, "log in to the console first"));
        }
        auto session =
            co_await core::Offload(deps.pool, [&] { return deps.sessions.Authenticate(token); });
        if (!session) co_return AdminError(session.error());
        if (req.method != "GET" && req.method != "HEAD") {
          // Compared in constant time; SameSite=Strict already keeps other sites' forms out.
          if (!crypto::ConstantTimeEquals(req.Header("x-csrf-token"), session->csrf_token)) {
            co_return AdminError(core::MakeError(core::ErrorKind::kCsrfMismatch,
                                                 "the X-CSRF-Token header is missing or wrong"));
          }
        }
        if (session->admin.must_change_password && need != Need::kSelf) {
          co_return AdminError(core::MakeError(core::ErrorKind::kPasswordChangeRequired,
                                               "change the generated password first"));
        }
        if (!Meets(session->rights, need)) {
          co_return AdminError(core::MakeError(core::ErrorKind::kPermissionDenied,
                                               need == Need::kSuper
                                                   ? "only a super admin may do this"
                                                   : "your admin groups do not allow this"));
        }
        co_return co_await fn(*session, req);
      };
}

}  // namespace corphub::api
