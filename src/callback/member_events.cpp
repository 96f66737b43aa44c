#include "callback/member_events.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>

#include "callback/callback_xml.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace corphub::callback {
namespace {

using core::ErrorKind;
using core::MakeError;

// Does the menu have a leaf of `type` whose key (url for view) is `value`?
bool MenuHas(std::string_view menu_json, std::string_view type, std::string_view value) {
  boost::system::error_code ec;
  auto menu = boost::json::parse(menu_json, ec);
  if (ec || !menu.is_object()) return false;
  const auto* buttons = menu.as_object().if_contains("button");
  if (buttons == nullptr || !buttons->is_array()) return false;
  const std::string_view field = type == "view" ? "url" : "key";
  auto leaf_matches = [&](const boost::json::value& b) {
    if (!b.is_object()) return false;
    const auto* t = b.as_object().if_contains("type");
    const auto* v = b.as_object().if_contains(field);
    return t != nullptr && t->is_string() && t->as_string() == type && v != nullptr &&
           v->is_string() && v->as_string() == value;
  };
  for (const auto& b : buttons->as_array()) {
    if (leaf_matches(b)) return true;
    if (!b.is_object()) continue;
    const auto* sub = b.as_object().if_contains("sub_button");
    if (sub == nullptr || !sub->is_array()) continue;
    if (std::any_of(sub->as_array().begin(), sub->as_array().end(), leaf_matches)) return true;
  }
  return false;
}

std::string Decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

core::Result<bool> InScope(directory::ScopeResolver& scopes, std::int64_t org_id,
                           const apps::AppScope& scope, const std::string& userid) {
  auto index = scopes.Resolve(org_id, scope.department_ids, scope.tag_ids);
  if (!index) return std::move(index).error();
  auto found = scopes.Members(org_id, {userid});
  if (!found) return std::move(found).error();
  if (found->empty()) return index->everything;
  const auto& f = found->front();
  return index->HasMember(f.member, f.tag_ids) ||
         std::find(scope.member_ids.begin(), scope.member_ids.end(), f.member.id) !=
             scope.member_ids.end();
}

core::Result<std::string> MemberEventService::Userid(std::int64_t org_id, std::int64_t member_id) {
  auto ids = scopes_.Userids(org_id, {member_id});
  if (!ids) return std::move(ids).error();
  if (ids->empty()) return MakeError(ErrorKind::kUserNotFound, "no such member");
  return ids->front();
}

core::Result<apps::App> MemberEventService::AppFor(std::int64_t org_id, std::int64_t member_id,
                                                   std::int64_t agentid) {
  std::optional<apps::App> app;
  apps::AppScope scope;
  core::Status read = store_.Read([&](CallbackUnit& u) -> core::Status {
    auto found = u.Apps().FindByAgentid(org_id, agentid);
    if (!found) return std::move(found).error();
    if (!*found) return core::Ok();
    auto s = u.Apps().Scope((*found)->id);
    if (!s) return std::move(s).error();
    scope = std::move(*s);
    app = std::move(**found);
    return core::Ok();
  });
  if (!read) return std::move(read).error();
  if (!app)
    return MakeError(ErrorKind::kInvalidAgentId, "no app has agentid " + std::to_string(agentid));
  if (app->closed) return MakeError(ErrorKind::kAppDisabled, "the app is closed");
  auto userid = Userid(org_id, member_id);
  if (!userid) return std::move(userid).error();
  auto in = InScope(scopes_, org_id, scope, *userid);
  if (!in) return std::move(in).error();
  if (!*in) return MakeError(ErrorKind::kPermissionDenied, "the app is not visible to you");
  return std::move(*app);
}

core::Result<bool> MemberEventService::Send(std::int64_t org_id, std::int64_t member_id,
                                            std::int64_t agentid, const MemberEvent& e) {
  if (e.event != "enter_agent" && e.event != "click" && e.event != "view" &&
      e.event != "LOCATION") {
    return MakeError(ErrorKind::kInvalidArgument, "event is enter_agent, click, view or LOCATION");
  }
  auto app = AppFor(org_id, member_id, agentid);
  if (!app) return std::move(app).error();
  if ((e.event == "click" || e.event == "view") && !MenuHas(app->menu_json, e.event, e.key)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "the app's menu has no " + e.event + " button " + e.key);
  }
  if (e.event == "enter_agent" && !app->report_enter) return false;
  if (e.event == "LOCATION" && app->report_location_flag == 0) return false;
  if (e.event == "LOCATION" && (e.latitude < -90 || e.latitude > 90 || e.longitude < -180 ||
                                e.longitude > 180 || e.precision < 0)) {
    return MakeError(ErrorKind::kInvalidArgument, "a location's latitude, longitude, precision");
  }
  auto userid = Userid(org_id, member_id);
  if (!userid) return std::move(userid).error();
  bool queued = false;
  const auto now = clock_.Now();
  core::Status written = store_.Write([&](CallbackUnit& u) -> core::Status {
    auto config = u.Callbacks().Get(org_id, agentid);
    if (!config) return std::move(config).error();
    if (!*config) return core::Ok();
    auto corpid = u.Callbacks().CorpId(org_id);
    if (!corpid) return std::move(corpid).error();
    XmlMessage m;
    m.Text("ToUserName", *corpid)
        .Text("FromUserName", *userid)
        .Number("CreateTime", core::UnixSeconds(now))
        .Text("MsgType", "event")
        .Text("Event", e.event);
    if (e.event == "LOCATION") {
      m.Text("Latitude", Decimal(e.latitude))
          .Text("Longitude", Decimal(e.longitude))
          .Text("Precision", Decimal(e.precision));
    } else {
      m.Text("EventKey", e.key);
    }
    m.Number("AgentID", agentid);
    Delivery d;
    d.org_id = org_id;
    d.agentid = agentid;
    d.event_id = "ev-" + crypto::HexEncode(crypto::RandomBytes(12));
    d.member_key = *userid;
    d.kind = e.event;
    d.payload = m.Done();
    d.next_at_ms = core::UnixMillis(now);
    d.created_at = now;
    CORPHUB_TRY(u.Callbacks().Enqueue({d}));
    queued = true;
    return core::Ok();
  });
  if (!written) return std::move(written).error();
  if (queued && wake_) wake_();
  return queued;
}

}  // namespace corphub::callback
