// /admin/api/apps/{agentid}/callback: an app's callback URL, Token and EncodingAESKey (verified
// as WeCom does before they are kept), its delivery log and "retry now" (docs/admin-api.md).
// All need the app's manage right: the Token and key are the app's secrets.
#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/routes.hpp"
#include "callback/callback_service.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

std::string ConfigJson(std::int64_t agentid, const std::optional<callback::CallbackConfig>& c) {
  core::JsonObjectWriter w;
  w.Int("agentid", agentid);
  if (!c) return w.Str("url", "").Str("token", "").Str("encoding_aes_key", "").Done();
  return w.Str("url", c->url)
      .Str("token", c->token)
      .Str("encoding_aes_key", c->aes_key)
      .Int("updated_at", core::UnixSeconds(c->updated_at))
      .Done();
}

std::string DeliveryJson(const callback::Delivery& d) {
  core::JsonObjectWriter w;
  w.Int("id", d.id)
      .Str("event_id", d.event_id)
      .Str("kind", d.kind)
      .Str("member", d.member_key)
      .Str("state", callback::DeliveryStateName(d.state))
      .Int("attempts", d.attempts)
      .Int("created_at", core::UnixSeconds(d.created_at));
  if (d.delivered_at) {
    w.Int("delivered_at", core::UnixSeconds(*d.delivered_at));
  } else {
    w.Raw("delivered_at", "null");
  }
  if (d.state == callback::DeliveryState::kPending) {
    w.Int("next_attempt_at", d.next_at_ms / 1000);
  } else {
    w.Raw("next_attempt_at", "null");
  }
  return w.Int("last_status", d.last_status).Str("last_error", d.last_error).Done();
}

}  // namespace

namespace {

// Which callback a request is about: the app of the path (with the caller's manage right on
// it), or the contacts-sync callback (agentid 0, super admins).
using Target = std::function<core::Result<std::int64_t>(const admin::AdminSession&, net::Request&)>;

void AddCallbackRoutes(net::Router& router, AdminDeps deps, callback::CallbackService& callbacks,
                       const std::string& base, Need need, Target target) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;

  router.Add(
      "GET", base,
      AdminAuthed(deps, need,
                  [&pool, &org, &callbacks, target](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    auto agentid = target(s, req);
                    if (!agentid) co_return AdminError(agentid.error());
                    auto got =
                        co_await core::Offload(pool, [&] { return callbacks.Get(org, *agentid); });
                    if (!got) co_return AdminError(got.error());
                    co_return NoStoreJson(ConfigJson(*agentid, *got));
                  }));

  // {"url", "token", "encoding_aes_key"}: kept once the URL answers the verification.
  router.Add(
      "PUT", base,
      AdminAuthed(deps, need,
                  [&pool, &org, &callbacks, target](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    auto agentid = target(s, req);
                    if (!agentid) co_return AdminError(agentid.error());
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    const core::Actor actor = AdminActor(s, req);
                    auto answer = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
                      CORPHUB_TRY(callbacks.Set(actor, org, *agentid, Field(*body, "url"),
                                                Field(*body, "token"),
                                                Field(*body, "encoding_aes_key")));
                      auto got = callbacks.Get(org, *agentid);
                      if (!got) return std::move(got).error();
                      return ConfigJson(*agentid, *got);
                    });
                    if (!answer) co_return AdminError(answer.error());
                    co_return NoStoreJson(std::move(*answer));
                  }));

  router.Add(
      "DELETE", base,
      AdminAuthed(deps, need,
                  [&pool, &org, &callbacks, target](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    auto agentid = target(s, req);
                    if (!agentid) co_return AdminError(agentid.error());
                    const core::Actor actor = AdminActor(s, req);
                    auto done = co_await core::Offload(
                        pool, [&] { return callbacks.Remove(actor, org, *agentid); });
                    if (!done) co_return AdminError(done.error());
                    co_return NoStoreJson(ConfigJson(*agentid, std::nullopt));
                  }));

  // ?state=pending|delivered|failed&before=<id>&limit=<1..200>: newest first.
  router.Add(
      "GET", base + "/deliveries",
      AdminAuthed(deps, need,
                  [&pool, &org, &callbacks, target](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    auto agentid = target(s, req);
                    if (!agentid) co_return AdminError(agentid.error());
                    std::optional<callback::DeliveryState> state;
                    if (auto text = req.Query("state"); text && !text->empty()) {
                      callback::DeliveryState parsed;
                      if (!callback::ParseDeliveryState(*text, parsed)) {
                        co_return AdminError(core::MakeError(
                            ErrorKind::kInvalidArgument, "state is pending, delivered or failed"));
                      }
                      state = parsed;
                    }
                    auto before = QueryNumber(req, "before", 0);
                    if (!before) co_return AdminError(before.error());
                    auto limit = QueryNumber(req, "limit", 50);
                    if (!limit) co_return AdminError(limit.error());
                    if (*limit < 1 || *limit > 200 || *before < 0) {
                      co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                           "limit is 1 to 200, before an id"));
                    }
                    auto list = co_await core::Offload(pool, [&] {
                      return callbacks.Deliveries(org, *agentid, state, *before,
                                                  static_cast<std::size_t>(*limit));
                    });
                    if (!list) co_return AdminError(list.error());
                    std::vector<std::string> items;
                    for (const auto& d : *list) items.push_back(DeliveryJson(d));
                    core::JsonObjectWriter w;
                    w.RawArray("deliveries", items);
                    if (list->size() == static_cast<std::size_t>(*limit)) {
                      w.Int("next_before", list->back().id);
                    } else {
                      w.Raw("next_before", "null");
                    }
                    co_return NoStoreJson(w.Done());
                  }));

  router.Add(
      "POST", base + "/deliveries/{id}/retry",
      AdminAuthed(deps, need,
                  [&pool, &org, &callbacks, target](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    auto agentid = target(s, req);
                    if (!agentid) co_return AdminError(agentid.error());
                    const std::int64_t id = std::strtoll(req.params["id"].c_str(), nullptr, 10);
                    const core::Actor actor = AdminActor(s, req);
                    auto done = co_await core::Offload(
                        pool, [&] { return callbacks.RetryNow(actor, org, *agentid, id); });
                    if (!done) co_return AdminError(done.error());
                    co_return NoStoreJson(core::JsonObjectWriter().Int("id", id).Done());
                  }));
}

}  // namespace

void AddAdminCallbackRoutes(net::Router& router, AdminDeps deps,
                            callback::CallbackService& callbacks) {
  AddCallbackRoutes(
      router, deps, callbacks, "/admin/api/apps/{agentid}/callback", Need::kApps,
      [](const admin::AdminSession& s, net::Request& req) -> core::Result<std::int64_t> {
        const std::int64_t agentid = AgentidParam(req);
        CORPHUB_TRY(ManageApp(s.rights, agentid));
        return agentid;
      });
  // The contacts-sync callback (通讯录同步): directory changes whatever the apps asked.
  AddCallbackRoutes(router, deps, callbacks, "/admin/api/contacts/callback", Need::kSuper,
                    [](const admin::AdminSession&, net::Request&) -> core::Result<std::int64_t> {
                      return callback::kContactsAgentid;
                    });
}

}  // namespace corphub::api
