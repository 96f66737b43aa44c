#pragma once
// What every authenticated /cgi-bin handler needs: the access_token check (from memory when the
// token was seen before, else on the worker pool) and tolerant readers for JSON bodies and query
// parameters — SDKs send numbers as strings, empty strings and unknown fields.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/result.hpp"
#include "corp/token_service.hpp"
#include "net/router.hpp"

namespace corphub::core {
class WorkerPool;
}
namespace corphub::apps {
class AppService;
}

namespace corphub::api {

class VisibilityResolver;
class CallLimits;

struct CgiBinDeps {
  core::WorkerPool& pool;
  corp::TokenService& tokens;
  // What an app's token may read of the directory; set for the directory's routes.
  VisibilityResolver* visibility = nullptr;
  // The frequency and concurrency limits (45009, 45033) and the apps' allowlists (60020).
  CallLimits* limits = nullptr;
  apps::AppService* apps = nullptr;
};

using AuthedHandler =
    std::function<boost::asio::awaitable<net::Response>(const corp::Principal&, net::Request&)>;

// Who may call an endpoint.
enum class Caller {
  kAny,       // the contacts-sync secret or an app's
  kContacts,  // the contacts-sync secret: an app's token gets 48002 (directory writes)
};

// A handler that answers 41001/40014/42001 itself (and 48002 for a caller `who` does not take;
// 60020 for an address off an app's allowlist; 45009 over a frequency limit, 45033 over the
// concurrency cap), or runs fn for the token's principal. An error fn returns as a Result is the
// caller's to turn into WecomError.
net::Handler Authed(CgiBinDeps deps, AuthedHandler fn);
net::Handler Authed(CgiBinDeps deps, Caller who, AuthedHandler fn);

// The body as a JSON object; kInvalidJson (47001) otherwise.
core::Result<boost::json::object> ParseObject(std::string_view body);

// A number, or a string holding one ("1000002", as some SDKs send); nullopt when the key is
// absent, null or "". `invalid` is the kind for anything else.
core::Result<std::optional<std::int64_t>> IntField(const boost::json::object& obj,
                                                   std::string_view key, core::ErrorKind invalid);
// A string (numbers are taken as their text); nullopt when absent or null.
core::Result<std::optional<std::string>> StringField(const boost::json::object& obj,
                                                     std::string_view key);
// A list of numbers (each may be a numeric string); a single number is a list of one. nullopt
// when absent or null.
core::Result<std::optional<std::vector<std::int64_t>>> IntListField(const boost::json::object& obj,
                                                                    std::string_view key,
                                                                    core::ErrorKind invalid);
// A list of strings (numbers taken as their text); nullopt when absent or null.
core::Result<std::optional<std::vector<std::string>>> StringListField(
    const boost::json::object& obj, std::string_view key, core::ErrorKind invalid);
// The same rules for a query parameter.
core::Result<std::optional<std::int64_t>> IntQuery(const net::Request& req, std::string_view key,
                                                   core::ErrorKind invalid);

// A query parameter as text, "" when absent.
std::string StringQuery(const net::Request& req, std::string_view key);

// Who a /cgi-bin call acts for: the token's principal and the caller's address.
core::Actor ActorOf(const corp::Principal& who, const net::Request& req);

// The address of a permanent image (media/uploadimg, an app's logo) on the host the request
// came to: http(s)://host/media/img/<media_id>.
std::string PublicImageUrl(const net::Request& req, std::string_view media_id);

// The members of a JSON object as WecomOk takes them ("a":1,"b":2), without the braces.
std::string ObjectMembers(const boost::json::object& obj);

}  // namespace corphub::api
