#include "api/cgi_bin_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/call_limits.hpp"
#include "api/wecom_json.hpp"
#include "apps/app_service.hpp"
#include "core/offload.hpp"

namespace corphub::api {
namespace {

std::optional<std::int64_t> ParseInt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return n;
}

core::Error Invalid(core::ErrorKind kind, std::string_view key) {
  return core::MakeError(kind, "invalid " + std::string(key));
}

}  // namespace

net::Handler Authed(CgiBinDeps deps, AuthedHandler fn) {
  return Authed(deps, Caller::kAny, std::move(fn));
}

net::Handler Authed(CgiBinDeps deps, Caller caller, AuthedHandler fn) {
  return [deps, caller,
          fn = std::move(fn)](net::Request& req) -> boost::asio::awaitable<net::Response> {
    std::string token = req.Query("access_token").value_or("");
    auto who = deps.tokens.AuthenticateCached(token);
    if (!who) {
      who = co_await core::Offload(deps.pool, [&] { return deps.tokens.Authenticate(token); });
    }
    if (!who->ok()) co_return WecomError(who->error());
    const corp::Principal& principal = who->value();
    if (deps.apps != nullptr && principal.IsApp()) {
      auto allowed = deps.apps->CheckCallerCached(principal.org_id, principal.agentid,
                                                  principal.secret_tag, req.remote_address);
      if (!allowed) {
        allowed = co_await core::Offload(deps.pool, [&] {
          return deps.apps->CheckCaller(principal.org_id, principal.agentid, principal.secret_tag,
                                        req.remote_address);
        });
      }
      if (!*allowed) co_return WecomError(allowed->error());
    }
    if (caller == Caller::kContacts && principal.IsApp()) {
      // As WeCom: an app's secret reads the directory (in its visible scope) but never writes it.
      co_return WecomError(core::MakeError(
          core::ErrorKind::kApiForbidden,
          "an app's access_token may not change the directory: use the contacts-sync secret"));
    }
    if (deps.limits == nullptr) co_return co_await fn(principal, req);
    if (auto admitted = deps.limits->Admit(principal.org_id, req.remote_address, req.path);
        !admitted) {
      co_return WecomError(admitted.error());
    }
    const std::string key = std::to_string(principal.org_id) + " " + principal.principal;
    if (auto entered = deps.limits->Enter(key); !entered) co_return WecomError(entered.error());
    struct Leave {
      CallLimits& limits;
      const std::string& key;
      ~Leave() { limits.Leave(key); }
    } leave{*deps.limits, key};
    co_return co_await fn(principal, req);
  };
}

std::string PublicImageUrl(const net::Request& req, std::string_view media_id) {
  return std::string(req.secure ? "https://" : "http://") + std::string(req.Header("host")) +
         "/media/img/" + std::string(media_id);
}

core::Result<boost::json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return core::MakeError(core::ErrorKind::kInvalidJson, "the request body must be a JSON object");
  }
  return std::move(value.as_object());
}

core::Result<std::optional<std::int64_t>> IntField(const boost::json::object& obj,
                                                   std::string_view key, core::ErrorKind invalid) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::int64_t>();
  if (v->is_int64()) return std::optional<std::int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v->as_uint64()));
  }
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (s.empty()) return std::optional<std::int64_t>();
    if (auto n = ParseInt(s)) return std::optional<std::int64_t>(*n);
  }
  return Invalid(invalid, key);
}

core::Result<std::optional<std::string>> StringField(const boost::json::object& obj,
                                                     std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (v->is_string()) return std::optional<std::string>(std::string(v->as_string()));
  if (v->is_int64()) return std::optional<std::string>(std::to_string(v->as_int64()));
  if (v->is_uint64()) return std::optional<std::string>(std::to_string(v->as_uint64()));
  return Invalid(core::ErrorKind::kInvalidParameter, key);
}

core::Result<std::optional<std::int64_t>> IntQuery(const net::Request& req, std::string_view key,
                                                   core::ErrorKind invalid) {
  auto text = req.Query(key);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  if (auto n = ParseInt(*text)) return std::optional<std::int64_t>(*n);
  return Invalid(invalid, key);
}

namespace {

std::optional<std::int64_t> IntOf(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  if (v.is_string()) return ParseInt(v.as_string());
  return std::nullopt;
}

}  // namespace

core::Result<std::optional<std::vector<std::int64_t>>> IntListField(const boost::json::object& obj,
                                                                    std::string_view key,
                                                                    core::ErrorKind invalid) {
  using Out = std::optional<std::vector<std::int64_t>>;
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return Out();
  std::vector<std::int64_t> out;
  if (v->is_array()) {
    for (const auto& item : v->as_array()) {
      auto n = IntOf(item);
      if (!n) return Invalid(invalid, key);
      out.push_back(*n);
    }
    return Out(std::move(out));
  }
  if (v->is_string() && v->as_string().empty()) return Out();
  if (auto n = IntOf(*v)) return Out(std::vector<std::int64_t>{*n});
  return Invalid(invalid, key);
}

core::Result<std::optional<std::vector<std::string>>> StringListField(
    const boost::json::object& obj, std::string_view key, core::ErrorKind invalid) {
  using Out = std::optional<std::vector<std::string>>;
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return Out();
  if (!v->is_array()) return Invalid(invalid, key);
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (item.is_string()) {
      out.emplace_back(item.as_string());
    } else if (item.is_int64() || item.is_uint64()) {
      out.push_back(boost::json::serialize(item));
    } else {
      return Invalid(invalid, key);
    }
  }
  return Out(std::move(out));
}

std::string StringQuery(const net::Request& req, std::string_view key) {
  return req.Query(key).value_or("");
}

core::Actor ActorOf(const corp::Principal& who, const net::Request& req) {
  return core::Actor{who.principal, req.remote_address};
}

std::string ObjectMembers(const boost::json::object& obj) {
  std::string s = boost::json::serialize(obj);
  return s.size() <= 2 ? std::string() : s.substr(1, s.size() - 2);
}

}  // namespace corphub::api
