// /cgi-bin/agent/get, agent/list, agent/set and menu/create, menu/get, menu/delete
// (reference §6). They take an app's access_token, for that app alone: the contacts-sync
// secret's token answers 48002 and another app's 301002.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/menu_json.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "apps/app_service.hpp"
#include "core/offload.hpp"
#include "directory/scope_index.hpp"
#include "media/media_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;

core::Status OwnApp(const corp::Principal& who, std::int64_t agentid) {
  if (!who.IsApp()) {
    return MakeError(ErrorKind::kApiForbidden,
                     "the app APIs take an app's access_token, not the contacts-sync secret's");
  }
  if (who.agentid != agentid) {
    return MakeError(ErrorKind::kAppPermissionDenied,
                     "the access_token is not for agentid " + std::to_string(agentid));
  }
  return core::Ok();
}

core::Result<std::int64_t> RequiredAgentid(std::optional<std::int64_t> agentid) {
  if (!agentid) return MakeError(ErrorKind::kMissingAgentId, "agentid missing");
  return *agentid;
}

// The agentid of the query (agent/get, menu/*), the caller's own.
core::Result<std::int64_t> QueryAgentid(const corp::Principal& who, const net::Request& req) {
  auto id = IntQuery(req, "agentid", ErrorKind::kInvalidAgentId);
  if (!id) return std::move(id).error();
  auto agentid = RequiredAgentid(*id);
  if (!agentid) return agentid;
  CORPHUB_TRY(OwnApp(who, *agentid));
  return agentid;
}

std::string LogoUrl(const net::Request& req, const std::string& media_id) {
  return media_id.empty() ? std::string() : PublicImageUrl(req, media_id);
}

core::Result<std::string> AgentJson(const net::Request& req, const apps::App& app,
                                    const apps::AppScope& scope,
                                    const std::vector<std::string>& userids) {
  json::array users;
  for (const auto& u : userids) users.push_back(json::object{{"userid", u}});
  json::array parties(scope.department_ids.begin(), scope.department_ids.end());
  json::array tags(scope.tag_ids.begin(), scope.tag_ids.end());
  return ObjectMembers(json::object{
      {"agentid", app.agentid},
      {"name", app.name},
      {"square_logo_url", LogoUrl(req, app.logo_media_id)},
      {"description", app.description},
      {"allow_userinfos", json::object{{"user", std::move(users)}}},
      {"allow_partys", json::object{{"partyid", std::move(parties)}}},
      {"allow_tags", json::object{{"tagid", std::move(tags)}}},
      {"close", app.closed ? 1 : 0},
      {"redirect_domain", app.redirect_domain},
      {"report_location_flag", app.report_location_flag},
      {"isreportenter", app.report_enter ? 1 : 0},
      {"home_url", app.home_url},
      {"customized_publish_status", 0},
  });
}

core::Result<std::optional<bool>> FlagField(const json::object& body, std::string_view key) {
  auto n = IntField(body, key, ErrorKind::kInvalidParameter);
  if (!n) return std::move(n).error();
  if (!*n) return std::optional<bool>();
  if (**n != 0 && **n != 1) {
    return MakeError(ErrorKind::kInvalidParameter, "invalid " + std::string(key) + ": 0 or 1");
  }
  return std::optional<bool>(**n == 1);
}

// agent/set's body as settings; logo_mediaid is returned apart (the route copies the image).
core::Result<apps::AppSettings> DecodeSettings(const json::object& body,
                                               std::optional<std::string>& logo_mediaid) {
  apps::AppSettings s;
  auto take = [&](std::string_view key, std::optional<std::string>& into) -> core::Status {
    auto v = StringField(body, key);
    if (!v) return std::move(v).error();
    into = std::move(*v);
    return core::Ok();
  };
  CORPHUB_TRY(take("name", s.name));
  CORPHUB_TRY(take("description", s.description));
  CORPHUB_TRY(take("redirect_domain", s.redirect_domain));
  CORPHUB_TRY(take("home_url", s.home_url));
  CORPHUB_TRY(take("logo_mediaid", logo_mediaid));
  auto location = IntField(body, "report_location_flag", ErrorKind::kInvalidParameter);
  if (!location) return std::move(location).error();
  if (*location) s.report_location_flag = static_cast<int>(**location);
  auto enter = FlagField(body, "isreportenter");
  if (!enter) return std::move(enter).error();
  s.report_enter = *enter;
  auto user = FlagField(body, "isreportuser");
  if (!user) return std::move(user).error();
  s.report_user = *user;
  return s;
}

