// /cgi-bin/department/{create,update,delete,list,simplelist,get} (reference §2). Write calls take
// a JSON body (POST); reads take the query (GET, and POST where an SDK sends one). Field names
// and types as WeCom returns them: "parentid", "order", "department_leader" (an array).
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/cgi_bin_visibility.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "directory/department_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using directory::Department;
using directory::DepartmentService;

json::object Full(const Department& d) {
  json::array leaders;
  for (const auto& l : d.leaders) leaders.emplace_back(l);
  return {{"id", d.id},
          {"name", d.name},
          {"name_en", d.name_en},
          {"department_leader", std::move(leaders)},
          {"parentid", d.parent_id},
          {"order", d.order}};
}

// The id a read endpoint was asked for: required (get), optional (list).
core::Result<std::optional<std::int64_t>> QueryId(const net::Request& req) {
  return IntQuery(req, "id", ErrorKind::kInvalidDepartmentId);
}

core::Result<directory::NewDepartment> ReadNew(const json::object& body) {
  directory::NewDepartment d;
  auto name = StringField(body, "name");
  if (!name) return std::move(name).error();
  d.name = name->value_or("");
  auto name_en = StringField(body, "name_en");
  if (!name_en) return std::move(name_en).error();
  d.name_en = name_en->value_or("");
  auto parent = IntField(body, "parentid", ErrorKind::kParentNotFound);
  if (!parent) return std::move(parent).error();
  if (!*parent) return core::MakeError(ErrorKind::kParentNotFound, "parentid missing");
  d.parent_id = **parent;
  auto order = IntField(body, "order", ErrorKind::kInvalidParameter);
  if (!order) return std::move(order).error();
  d.order = order->value_or(0);
  auto id = IntField(body, "id", ErrorKind::kInvalidDepartmentId);
  if (!id) return std::move(id).error();
  d.id = *id;
  return d;
}

core::Result<directory::DepartmentChange> ReadChange(const json::object& body) {
  directory::DepartmentChange c;
  auto id = IntField(body, "id", ErrorKind::kInvalidDepartmentId);
  if (!id) return std::move(id).error();
  if (!*id) return core::MakeError(ErrorKind::kInvalidDepartmentId, "id missing");
  c.id = **id;
  auto name = StringField(body, "name");
  if (!name) return std::move(name).error();
  c.name = *name;
  auto name_en = StringField(body, "name_en");
  if (!name_en) return std::move(name_en).error();
  c.name_en = *name_en;
  auto parent = IntField(body, "parentid", ErrorKind::kParentNotFound);
  if (!parent) return std::move(parent).error();
  c.parent_id = *parent;
  auto order = IntField(body, "order", ErrorKind::kInvalidParameter);
  if (!order) return std::move(order).error();
  c.order = *order;
  return c;
}

}  // namespace

void AddCgiBinDepartmentRoutes(net::Router& router, CgiBinDeps deps,
                               DepartmentService& departments) {
  core::WorkerPool& pool = deps.pool;
  DepartmentService& svc = departments;
  VisibilityResolver& visible = *deps.visibility;

  router.Add("POST", "/cgi-bin/department/create",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto body = ParseObject(req.body);
                      if (!body) co_return WecomError(body.error());
                      auto input = ReadNew(*body);
                      if (!input) co_return WecomError(input.error());
                      auto id = co_await core::Offload(
                          pool, [&] { return svc.Create(ActorOf(who, req), who.org_id, *input); });
                      if (!id) co_return WecomError(id.error());
                      co_return WecomOk("\"id\":" + std::to_string(*id), "created");
                    }));

  router.Add("POST", "/cgi-bin/department/update",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto body = ParseObject(req.body);
                      if (!body) co_return WecomError(body.error());
                      auto change = ReadChange(*body);
                      if (!change) co_return WecomError(change.error());
                      auto done = co_await core::Offload(
                          pool, [&] { return svc.Update(ActorOf(who, req), who.org_id, *change); });
                      if (!done) co_return WecomError(done.error());
                      co_return WecomOk({}, "updated");
                    }));

  auto remove = Authed(
      deps, Caller::kContacts,
      [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto id = QueryId(req);
        if (!id) co_return WecomError(id.error());
        if (!*id)
          co_return WecomError(core::MakeError(ErrorKind::kInvalidDepartmentId, "id missing"));
        auto done = co_await core::Offload(
            pool, [&] { return svc.Delete(ActorOf(who, req), who.org_id, **id); });
        if (!done) co_return WecomError(done.error());
        co_return WecomOk({}, "deleted");
      });
  router.Add("GET", "/cgi-bin/department/delete", remove);
  router.Add("POST", "/cgi-bin/department/delete", remove);

  auto list = [&](bool simple) {
    return Authed(
        deps,
        [&, simple](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
          auto id = QueryId(req);
          if (!id) co_return WecomError(id.error());
          auto found = co_await core::Offload(
              pool, [&]() -> core::Result<std::vector<directory::Department>> {
                if (!who.IsApp()) return svc.List(who.org_id, *id);
                // An app lists the departments of its visible scope: 60011 for one outside it,
                // and without an id, those it sees.
                auto v = visible.For(who);
                if (!v) return std::move(v).error();
                if (*id && !v->HasDepartment(**id)) {
                  return OutsideScope("department " + std::to_string(**id));
                }
                auto all = svc.List(who.org_id, *id);
                if (!all) return all;
                std::erase_if(*all, [&](const auto& d) { return !v->HasDepartment(d.id); });
                return all;
              });
          if (!found) co_return WecomError(found.error());
          json::array out;
          for (const auto& d : *found) {
            if (simple) {
              out.emplace_back(
                  json::object{{"id", d.id}, {"parentid", d.parent_id}, {"order", d.order}});
            } else {
              out.emplace_back(Full(d));
            }
          }
          json::object members;
          members[simple ? "department_id" : "department"] = std::move(out);
          co_return WecomOk(ObjectMembers(members));
        });
  };
  router.Add("GET", "/cgi-bin/department/list", list(false));
  router.Add("POST", "/cgi-bin/department/list", list(false));
  router.Add("GET", "/cgi-bin/department/simplelist", list(true));
  router.Add("POST", "/cgi-bin/department/simplelist", list(true));

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto id = QueryId(req);
        if (!id) co_return WecomError(id.error());
        if (!*id)
          co_return WecomError(core::MakeError(ErrorKind::kInvalidDepartmentId, "id missing"));
        auto found = co_await core::Offload(pool, [&]() -> core::Result<directory::Department> {
          CORPHUB_TRY(visible.Department(who, **id));
          return svc.Get(who.org_id, **id);
        });
        if (!found) co_return WecomError(found.error());
        json::object members{{"department", Full(*found)}};
        co_return WecomOk(ObjectMembers(members));
      });
  router.Add("GET", "/cgi-bin/department/get", get);
  router.Add("POST", "/cgi-bin/department/get", get);
}

}  // namespace corphub::api
