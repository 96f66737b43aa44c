// /admin/api/departments, /admin/api/members, /admin/api/tags: the console's directory screens
// (docs/admin-api.md).
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "core/offload.hpp"
#include "directory/console_service.hpp"
#include "directory/department_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;
using directory::MemberQuery;

json::object DepartmentJson(const directory::CountedDepartment& c) {
  json::object o;
  o["id"] = c.department.id;
  o["name"] = c.department.name;
  o["name_en"] = c.department.name_en;
  o["parentid"] = c.department.parent_id;
  o["order"] = c.department.order;
  o["member_count"] = c.member_count;
  o["total_count"] = c.total_count;
  return o;
}

json::object MemberJson(const directory::ConsoleMember& cm,
                        const std::unordered_map<std::int64_t, std::string>& names) {
  const directory::Member& m = cm.member;
  json::object o;
  o["userid"] = m.userid;
  o["name"] = m.name;
  o["alias"] = m.alias;
  o["mobile"] = m.mobile;
  o["email"] = m.email;
  o["external_id"] = m.external_id;
  o["position"] = m.position;
  o["status"] = static_cast<int>(m.Status());
  o["main_department"] = m.main_department;
  json::array departments;
  for (const auto& d : m.departments) {
    json::object dep;
    dep["id"] = d.department_id;
    auto it = names.find(d.department_id);
    dep["name"] = it == names.end() ? std::string() : it->second;
    departments.push_back(std::move(dep));
  }
  o["departments"] = std::move(departments);
  json::array tags;
  for (const auto& t : cm.tags) {
    json::object tag;
    tag["id"] = t.id;
    tag["name"] = t.name;
    tags.push_back(std::move(tag));
  }
  o["tags"] = std::move(tags);
  return o;
}

core::Result<std::optional<std::int64_t>> QueryInt(const net::Request& req, std::string_view key) {
  auto text = req.Query(key);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || p != text->data() + text->size()) {
    return MakeError(ErrorKind::kInvalidArgument, std::string(key) + " must be a whole number");
  }
  return std::optional<std::int64_t>(n);
}

// The {id} of /admin/api/departments/{id}.
core::Result<std::int64_t> DepartmentIdOf(net::Request& req) {
  std::int64_t id = 0;
  const std::string& text = req.params["id"];
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size()) {
    return MakeError(ErrorKind::kInvalidDepartmentId, "bad department id " + text);
  }
  return id;
}

// name, name_en, parentid and order of a department's create or update body, each optional.
struct DepartmentFields {
  std::optional<std::string> name, name_en;
  std::optional<std::int64_t> parent_id, order;
};

core::Result<DepartmentFields> ReadDepartmentFields(const net::Request& req) {
  auto body = AdminBody(req);
  if (!body) return std::move(body).error();
  DepartmentFields f;
  auto name = StringField(*body, "name");
  if (!name) return std::move(name).error();
  auto name_en = StringField(*body, "name_en");
  if (!name_en) return std::move(name_en).error();
  auto parent = IntField(*body, "parentid", ErrorKind::kParentNotFound);
  if (!parent) return std::move(parent).error();
  auto order = IntField(*body, "order", ErrorKind::kInvalidArgument);
  if (!order) return std::move(order).error();
  f.name = *name;
  f.name_en = *name_en;
  f.parent_id = *parent;
  f.order = *order;
  return f;
}

bool QueryFlag(const net::Request& req, std::string_view key) {
  auto v = req.Query(key);
  return v && (*v == "1" || *v == "true" || *v == "yes");
}

}  // namespace

core::Status ScopeQuery(const admin::Rights& rights, directory::ScopeResolver& scopes,
                        std::int64_t org_id, MemberQuery& query) {
  if (rights.super) return core::Ok();
  Access access(rights, scopes, org_id);
  if (query.department_id) CORPHUB_TRY(access.SeeDepartment(*query.department_id));
  auto filter = access.MemberFilter();
  if (!filter) return std::move(filter).error();
  query.within = std::move(*filter);
  return core::Ok();
}

