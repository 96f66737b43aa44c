// /admin/api/admins and /admin/api/admin-groups: delegated administration, for super admins
// (docs/admin-api.md).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "admin/group_service.hpp"
#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "core/offload.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;

json::object GroupJson(const admin::AdminGroup& g) {
  json::object o;
  o["id"] = g.id;
  o["name"] = g.name;
  o["description"] = g.description;
  o["departments"] = JsonIds(g.scope.department_ids);
  o["tags"] = JsonIds(g.scope.tag_ids);
  o["contacts"] = admin::ContactsRightName(g.contacts);
  o["devices"] = g.devices;
  json::array apps;
  for (const auto& a : g.apps) {
    json::object app;
    app["agentid"] = a.agentid;
    app["right"] = admin::AppRightName(a.right);
    apps.push_back(std::move(app));
  }
  o["apps"] = std::move(apps);
  o["admins"] = JsonIds(g.admin_ids);
  o["created_at"] = core::UnixSeconds(g.created_at);
  o["updated_at"] = core::UnixSeconds(g.updated_at);
  return o;
}

json::object AdminViewJson(const admin::AdminView& v, core::TimePoint now) {
  json::object o;
  o["id"] = v.account.id;
  o["username"] = v.account.username;
  o["role"] = admin::RoleName(v.account.role);
  o["groups"] = JsonIds(v.group_ids);
  o["totp_enabled"] = !v.account.totp_secret.empty();
  o["must_change_password"] = v.account.must_change_password;
  o["locked"] = v.account.locked_until > now;
  o["created_at"] = core::UnixSeconds(v.account.created_at);
  return o;
}

core::Result<std::int64_t> IdParam(net::Request& req) {
  const std::string& text = req.params["id"];
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) {
    return MakeError(ErrorKind::kNotFound, "no such id: " + text);
  }
  return id;
}

core::Error Bad(std::string message) {
  return MakeError(ErrorKind::kInvalidArgument, std::move(message));
}

// The fields of a group's create or change body onto `g`; absent ones stay.
core::Status ReadGroup(const json::object& body, admin::AdminGroup& g) {
  for (auto [key, field] : {std::pair{"name", &g.name}, std::pair{"description", &g.description}}) {
    if (const auto* v = body.if_contains(key); v != nullptr) {
      if (!v->is_string()) return Bad(std::string(key) + " must be text");
      *field = std::string(v->as_string());
    }
  }
  for (auto [key, ids] :
       {std::pair{"departments", &g.scope.department_ids}, std::pair{"tags", &g.scope.tag_ids}}) {
    auto list = IntListField(body, key, ErrorKind::kInvalidArgument);
    if (!list) return Bad(std::string(key) + " must be a list of ids");
    if (*list) *ids = **list;
  }
  if (const auto* v = body.if_contains("contacts"); v != nullptr) {
    if (v->is_string() && v->as_string() == "read") {
      g.contacts = admin::ContactsRight::kRead;
    } else if (v->is_string() && v->as_string() == "edit") {
      g.contacts = admin::ContactsRight::kEdit;
    } else {
      return Bad("contacts must be \"read\" or \"edit\"");
    }
  }
  if (const auto* v = body.if_contains("devices"); v != nullptr) {
    if (!v->is_bool()) return Bad("devices must be true or false");
    g.devices = v->as_bool();
  }
  if (const auto* v = body.if_contains("apps"); v != nullptr) {
    if (!v->is_array()) return Bad("apps must be a list of {agentid, right}");
    g.apps.clear();
    for (const auto& item : v->as_array()) {
      const auto* o = item.if_object();
      if (o == nullptr) return Bad("apps must be a list of {agentid, right}");
      auto agentid = IntField(*o, "agentid", ErrorKind::kInvalidAgentId);
      if (!agentid) return std::move(agentid).error();
      if (!*agentid) return MakeError(ErrorKind::kInvalidAgentId, "each app needs its agentid");
      const std::string right = Field(*o, "right");
      if (right != "send" && right != "manage") {
        return Bad("an app's right is \"send\" or \"manage\"");
      }
      g.apps.push_back(admin::AppGrant{
          **agentid, right == "manage" ? admin::AppRight::kManage : admin::AppRight::kSend});
    }
  }
  return core::Ok();
}

// role and groups of an administrator's create or change body.
core::Status ReadAdmin(const json::object& body, admin::AdminRole& role,
                       std::vector<std::int64_t>& groups) {
  if (const auto* v = body.if_contains("role"); v != nullptr) {
    if (v->is_string() && v->as_string() == "super") {
      role = admin::AdminRole::kSuper;
    } else if (v->is_string() && v->as_string() == "scoped") {
      role = admin::AdminRole::kScoped;
    } else {
      return Bad("role must be \"super\" or \"scoped\"");
    }
  }
  auto list = IntListField(body, "groups", ErrorKind::kInvalidArgument);
  if (!list) return Bad("groups must be a list of group ids");
  if (*list) groups = **list;
  return core::Ok();
}

}  // namespace

