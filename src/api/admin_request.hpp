#pragma once
// What every /admin/api handler needs: the session cookie checked (and, for writes, the CSRF
// header), the organisation the console manages, and JSON answers in the console's error shape.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "admin/admin_account.hpp"
#include "core/audit.hpp"
#include "core/result.hpp"
#include "directory/directory_repository.hpp"
#include "net/http_message.hpp"
#include "net/router.hpp"

namespace corphub::core {
class WorkerPool;
}
namespace corphub::admin {
class SessionService;
}
namespace corphub::directory {
class ScopeResolver;
}

namespace corphub::api {

inline constexpr std::string_view kAdminCookie = "corphub_admin";

struct AdminDeps {
  core::WorkerPool& pool;
  admin::SessionService& sessions;
  const std::int64_t& org_id;        // set once the organisation exists, before the server runs
  directory::ScopeResolver& scopes;  // administrators' scopes against the directory
};

// The least an administrator needs for a route, checked before its handler runs; the handler
// checks the rest (the department, member or app a call names) against the caller's scopes.
enum class Need {
  kSelf,          // any administrator, even before changing a generated password: the session
                  // and the password change itself
  kAny,           // any administrator (their own account, the audit of their own actions)
  kSuper,         // super admins only: settings, administrators and groups
  kContacts,      // a scope to see: any group
  kContactsEdit,  // a group with the contacts edit right
  kDevices,       // a group with the device right
  kApps,          // a right over some app
};

using AdminHandler =
    std::function<boost::asio::awaitable<net::Response>(const admin::AdminSession&, net::Request&)>;

// 401 without a live session, 403 csrf_mismatch for a write without the session's CSRF token,
// 403 password_change_required until a generated password is changed (but for kSelf routes),
// 403 permission_denied without what `need` asks; else runs fn.
net::Handler AdminAuthed(AdminDeps deps, Need need, AdminHandler fn);
// Whether the rights meet `need`.
bool Meets(const admin::Rights& rights, Need need);

// The cookie's value in the request, "" when absent.
std::string CookieValue(const net::Request& req, std::string_view name);
// The actor an administrator's changes are recorded under: "admin:<username>" from the address.
core::Actor AdminActor(const admin::AdminSession& s, const net::Request& req);
// The body as a JSON object: 400 invalid_json otherwise.
core::Result<boost::json::object> AdminBody(const net::Request& req);
// A JSON answer; an error in the console's shape.
net::Response AdminJson(int status, const boost::json::value& value);
net::Response AdminError(const core::Error& error);
// The string at `key` of a JSON body, or "" when absent or not a string.
std::string Field(const boost::json::object& o, std::string_view key);
// Ids as a JSON array.
boost::json::array JsonIds(const std::vector<std::int64_t>& ids);
// The {agentid} of a path (0 when it is not a number: no app has it).
std::int64_t AgentidParam(net::Request& req);
// A JSON answer from already-serialised text (200, Cache-Control: no-store).
net::Response NoStoreJson(std::string body);
// A non-negative integer query parameter; `fallback` when absent or empty, 400
// invalid_argument when it is anything else.
core::Result<std::int64_t> QueryNumber(const net::Request& req, std::string_view key,
                                       std::int64_t fallback);
// The member list's filters from the query string (q, department_id, recursive, status, tag_id,
// offset, limit): 400 for a malformed one.
core::Result<directory::MemberQuery> ReadMemberQuery(const net::Request& req);
// Cuts the query to what the administrator may see: 403 for a department outside their scope.
// Blocking.
core::Status ScopeQuery(const admin::Rights& rights, directory::ScopeResolver& scopes,
                        std::int64_t org_id, directory::MemberQuery& query);

}  // namespace corphub::api