core::Result<std::string> TextOf(const json::object& obj, std::string_view key,
                                 const std::string& where) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) {
    return MakeError(ErrorKind::kInvalidParameter,
                     where + ": " + std::string(key) + " must be a string");
  }
  return std::string(v->as_string());
}

core::Result<apps::MenuButton> DecodeButton(const json::value& v, const std::string& where,
                                            bool top) {
  if (!v.is_object()) {
    return MakeError(ErrorKind::kMenuButtonType, where + ": a button is a JSON object");
  }
  const json::object& obj = v.as_object();
  apps::MenuButton b;
  for (auto [key, field] : {std::pair{"type", &b.type}, std::pair{"name", &b.name},
                            std::pair{"key", &b.key}, std::pair{"url", &b.url},
                            std::pair{"appid", &b.appid}, std::pair{"pagepath", &b.pagepath}}) {
    auto text = TextOf(obj, key, where);
    if (!text) return std::move(text).error();
    *field = std::move(*text);
  }
  const auto* sub = obj.if_contains("sub_button");
  if (sub == nullptr || sub->is_null()) return b;
  b.has_sub_button = true;
  if (!top) return b;  // a submenu in a submenu: ValidateMenu answers 40022
  if (!sub->is_array()) {
    return MakeError(ErrorKind::kMenuSubButtonCount, where + ": sub_button is a list of buttons");
  }
  const json::array& items = sub->as_array();
  if (items.size() > apps::kMaxSubButtons) {
    return MakeError(ErrorKind::kMenuSubButtonCount, where + ": a submenu has 1 to 5 buttons");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto leaf = DecodeButton(items[i], where + "." + std::to_string(i + 1), false);
    if (!leaf) return std::move(leaf).error();
    b.sub_button.push_back(std::move(*leaf));
  }
  return b;
}

}  // namespace

core::Result<std::vector<apps::MenuButton>> DecodeMenu(std::string_view body) {
  auto obj = ParseObject(body);
  if (!obj) return std::move(obj).error();
  const auto* buttons = obj->if_contains("button");
  if (buttons == nullptr || !buttons->is_array() || buttons->as_array().empty() ||
      buttons->as_array().size() > apps::kMaxMenuButtons) {
    return MakeError(ErrorKind::kMenuButtonCount, "a menu is {\"button\":[...]} of 1 to 3 buttons");
  }
  std::vector<apps::MenuButton> out;
  for (std::size_t i = 0; i < buttons->as_array().size(); ++i) {
    auto b = DecodeButton(buttons->as_array()[i], "button " + std::to_string(i + 1), true);
    if (!b) return std::move(b).error();
    out.push_back(std::move(*b));
  }
  return out;
}