core::Result<MemberQuery> ReadMemberQuery(const net::Request& req) {
  MemberQuery q;
  q.text = directory::ConsoleService::NormaliseQuery(req.Query("q").value_or(""));
  if (q.text.size() > 128) return MakeError(ErrorKind::kInvalidArgument, "q is too long");
  auto department = QueryInt(req, "department_id");
  if (!department) return std::move(department).error();
  q.department_id = *department;
  q.recursive = QueryFlag(req, "recursive");
  auto status = QueryInt(req, "status");
  if (!status) return std::move(status).error();
  if (*status) {
    const std::int64_t s = **status;
    if (s != 1 && s != 2 && s != 4 && s != 5) {
      return MakeError(ErrorKind::kInvalidArgument, "status must be 1, 2, 4 or 5");
    }
    q.status = static_cast<directory::MemberStatus>(s);
  }
  auto tag = QueryInt(req, "tag_id");
  if (!tag) return std::move(tag).error();
  q.tag_id = *tag;
  auto offset = QueryInt(req, "offset");
  if (!offset) return std::move(offset).error();
  q.offset = offset->value_or(0);
  auto limit = QueryInt(req, "limit");
  if (!limit) return std::move(limit).error();
  q.limit = limit->value_or(50);
  return q;
}

void AddAdminDirectoryRoutes(net::Router& router, AdminDeps deps,
                             directory::DepartmentService& departments,
                             directory::ConsoleService& console) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  // A scoped administrator sees the departments of their scope; those whose parent is outside
  // it are the tops of their tree.
  router.Add("GET", "/admin/api/departments",
             AdminAuthed(
                 deps, Need::kContacts,
                 [&](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                   Access access(s.rights, scopes, org);
                   const directory::ScopeIndex* visible = nullptr;
                   auto tree = co_await core::Offload(
                       pool,
                       [&]() -> core::Result<
                                 std::shared_ptr<const std::vector<directory::CountedDepartment>>> {
                         auto scope = access.Visible();
                         if (!scope) return std::move(scope).error();
                         visible = *scope;
                         return console.Tree(org);
                       });
                   if (!tree) co_return AdminError(tree.error());
                   json::array list;
                   for (const auto& c : **tree) {
                     if (visible->HasDepartment(c.department.id)) {
                       list.push_back(DepartmentJson(c));
                     }
                   }
                   json::object out;
                   out["departments"] = std::move(list);
                   co_return AdminJson(200, out);
                 }));

  router.Add(
      "POST", "/admin/api/departments",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto fields = ReadDepartmentFields(req);
                    if (!fields) co_return AdminError(fields.error());
                    directory::NewDepartment input;
                    input.name = fields->name.value_or("");
                    input.name_en = fields->name_en.value_or("");
                    input.parent_id = fields->parent_id.value_or(directory::kRootDepartmentId);
                    input.order = fields->order.value_or(0);
                    auto id = co_await core::Offload(pool, [&]() -> core::Result<std::int64_t> {
                      Access access(s.rights, scopes, org);
                      CORPHUB_TRY(access.EditDepartment(input.parent_id, false));
                      return departments.Create(AdminActor(s, req), org, input);
                    });
                    if (!id) co_return AdminError(id.error());
                    json::object out;
                    out["id"] = *id;
                    co_return AdminJson(201, out);
                  }));

  router.Add(
      "PATCH", "/admin/api/departments/{id}",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = DepartmentIdOf(req);
                    if (!id) co_return AdminError(id.error());
                    auto fields = ReadDepartmentFields(req);
                    if (!fields) co_return AdminError(fields.error());
                    directory::DepartmentChange change;
                    change.id = *id;
                    change.name = fields->name;
                    change.name_en = fields->name_en;
                    change.parent_id = fields->parent_id;
                    change.order = fields->order;
                    auto done = co_await core::Offload(pool, [&]() -> core::Status {
                      Access access(s.rights, scopes, org);
                      CORPHUB_TRY(access.EditDepartment(change.id, true));
                      if (change.parent_id) {
                        CORPHUB_TRY(access.EditDepartment(*change.parent_id, false));
                      }
                      return departments.Update(AdminActor(s, req), org, change);
                    });
                    if (!done) co_return AdminError(done.error());
                    co_return AdminJson(200, json::object());
                  }));

  router.Add(
      "DELETE", "/admin/api/departments/{id}",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto id = DepartmentIdOf(req);
                    if (!id) co_return AdminError(id.error());
                    auto done = co_await core::Offload(pool, [&]() -> core::Status {
                      Access access(s.rights, scopes, org);
                      CORPHUB_TRY(access.EditDepartment(*id, true));
                      return departments.Delete(AdminActor(s, req), org, *id);
                    });
                    if (!done) co_return AdminError(done.error());
                    net::Response res;
                    res.status = 204;
                    co_return res;
                  }));

  router.Add(
      "GET", "/admin/api/members",
      AdminAuthed(deps, Need::kContacts,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto query = ReadMemberQuery(req);
                    if (!query) co_return AdminError(query.error());
                    auto page =
                        co_await core::Offload(pool, [&]() -> core::Result<directory::ConsolePage> {
                          CORPHUB_TRY(ScopeQuery(s.rights, scopes, org, *query));
                          return console.Search(org, *query);
                        });
                    if (!page) co_return AdminError(page.error());
                    auto tree = co_await core::Offload(pool, [&] { return console.Tree(org); });
                    if (!tree) co_return AdminError(tree.error());
                    std::unordered_map<std::int64_t, std::string> names;
                    for (const auto& c : **tree) names.emplace(c.department.id, c.department.name);
                    json::array list;
                    for (const auto& m : page->members) list.push_back(MemberJson(m, names));
                    json::object out;
                    out["total"] = page->total;
                    out["members"] = std::move(list);
                    co_return AdminJson(200, out);
                  }));

  router.Add(
      "POST", "/admin/api/members/bulk",
      AdminAuthed(
          deps, Need::kContactsEdit,
          [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            auto body = AdminBody(req);
            if (!body) co_return AdminError(body.error());
            directory::BulkChange change;
            auto action = StringField(*body, "action");
            if (!action) co_return AdminError(action.error());
            const std::string a = action->value_or("");
            if (a == "move") {
              change.action = directory::BulkAction::kMove;
            } else if (a == "add_tag") {
              change.action = directory::BulkAction::kAddTag;
            } else if (a == "remove_tag") {
              change.action = directory::BulkAction::kRemoveTag;
            } else if (a == "delete") {
              change.action = directory::BulkAction::kDelete;
            } else {
              co_return AdminError(MakeError(ErrorKind::kInvalidArgument,
                                             "action must be move, add_tag, remove_tag or delete"));
            }
            auto userids = StringListField(*body, "userids", ErrorKind::kInvalidArgument);
            if (!userids) co_return AdminError(userids.error());
            change.userids = userids->value_or(std::vector<std::string>{});
            auto department = IntField(*body, "department_id", ErrorKind::kInvalidDepartmentId);
            if (!department) co_return AdminError(department.error());
            auto tag = IntField(*body, "tag_id", ErrorKind::kInvalidTagId);
            if (!tag) co_return AdminError(tag.error());
            if (change.action == directory::BulkAction::kMove && !*department) {
              co_return AdminError(
                  MakeError(ErrorKind::kInvalidArgument, "move needs department_id"));
            }
            if ((change.action == directory::BulkAction::kAddTag ||
                 change.action == directory::BulkAction::kRemoveTag) &&
                !*tag) {
              co_return AdminError(MakeError(ErrorKind::kInvalidArgument, a + " needs tag_id"));
            }
            change.department_id = department->value_or(0);
            change.tag_id = tag->value_or(0);
            auto changed = co_await core::Offload(pool, [&]() -> core::Result<std::int64_t> {
              Access access(s.rights, scopes, org);
              CORPHUB_TRY(access.EditMembers(change.userids));
              if (change.action == directory::BulkAction::kMove) {
                CORPHUB_TRY(access.EditDepartment(change.department_id, false));
              }
              if (change.tag_id != 0) CORPHUB_TRY(access.EditTag(change.tag_id));
              return console.Apply(AdminActor(s, req), org, change);
            });
            if (!changed) co_return AdminError(changed.error());
            json::object out;
            out["changed"] = *changed;
            co_return AdminJson(200, out);
          }));

  // Freezing (暂停使用) is a device right: {"userids": [...], "frozen": true|false}. A frozen
  // member's sessions end and they cannot sign in until unfrozen; their data stays.
  router.Add("POST", "/admin/api/members/freeze",
             AdminAuthed(
                 deps, Need::kDevices,
                 [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                   auto body = AdminBody(req);
                   if (!body) co_return AdminError(body.error());
                   directory::BulkChange change;
                   const auto* frozen = body->if_contains("frozen");
                   if (frozen == nullptr || !frozen->is_bool()) {
                     co_return AdminError(
                         MakeError(ErrorKind::kInvalidArgument, "frozen is true or false"));
                   }
                   change.action = frozen->as_bool() ? directory::BulkAction::kFreeze
                                                     : directory::BulkAction::kUnfreeze;
                   auto userids = StringListField(*body, "userids", ErrorKind::kInvalidArgument);
                   if (!userids) co_return AdminError(userids.error());
                   change.userids = userids->value_or(std::vector<std::string>{});
                   auto changed = co_await core::Offload(pool, [&]() -> core::Result<std::int64_t> {
                     CORPHUB_TRY(Access(s.rights, scopes, org).ManageDevicesOf(change.userids));
                     return console.Apply(AdminActor(s, req), org, change);
                   });
                   if (!changed) co_return AdminError(changed.error());
                   json::object out;
                   out["changed"] = *changed;
                   co_return AdminJson(200, out);
                 }));

  router.Add(
      "GET", "/admin/api/tags",
      AdminAuthed(deps, Need::kContacts,
                  [&](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                    Access access(s.rights, scopes, org);
                    const directory::ScopeIndex* visible = nullptr;
                    auto tags = co_await core::Offload(
                        pool, [&]() -> core::Result<std::vector<directory::CountedTag>> {
                          auto scope = access.Visible();
                          if (!scope) return std::move(scope).error();
                          visible = *scope;
                          return console.Tags(org);
                        });
                    if (!tags) co_return AdminError(tags.error());
                    json::array list;
                    for (const auto& t : *tags) {
                      if (!visible->HasTag(t.tag.id)) continue;
                      json::object o;
                      o["id"] = t.tag.id;
                      o["name"] = t.tag.name;
                      o["member_count"] = t.member_count;
                      list.push_back(std::move(o));
                    }
                    json::object out;
                    out["tags"] = std::move(list);
                    co_return AdminJson(200, out);
                  }));

  // The audit log: who changed what, when and from where; newest first, filtered.
  router.Add(
      "GET", "/admin/api/audit",
      AdminAuthed(deps, Need::kAny,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    core::AuditQuery q;
                    q.org_id = org;
                    q.actor = req.Query("actor").value_or("");
                    // A scoped administrator reads the records of their own actions.
                    if (!s.rights.super) {
                      const std::string me = "admin:" + s.admin.username;
                      if (!q.actor.empty() && q.actor != me) {
                        co_return AdminError(
                            Denied("you may read only the records of your own actions"));
                      }
                      q.actor = me;
                    }
                    q.action = req.Query("action").value_or("");
                    q.target = req.Query("target").value_or("");
                    for (auto [key, field] :
                         {std::pair{"since", &q.since}, std::pair{"until", &q.until},
                          std::pair{"before", &q.before}, std::pair{"limit", &q.limit}}) {
                      auto n = QueryNumber(req, key, *field);
                      if (!n) co_return AdminError(n.error());
                      *field = *n;
                    }
                    auto page = co_await core::Offload(pool, [&] { return console.Audit(q); });
                    if (!page) co_return AdminError(page.error());
                    json::array list;
                    for (const auto& e : page->entries) {
                      json::object o;
                      o["id"] = e.id;
                      o["at"] = core::UnixSeconds(e.record.at);
                      o["actor"] = e.record.actor;
                      o["address"] = e.record.address;
                      o["action"] = e.record.action;
                      o["target"] = e.record.target;
                      boost::system::error_code ec;
                      json::value detail = json::parse(e.record.detail_json, ec);
                      o["detail"] = ec ? json::value(json::object()) : std::move(detail);
                      list.push_back(std::move(o));
                    }
                    json::object out;
                    out["next_before"] = page->next_before;
                    out["entries"] = std::move(list);
                    co_return NoStoreJson(json::serialize(out));
                  }));
}

}  // namespace corphub::api
