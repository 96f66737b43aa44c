#include "api/member_request.hpp"

#include "api/admin_request.hpp"
#include "core/offload.hpp"
#include "crypto/hash.hpp"
#include "identity/member_session_service.hpp"

namespace corphub::api {

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

std::string MemberCookie(std::string_view token, bool secure) {
  std::string c = std::string(kMemberCookie) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace corphub::api