void AddCgiBinAgentRoutes(net::Router& router, CgiBinDeps deps, apps::AppService& apps,
                          directory::ScopeResolver& scopes, media::MediaService& media) {
  core::WorkerPool& pool = deps.pool;

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto agentid = QueryAgentid(who, req);
        if (!agentid) co_return WecomError(agentid.error());
        auto body = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
          auto found = apps.Find(who.org_id, *agentid);
          if (!found) return std::move(found).error();
          auto userids = scopes.Userids(who.org_id, found->second.member_ids);
          if (!userids) return std::move(userids).error();
          return AgentJson(req, found->first, found->second, *userids);
        });
        if (!body) co_return WecomError(body.error());
        co_return WecomOk(*body);
      });
  router.Add("GET", "/cgi-bin/agent/get", get);
  router.Add("POST", "/cgi-bin/agent/get", get);

  // The apps the token may use: its own.
  auto list =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        if (auto own = OwnApp(who, who.agentid); !own) co_return WecomError(own.error());
        auto found =
            co_await core::Offload(pool, [&] { return apps.Find(who.org_id, who.agentid); });
        if (!found) co_return WecomError(found.error());
        const apps::App& app = found->first;
        json::array items;
        items.push_back(json::object{{"agentid", app.agentid},
                                     {"name", app.name},
                                     {"square_logo_url", LogoUrl(req, app.logo_media_id)}});
        co_return WecomOk(ObjectMembers(json::object{{"agentlist", std::move(items)}}));
      });
  router.Add("GET", "/cgi-bin/agent/list", list);
  router.Add("POST", "/cgi-bin/agent/list", list);

  router.Add(
      "POST", "/cgi-bin/agent/set",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto body = ParseObject(req.body);
        if (!body) co_return WecomError(body.error());
        auto id = IntField(*body, "agentid", ErrorKind::kInvalidAgentId);
        if (!id) co_return WecomError(id.error());
        auto agentid = RequiredAgentid(*id);
        if (!agentid) co_return WecomError(agentid.error());
        if (auto own = OwnApp(who, *agentid); !own) co_return WecomError(own.error());
        std::optional<std::string> logo;
        auto settings = DecodeSettings(*body, logo);
        if (!settings) co_return WecomError(settings.error());
        const core::Actor actor = ActorOf(who, req);
        auto done = co_await core::Offload(pool, [&]() -> core::Status {
          if (logo && !logo->empty()) {
            // The temporary upload becomes a permanent image, as media/uploadimg's.
            auto stored = media.Get(who.org_id, *logo);
            if (!stored) return std::move(stored).error();
            if (stored->info.type != "image") {
              return MakeError(ErrorKind::kInvalidMediaId,
                               "logo_mediaid must name an image (media/upload type=image)");
            }
            auto image = media.UploadImage(who.org_id, stored->info.filename, stored->bytes);
            if (!image) return std::move(image).error();
            settings->logo_media_id = image->media_id;
          }
          auto updated = apps.Update(actor, who.org_id, *agentid, *settings);
          if (!updated) return std::move(updated).error();
          return core::Ok();
        });
        if (!done) co_return WecomError(done.error());
        co_return WecomOk();
      }));

  router.Add(
      "POST", "/cgi-bin/menu/create",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto agentid = QueryAgentid(who, req);
        if (!agentid) co_return WecomError(agentid.error());
        auto buttons = DecodeMenu(req.body);
        if (!buttons) co_return WecomError(buttons.error());
        const core::Actor actor = ActorOf(who, req);
        auto done = co_await core::Offload(
            pool, [&] { return apps.SetMenu(actor, who.org_id, *agentid, *buttons); });
        if (!done) co_return WecomError(done.error());
        co_return WecomOk();
      }));

  auto menu_get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto agentid = QueryAgentid(who, req);
        if (!agentid) co_return WecomError(agentid.error());
        auto found = co_await core::Offload(pool, [&] { return apps.Find(who.org_id, *agentid); });
        if (!found) co_return WecomError(found.error());
        const std::string& menu = found->first.menu_json;
        if (menu.size() < 2) {
          co_return WecomError(
              MakeError(ErrorKind::kMenuNotSet, "menu no exist: menu/create sets one"));
        }
        co_return WecomOk(std::string_view(menu).substr(1, menu.size() - 2));
      });
  router.Add("GET", "/cgi-bin/menu/get", menu_get);
  router.Add("POST", "/cgi-bin/menu/get", menu_get);

  auto menu_delete =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto agentid = QueryAgentid(who, req);
        if (!agentid) co_return WecomError(agentid.error());
        const core::Actor actor = ActorOf(who, req);
        auto done = co_await core::Offload(
            pool, [&] { return apps.DeleteMenu(actor, who.org_id, *agentid); });
        if (!done) co_return WecomError(done.error());
        co_return WecomOk();
      });
  router.Add("GET", "/cgi-bin/menu/delete", menu_delete);
  router.Add("POST", "/cgi-bin/menu/delete", menu_delete);
}

}  // namespace corphub::api