void AddAdminAccessRoutes(net::Router& router, AdminDeps deps, admin::GroupService& groups,
                          const core::Clock& clock) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;

  router.Add(
      "GET", "/admin/api/admin-groups",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession&, net::Request&) -> awaitable<net::Response> {
                    auto list = co_await core::Offload(pool, [&] { return groups.Groups(org); });
                    if (!list) co_return AdminError(list.error());
                    json::array items;
                    for (const auto& g : *list) items.push_back(GroupJson(g));
                    json::object out;
                    out["groups"] = std::move(items);
                    co_return NoStoreJson(json::serialize(out));
                  }));

  router.Add(
      "POST", "/admin/api/admin-groups",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    admin::AdminGroup g;
                    if (auto read = ReadGroup(*body, g); !read) co_return AdminError(read.error());
                    auto id = co_await core::Offload(
                        pool, [&] { return groups.CreateGroup(AdminActor(s, req), org, g); });
                    if (!id) co_return AdminError(id.error());
                    json::object out;
                    out["id"] = *id;
                    co_return AdminJson(201, out);
                  }));

  router.Add(
      "PATCH", "/admin/api/admin-groups/{id}",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = IdParam(req);
                    if (!id) co_return AdminError(id.error());
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    auto done = co_await core::Offload(pool, [&]() -> core::Status {
                      auto list = groups.Groups(org);
                      if (!list) return std::move(list).error();
                      for (auto& g : *list) {
                        if (g.id != *id) continue;
                        CORPHUB_TRY(ReadGroup(*body, g));
                        return groups.UpdateGroup(AdminActor(s, req), org, g);
                      }
                      return MakeError(ErrorKind::kNotFound, "no admin group has this id");
                    });
                    if (!done) co_return AdminError(done.error());
                    co_return NoStoreJson("{\"ok\":true}");
                  }));

  router.Add(
      "DELETE", "/admin/api/admin-groups/{id}",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = IdParam(req);
                    if (!id) co_return AdminError(id.error());
                    auto done = co_await core::Offload(
                        pool, [&] { return groups.DeleteGroup(AdminActor(s, req), org, *id); });
                    if (!done) co_return AdminError(done.error());
                    net::Response res;
                    res.status = 204;
                    co_return res;
                  }));

  router.Add(
      "GET", "/admin/api/admins",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession&, net::Request&) -> awaitable<net::Response> {
                    auto list = co_await core::Offload(pool, [&] { return groups.Admins(org); });
                    if (!list) co_return AdminError(list.error());
                    const auto now = clock.Now();
                    json::array items;
                    for (const auto& v : *list) items.push_back(AdminViewJson(v, now));
                    json::object out;
                    out["admins"] = std::move(items);
                    co_return NoStoreJson(json::serialize(out));
                  }));

  // A new administrator: the answer holds the generated password, shown this once.
  router.Add(
      "POST", "/admin/api/admins",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    admin::NewAdmin input;
                    input.username = Field(*body, "username");
                    if (auto read = ReadAdmin(*body, input.role, input.group_ids); !read) {
                      co_return AdminError(read.error());
                    }
                    auto created = co_await core::Offload(
                        pool, [&] { return groups.CreateAdmin(AdminActor(s, req), org, input); });
                    if (!created) co_return AdminError(created.error());
                    json::object out;
                    out["id"] = created->id;
                    out["username"] = input.username;
                    out["password"] = created->password;
                    co_return AdminJson(201, out);
                  }));

  router.Add(
      "PATCH", "/admin/api/admins/{id}",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = IdParam(req);
                    if (!id) co_return AdminError(id.error());
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    auto done = co_await core::Offload(pool, [&]() -> core::Status {
                      auto list = groups.Admins(org);
                      if (!list) return std::move(list).error();
                      for (auto& v : *list) {
                        if (v.account.id != *id) continue;
                        admin::AdminRole role = v.account.role;
                        CORPHUB_TRY(ReadAdmin(*body, role, v.group_ids));
                        return groups.UpdateAdmin(AdminActor(s, req), org, *id, s.admin_id, role,
                                                  v.group_ids);
                      }
                      return MakeError(ErrorKind::kNotFound, "no administrator has this id");
                    });
                    if (!done) co_return AdminError(done.error());
                    co_return NoStoreJson("{\"ok\":true}");
                  }));

  router.Add(
      "DELETE", "/admin/api/admins/{id}",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = IdParam(req);
                    if (!id) co_return AdminError(id.error());
                    auto done = co_await core::Offload(pool, [&] {
                      return groups.DeleteAdmin(AdminActor(s, req), org, *id, s.admin_id);
                    });
                    if (!done) co_return AdminError(done.error());
                    net::Response res;
                    res.status = 204;
                    co_return res;
                  }));

  // A forgotten password: a new generated one, shown once; their sessions end.
  router.Add(
      "POST", "/admin/api/admins/{id}/password",
      AdminAuthed(deps, Need::kSuper,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = IdParam(req);
                    if (!id) co_return AdminError(id.error());
                    auto password = co_await core::Offload(
                        pool, [&] { return groups.ResetPassword(AdminActor(s, req), org, *id); });
                    if (!password) co_return AdminError(password.error());
                    json::object out;
                    out["password"] = *password;
                    co_return AdminJson(200, out);
                  }));
}

}  // namespace corphub::api
