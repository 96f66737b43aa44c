// /cgi-bin/user/* (reference §2): members as WeCom's user object, with its field types (gender
// a string, main_department a number, extattr {"attrs": [...]}). Writes take a JSON body (POST);
// reads take the query and answer GET and POST alike.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <unordered_set>

#include "api/cgi_bin_request.hpp"
#include "api/cgi_bin_visibility.hpp"
#include "api/member_json.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "directory/member_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;
using directory::Member;
using directory::MemberFields;
using directory::MemberService;

core::Error Bad(std::string message) {
  return MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

const json::string* StringIn(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

// extattr in its canonical form: {"attrs":[{"type":0,"name":..,"text":{"value":..}}, ...]}.
// The 企业号-era {"name":..,"value":..} items are taken as text attributes.
core::Result<std::string> CanonicalExtattr(const json::value& v) {
  if (!v.is_object()) return Bad("extattr must be an object with an attrs array");
  const auto* attrs = v.as_object().if_contains("attrs");
  json::array out;
  if (attrs != nullptr && !attrs->is_null()) {
    if (!attrs->is_array()) return Bad("extattr.attrs must be an array");
    for (const auto& item : attrs->as_array()) {
      if (!item.is_object()) return Bad("each extattr attribute must be an object");
      const auto& a = item.as_object();
      const auto* name = StringIn(a, "name");
      if (name == nullptr || name->empty()) return Bad("each extattr attribute needs a name");
      std::int64_t type = 0;
      if (const auto* t = a.if_contains("type"); t != nullptr && !t->is_null()) {
        auto n = IntField(a, "type", ErrorKind::kInvalidParameter);
        if (!n) return std::move(n).error();
        type = n->value_or(0);
      }
      json::object attr{{"type", type}, {"name", *name}};
      auto sub = [&](std::string_view key) -> const json::object* {
        const auto* s = a.if_contains(key);
        return s != nullptr && s->is_object() ? &s->as_object() : nullptr;
      };
      if (type == 0) {
        const json::object* text = sub("text");
        const json::string* value = text ? StringIn(*text, "value") : StringIn(a, "value");
        if (value == nullptr) return Bad("a text extattr attribute needs text.value");
        attr["text"] = json::object{{"value", *value}};
      } else if (type == 1) {
        const json::object* web = sub("web");
        const json::string* url = web ? StringIn(*web, "url") : nullptr;
        const json::string* title = web ? StringIn(*web, "title") : nullptr;
        if (url == nullptr || title == nullptr) {
          return Bad("a web extattr attribute needs web.url and web.title");
        }
        attr["web"] = json::object{{"url", *url}, {"title", *title}};
      } else if (type == 2) {
        const json::object* mp = sub("miniprogram");
        if (mp == nullptr) return Bad("a miniprogram extattr attribute needs miniprogram");
        attr["miniprogram"] = *mp;
      } else {
        return Bad("extattr attribute type must be 0 (text), 1 (web) or 2 (miniprogram)");
      }
      out.emplace_back(std::move(attr));
    }
  }
  return json::serialize(json::object{{"attrs", std::move(out)}});
}

template <class T>
core::Status Take(core::Result<std::optional<T>> r, std::optional<T>& out) {
  if (!r) return std::move(r).error();
  out = std::move(*r);
  return core::Ok();
}

core::Result<MemberFields> ReadFields(const json::object& body) {
  MemberFields f;
  CORPHUB_TRY(Take(StringField(body, "name"), f.name));
  CORPHUB_TRY(Take(StringField(body, "alias"), f.alias));
  CORPHUB_TRY(Take(StringField(body, "mobile"), f.mobile));
  CORPHUB_TRY(Take(StringField(body, "email"), f.email));
  CORPHUB_TRY(Take(StringField(body, "biz_mail"), f.biz_mail));
  CORPHUB_TRY(Take(StringField(body, "position"), f.position));
  CORPHUB_TRY(Take(StringField(body, "telephone"), f.telephone));
  CORPHUB_TRY(Take(StringField(body, "address"), f.address));
  CORPHUB_TRY(Take(StringField(body, "external_position"), f.external_position));
  CORPHUB_TRY(Take(StringField(body, "external_id"), f.external_id));
  std::optional<std::int64_t> gender;
  CORPHUB_TRY(Take(IntField(body, "gender", ErrorKind::kInvalidParameter), gender));
  if (gender) {
    if (*gender < 0 || *gender > 2) return Bad("gender must be 0, 1 or 2");
    f.gender = static_cast<int>(*gender);
  }
  CORPHUB_TRY(
      Take(IntListField(body, "department", ErrorKind::kInvalidDepartmentList), f.departments));
  CORPHUB_TRY(Take(IntListField(body, "order", ErrorKind::kInvalidParameter), f.orders));
  CORPHUB_TRY(
      Take(IntListField(body, "is_leader_in_dept", ErrorKind::kInvalidParameter), f.leader_flags));
  CORPHUB_TRY(
      Take(IntField(body, "main_department", ErrorKind::kInvalidParameter), f.main_department));
  CORPHUB_TRY(
      Take(StringListField(body, "direct_leader", ErrorKind::kInvalidParameter), f.direct_leaders));
  if (const auto* e = body.if_contains("enable"); e != nullptr && e->is_bool()) {
    f.enable = e->as_bool() ? 1 : 0;
  } else {
    CORPHUB_TRY(Take(IntField(body, "enable", ErrorKind::kInvalidParameter), f.enable));
  }
  if (const auto* e = body.if_contains("extattr"); e != nullptr && !e->is_null()) {
    auto canonical = CanonicalExtattr(*e);
    if (!canonical) return std::move(canonical).error();
    f.extattr_json = std::move(*canonical);
  }
  if (const auto* p = body.if_contains("external_profile"); p != nullptr && !p->is_null()) {
    if (!p->is_object()) return Bad("external_profile must be an object");
    f.external_profile_json = json::serialize(*p);
  }
  return f;
}

// userid from the query (GET) or, for SDKs that POST, from a JSON body.
std::string UseridOf(const net::Request& req) {
  std::string userid = StringQuery(req, "userid");
  if (userid.empty() && !req.body.empty()) {
    if (auto body = ParseObject(req.body); body) {
      if (auto s = StringField(*body, "userid"); s && *s) userid = **s;
    }
  }
  return userid;
}

core::Result<directory::NewMember> ReadNewMember(std::string_view text) {
  auto body = ParseObject(text);
  if (!body) return std::move(body).error();
  auto userid = StringField(*body, "userid");
  if (!userid) return std::move(userid).error();
  auto fields = ReadFields(*body);
  if (!fields) return std::move(fields).error();
  return directory::NewMember{userid->value_or(""), std::move(*fields)};
}

core::Result<directory::MemberChange> ReadMemberChange(std::string_view text) {
  auto body = ParseObject(text);
  if (!body) return std::move(body).error();
  auto userid = StringField(*body, "userid");
  if (!userid) return std::move(userid).error();
  auto new_userid = StringField(*body, "new_userid");
  if (!new_userid) return std::move(new_userid).error();
  auto fields = ReadFields(*body);
  if (!fields) return std::move(fields).error();
  directory::MemberChange change{userid->value_or(""), std::nullopt, std::move(*fields)};
  if (*new_userid && !(*new_userid)->empty()) change.new_userid = **new_userid;
  return change;
}

}  // namespace

void AddCgiBinUserRoutes(net::Router& router, CgiBinDeps deps, MemberService& members) {
  core::WorkerPool& pool = deps.pool;
  MemberService& svc = members;
  VisibilityResolver& visible = *deps.visibility;
  auto cache = std::make_shared<ListCache>();

  router.Add("POST", "/cgi-bin/user/create",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto input = ReadNewMember(req.body);
                      if (!input) co_return WecomError(input.error());
                      auto done = co_await core::Offload(
                          pool, [&] { return svc.Create(ActorOf(who, req), who.org_id, *input); });
                      if (!done) co_return WecomError(done.error());
                      co_return WecomOk({}, "created");
                    }));

  router.Add("POST", "/cgi-bin/user/update",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto change = ReadMemberChange(req.body);
                      if (!change) co_return WecomError(change.error());
                      auto done = co_await core::Offload(
                          pool, [&] { return svc.Update(ActorOf(who, req), who.org_id, *change); });
                      if (!done) co_return WecomError(done.error());
                      co_return WecomOk({}, "updated");
                    }));

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        const std::string userid = UseridOf(req);
        auto found = co_await core::Offload(pool, [&]() -> core::Result<directory::Member> {
          CORPHUB_TRY(visible.Member(who, userid));
          return svc.Get(who.org_id, userid);
        });
        if (!found) co_return WecomError(found.error());
        co_return WecomOk(MemberFieldsJson(*found));
      });
  router.Add("GET", "/cgi-bin/user/get", get);
  router.Add("POST", "/cgi-bin/user/get", get);

  auto remove =
      Authed(deps, Caller::kContacts,
             [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
               const std::string userid = UseridOf(req);
               auto done = co_await core::Offload(
                   pool, [&] { return svc.Delete(ActorOf(who, req), who.org_id, userid); });
               if (!done) co_return WecomError(done.error());
               co_return WecomOk({}, "deleted");
             });
  router.Add("GET", "/cgi-bin/user/delete", remove);
  router.Add("POST", "/cgi-bin/user/delete", remove);

  router.Add(
      "POST", "/cgi-bin/user/batchdelete",
      Authed(deps, Caller::kContacts,
             [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
               auto body = ParseObject(req.body);
               if (!body) co_return WecomError(body.error());
               auto list = StringListField(*body, "useridlist", ErrorKind::kInvalidUserIdList);
               if (!list) co_return WecomError(list.error());
               std::vector<std::string> userids = list->value_or(std::vector<std::string>{});
               auto done = co_await core::Offload(
                   pool, [&] { return svc.BatchDelete(ActorOf(who, req), who.org_id, userids); });
               if (!done) co_return WecomError(done.error());
               co_return WecomOk({}, "deleted");
             }));

  auto list = [&](bool simple) {
    return Authed(
        deps,
        [&, simple, cache](const corp::Principal& who,
                           net::Request& req) -> awaitable<net::Response> {
          auto department = IntQuery(req, "department_id", ErrorKind::kInvalidDepartmentId);
          if (!department) co_return WecomError(department.error());
          if (!*department) {
            co_return WecomError(
                MakeError(ErrorKind::kInvalidDepartmentId, "department_id missing"));
          }
          auto fetch = IntQuery(req, "fetch_child", ErrorKind::kInvalidParameter);
          if (!fetch) co_return WecomError(fetch.error());
          auto status = IntQuery(req, "status", ErrorKind::kInvalidParameter);
          if (!status) co_return WecomError(status.error());
          std::optional<directory::MemberStatus> filter;
          if (*status && **status != 0) {
            const std::int64_t s = **status;
            if (s != 1 && s != 2 && s != 4 && s != 5) {
              co_return WecomError(Bad("status must be 0, 1, 2, 4 or 5"));
            }
            filter = static_cast<directory::MemberStatus>(s);
          }
          const bool fetch_child = fetch->value_or(0) != 0;
          const std::string key = std::to_string(who.org_id) + "/" + std::to_string(**department) +
                                  "/" + (fetch_child ? "1" : "0") + "/" +
                                  std::to_string(filter ? static_cast<int>(*filter) : 0) + "/" +
                                  (simple ? "s" : "f");
          // Everything on the worker pool: a large department's answer is megabytes of JSON.
          auto body = co_await core::Offload(
              pool, [&]() -> core::Result<std::shared_ptr<const std::string>> {
                // An app lists the departments of its visible scope (60011 for others).
                CORPHUB_TRY(visible.Department(who, **department));
                auto version = svc.Version(who.org_id);
                if (!version) return std::move(version).error();
                if (auto hit = cache->Find(key, *version)) return hit;
                auto found = svc.ListDepartment(who.org_id, **department, fetch_child, filter);
                if (!found) return std::move(found).error();
                auto answer =
                    std::make_shared<const std::string>(WecomOk(UserList(*found, simple)).body);
                cache->Store(key, *version, answer);
                return answer;
              });
          if (!body) co_return WecomError(body.error());
          co_return net::Response::Json(200, **body);
        });
  };
  router.Add("GET", "/cgi-bin/user/simplelist", list(true));
  router.Add("POST", "/cgi-bin/user/simplelist", list(true));
  router.Add("GET", "/cgi-bin/user/list", list(false));
  router.Add("POST", "/cgi-bin/user/list", list(false));

  router.Add(
      "POST", "/cgi-bin/user/list_id",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        json::object body;
        if (!req.body.empty()) {
          auto parsed = ParseObject(req.body);
          if (!parsed) co_return WecomError(parsed.error());
          body = std::move(*parsed);
        }
        auto cursor = StringField(body, "cursor");
        if (!cursor) co_return WecomError(cursor.error());
        auto limit = IntField(body, "limit", ErrorKind::kInvalidParameter);
        if (!limit) co_return WecomError(limit.error());
        const std::string c = cursor->value_or("");
        const std::int64_t n = limit->value_or(MemberService::kMaxIdPage);
        std::unordered_set<std::string> shown;
        auto page = co_await core::Offload(pool, [&]() -> core::Result<directory::MemberIdPage> {
          auto found = svc.ListIds(who.org_id, c, n);
          if (!found || !who.IsApp()) return found;
          // An app's token pages through everyone but sees its visible scope's members only.
          auto v = visible.For(who);
          if (!v) return std::move(v).error();
          if (v->everything) return found;
          std::vector<std::string> userids;
          for (const auto& e : found->entries) userids.push_back(e.userid);
          auto seen = visible.Visible(who, *v, userids);
          if (!seen) return std::move(seen).error();
          std::erase_if(found->entries, [&](const auto& e) { return seen->count(e.userid) == 0; });
          return found;
        });
        if (!page) co_return WecomError(page.error());
        json::array entries;
        entries.reserve(page->entries.size());
        for (const auto& e : page->entries) {
          entries.emplace_back(json::object{{"userid", e.userid}, {"department", e.department_id}});
        }
        co_return WecomOk(ObjectMembers(
            json::object{{"next_cursor", page->next_cursor}, {"dept_user", std::move(entries)}}));
      }));

  // The lookups: one string in the body, one answer field.
  using Lookup = std::function<core::Result<std::string>(std::int64_t, const json::object&)>;
  auto lookup = [&](std::string_view answer_key, Lookup fn) {
    return Authed(deps,
                  [&, answer_key = std::string(answer_key), fn = std::move(fn)](
                      const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                    auto body = ParseObject(req.body);
                    if (!body) co_return WecomError(body.error());
                    auto found =
                        co_await core::Offload(pool, [&] { return fn(who.org_id, *body); });
                    if (!found) co_return WecomError(found.error());
                    co_return WecomOk(ObjectMembers(json::object{{answer_key, *found}}));
                  });
  };
  auto text = [](const json::object& body, std::string_view key) -> core::Result<std::string> {
    auto s = StringField(body, key);
    if (!s) return std::move(s).error();
    return s->value_or("");
  };
  router.Add("POST", "/cgi-bin/user/getuserid",
             lookup("userid", [&, text](std::int64_t org, const json::object& body) {
               auto mobile = text(body, "mobile");
               if (!mobile) return core::Result<std::string>(std::move(mobile).error());
               return svc.UseridByMobile(org, *mobile);
             }));
  router.Add(
      "POST", "/cgi-bin/user/get_userid_by_email",
      lookup("userid",
             [&, text](std::int64_t org, const json::object& body) -> core::Result<std::string> {
               auto email = text(body, "email");
               if (!email) return std::move(email).error();
               auto type = IntField(body, "email_type", ErrorKind::kInvalidParameter);
               if (!type) return std::move(type).error();
               const std::int64_t t = type->value_or(1);
               if (t != 1 && t != 2) return Bad("email_type must be 1 or 2");
               return svc.UseridByEmail(org, *email, static_cast<directory::EmailType>(t));
             }));
  router.Add(
      "POST", "/cgi-bin/user/convert_to_openid",
      lookup("openid",
             [&, text](std::int64_t org, const json::object& body) -> core::Result<std::string> {
               auto userid = text(body, "userid");
               if (!userid) return std::move(userid).error();
               return svc.OpenidOf(org, *userid);
             }));
  router.Add(
      "POST", "/cgi-bin/user/convert_to_userid",
      lookup("userid",
             [&, text](std::int64_t org, const json::object& body) -> core::Result<std::string> {
               auto openid = text(body, "openid");
               if (!openid) return std::move(openid).error();
               return svc.UseridOfOpenid(org, *openid);
             }));

  auto authsucc =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        const std::string userid = UseridOf(req);
        auto done = co_await core::Offload(
            pool, [&] { return svc.ConfirmActivation(ActorOf(who, req), who.org_id, userid); });
        if (!done) co_return WecomError(done.error());
        co_return WecomOk();
      });
  router.Add("GET", "/cgi-bin/user/authsucc", authsucc);
  router.Add("POST", "/cgi-bin/user/authsucc", authsucc);
}

}  // namespace corphub::api
