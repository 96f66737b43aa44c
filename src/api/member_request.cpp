#include "api/member_request.hpp"

#include "api/admin_request.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "crypto/hash.hpp"
#include "identity/member_session_service.hpp"

namespace corphub::api {

core::Result<boost::json::object> JsonBody(const net::Request& req) {
  if (!req.Header("content-type").starts_with("application/json")) {
    return core::MakeError(core::ErrorKind::kInvalidArgument,
                           "send a JSON body with Content-Type: application/json");
  }
  return AdminBody(req);
}

net::Handler MemberAuthed(MemberDeps deps, MemberHandler fn) {
  return [deps, fn = std::move(fn)](net::Request& req) -> boost::asio::awaitable<net::Response> {
    const std::string token = CookieValue(req, kMemberCookie);
    if (token.empty()) {
      co_return AdminError(core::MakeError(core::ErrorKind::kUnauthenticated, "sign in first"));
    }
    auto session =
        co_await core::Offload(deps.pool, [&] { return deps.sessions.Authenticate(token); });
    if (!session) co_return AdminError(session.error());
    if (req.method != "GET" && req.method != "HEAD" &&
        !crypto::ConstantTimeEquals(req.Header("x-csrf-token"), session->csrf_token)) {
      co_return AdminError(core::MakeError(core::ErrorKind::kCsrfMismatch,
                                           "the X-CSRF-Token header is missing or wrong"));
    }
    co_return co_await fn(*session, req);
  };
}

std::string SessionsJson(const std::vector<identity::MemberSession>& sessions,
                         std::int64_t current_id) {
  std::vector<std::string> items;
  for (const auto& x : sessions) {
    items.push_back(core::JsonObjectWriter()
                        .Int("id", x.id)
                        .Str("device", x.device)
                        .Str("address", x.address)
                        .Int("created_at", core::UnixSeconds(x.created_at))
                        .Int("last_seen_at", core::UnixSeconds(x.last_seen_at))
                        .Bool("current", x.id == current_id)
                        .Done());
  }
  return core::JsonObjectWriter().RawArray("sessions", items).Done();
}

std::string EndedJson(const std::vector<std::int64_t>& ended) {
  return core::JsonObjectWriter().Int("ended", static_cast<std::int64_t>(ended.size())).Done();
}

std::string MemberCookie(std::string_view token, bool secure) {
  std::string c = std::string(kMemberCookie) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace corphub::api
