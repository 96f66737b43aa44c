#pragma once
// What every /api/v1 handler needs: the member's session cookie checked (and, for anything but
// GET, the CSRF header), with JSON answers in the {"code","message"} error shape.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "identity/member_session.hpp"
#include "net/http_message.hpp"
#include "net/router.hpp"

namespace corphub::core {
class WorkerPool;
}
namespace corphub::identity {
class MemberSessionService;
}

namespace corphub::api {

inline constexpr std::string_view kMemberCookie = "corphub_member";

struct MemberDeps {
  core::WorkerPool& pool;
  identity::MemberSessionService& sessions;
};

using MemberHandler = std::function<boost::asio::awaitable<net::Response>(
    const identity::MemberSession&, net::Request&)>;

// 401 unauthenticated without a live session; 403 csrf_mismatch for a write without the
// session's X-CSRF-Token; else runs fn.
net::Handler MemberAuthed(MemberDeps deps, MemberHandler fn);

// {"sessions": [{id, device, address, created_at, last_seen_at, current}]}: `current` marks
// the caller's own (0: none, as the console asks).
std::string SessionsJson(const std::vector<identity::MemberSession>& sessions,
                         std::int64_t current_id);
// {"ended": N}, after the sessions' streams were cut.
std::string EndedJson(const std::vector<std::int64_t>& ended);

// A JSON body with a JSON Content-Type: a cross-site form cannot send one without a CORS
// preflight, so a page elsewhere cannot post it on a visitor's behalf (sign-in, applications).
core::Result<boost::json::object> JsonBody(const net::Request& req);

// The Set-Cookie value that opens a member session (HttpOnly, SameSite=Strict, Path=/).
std::string MemberCookie(std::string_view token, bool secure);

}  // namespace corphub::api
