// /api/v1/apps/{agentid}: an app as the member client shows it (name, logo, home page, menu) and
// what the member does in it that the app's callback hears of (docs/member-api.md).
#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/member_routes.hpp"
#include "callback/member_events.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

core::Result<double> Number(const boost::json::object& body, std::string_view key) {
  const auto* v = body.if_contains(key);
  if (v == nullptr || v->is_null()) return 0.0;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  return core::MakeError(ErrorKind::kInvalidArgument, std::string(key) + " must be a number");
}

}  // namespace

void AddMemberAppRoutes(net::Router& router, MemberDeps auth,
                        callback::MemberEventService& events) {
  core::WorkerPool& pool = auth.pool;

  router.Add(
      "GET", "/api/v1/apps/{agentid}",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::int64_t agentid = AgentidParam(req);
            auto app = co_await core::Offload(
                pool, [&] { return events.AppFor(s.org_id, s.member_id, agentid); });
            if (!app) co_return AdminError(app.error());
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Int("agentid", app->agentid)
                                      .Str("name", app->name)
                                      .Str("description", app->description)
                                      .Str("logo_url", app->logo_media_id.empty()
                                                           ? ""
                                                           : "/media/img/" + app->logo_media_id)
                                      .Str("home_url", app->home_url)
                                      .Bool("report_enter", app->report_enter)
                                      .Bool("report_location", app->report_location_flag == 1)
                                      .Raw("menu", app->menu_json.empty() ? "null" : app->menu_json)
                                      .Done());
          }));

  // {"event": "enter_agent" | "click" | "view" | "LOCATION", "key"?, "latitude"?, "longitude"?,
  // "precision"?} → 202 {"queued"}.
  router.Add(
      "POST", "/api/v1/apps/{agentid}/events",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::int64_t agentid = AgentidParam(req);
            auto body = AdminBody(req);
            if (!body) co_return AdminError(body.error());
            callback::MemberEvent e;
            e.event = Field(*body, "event");
            e.key = Field(*body, "key");
            auto lat = Number(*body, "latitude");
            auto lon = Number(*body, "longitude");
            auto prec = Number(*body, "precision");
            for (auto* n : {&lat, &lon, &prec}) {
              if (!*n) co_return AdminError(n->error());
            }
            e.latitude = *lat;
            e.longitude = *lon;
            e.precision = *prec;
            auto queued = co_await core::Offload(
                pool, [&] { return events.Send(s.org_id, s.member_id, agentid, e); });
            if (!queued) co_return AdminError(queued.error());
            auto res = NoStoreJson(core::JsonObjectWriter().Bool("queued", *queued).Done());
            res.status = 202;
            co_return res;
          }));
}

}  // namespace corphub::api
