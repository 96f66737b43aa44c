// /cgi-bin/tag/* (reference §2). Partial success answers as WeCom does: errcode 0 with
// "invalidlist" as a '|'-joined string and "invalidparty" as an array.
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/cgi_bin_visibility.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "directory/tag_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;
using directory::TagService;

core::Result<std::int64_t> RequiredTagId(std::optional<std::int64_t> id) {
  if (!id) return MakeError(ErrorKind::kInvalidTagId, "tagid missing");
  return *id;
}

core::Result<std::int64_t> QueryTagId(const net::Request& req) {
  auto id = IntQuery(req, "tagid", ErrorKind::kInvalidTagId);
  if (!id) return std::move(id).error();
  return RequiredTagId(*id);
}

struct Targets {
  std::int64_t tag_id = 0;
  std::vector<std::string> users;
  std::vector<std::int64_t> parties;
};

core::Result<Targets> ReadTargets(const net::Request& req) {
  auto body = ParseObject(req.body);
  if (!body) return std::move(body).error();
  auto id = IntField(*body, "tagid", ErrorKind::kInvalidTagId);
  if (!id) return std::move(id).error();
  auto tag = RequiredTagId(*id);
  if (!tag) return std::move(tag).error();
  auto users = StringListField(*body, "userlist", ErrorKind::kInvalidUserIdList);
  if (!users) return std::move(users).error();
  auto parties = IntListField(*body, "partylist", ErrorKind::kInvalidDepartmentList);
  if (!parties) return std::move(parties).error();
  return Targets{*tag, users->value_or(std::vector<std::string>{}),
                 parties->value_or(std::vector<std::int64_t>{})};
}

net::Response TargetsAnswer(const directory::TagTargetsResult& r) {
  json::object out;
  if (!r.invalid_users.empty()) {
    std::string joined;
    for (const auto& u : r.invalid_users) {
      if (!joined.empty()) joined += '|';
      joined += u;
    }
    out["invalidlist"] = joined;
  }
  if (!r.invalid_departments.empty()) {
    json::array parties;
    for (std::int64_t d : r.invalid_departments) parties.emplace_back(d);
    out["invalidparty"] = std::move(parties);
  }
  return WecomOk(ObjectMembers(out));
}

}  // namespace

void AddCgiBinTagRoutes(net::Router& router, CgiBinDeps deps, TagService& tags) {
  core::WorkerPool& pool = deps.pool;
  TagService& svc = tags;
  VisibilityResolver& visible = *deps.visibility;

  router.Add("POST", "/cgi-bin/tag/create",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto body = ParseObject(req.body);
                      if (!body) co_return WecomError(body.error());
                      auto name = StringField(*body, "tagname");
                      if (!name) co_return WecomError(name.error());
                      auto id = IntField(*body, "tagid", ErrorKind::kInvalidTagId);
                      if (!id) co_return WecomError(id.error());
                      const std::string tagname = name->value_or("");
                      auto created = co_await core::Offload(pool, [&] {
                        return svc.Create(ActorOf(who, req), who.org_id, tagname, *id);
                      });
                      if (!created) co_return WecomError(created.error());
                      co_return WecomOk("\"tagid\":" + std::to_string(*created), "created");
                    }));

  router.Add("POST", "/cgi-bin/tag/update",
             Authed(deps, Caller::kContacts,
                    [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                      auto body = ParseObject(req.body);
                      if (!body) co_return WecomError(body.error());
                      auto id = IntField(*body, "tagid", ErrorKind::kInvalidTagId);
                      if (!id) co_return WecomError(id.error());
                      auto tag = RequiredTagId(*id);
                      if (!tag) co_return WecomError(tag.error());
                      auto name = StringField(*body, "tagname");
                      if (!name) co_return WecomError(name.error());
                      const std::string tagname = name->value_or("");
                      auto done = co_await core::Offload(pool, [&] {
                        return svc.Rename(ActorOf(who, req), who.org_id, *tag, tagname);
                      });
                      if (!done) co_return WecomError(done.error());
                      co_return WecomOk({}, "updated");
                    }));

  auto remove =
      Authed(deps, Caller::kContacts,
             [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
               auto tag = QueryTagId(req);
               if (!tag) co_return WecomError(tag.error());
               auto done = co_await core::Offload(
                   pool, [&] { return svc.Delete(ActorOf(who, req), who.org_id, *tag); });
               if (!done) co_return WecomError(done.error());
               co_return WecomOk({}, "deleted");
             });
  router.Add("GET", "/cgi-bin/tag/delete", remove);
  router.Add("POST", "/cgi-bin/tag/delete", remove);

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto tag = QueryTagId(req);
        if (!tag) co_return WecomError(tag.error());
        auto found = co_await core::Offload(pool, [&]() -> core::Result<directory::TagDetail> {
          // An app reads the tags of its visible scope.
          if (who.IsApp()) {
            auto v = visible.For(who);
            if (!v) return std::move(v).error();
            if (!v->HasTag(*tag)) return OutsideScope("tag " + std::to_string(*tag));
          }
          return svc.Get(who.org_id, *tag);
        });
        if (!found) co_return WecomError(found.error());
        json::array users;
        for (const auto& m : found->members) {
          users.emplace_back(json::object{{"userid", m.userid}, {"name", m.name}});
        }
        json::array parties;
        for (std::int64_t d : found->departments) parties.emplace_back(d);
        co_return WecomOk(ObjectMembers(json::object{{"tagname", found->tag.name},
                                                     {"userlist", std::move(users)},
                                                     {"partylist", std::move(parties)}}));
      });
  router.Add("GET", "/cgi-bin/tag/get", get);
  router.Add("POST", "/cgi-bin/tag/get", get);

  auto change = [&](bool add) {
    return Authed(
        deps, Caller::kContacts,
        [&, add](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
          auto targets = ReadTargets(req);
          if (!targets) co_return WecomError(targets.error());
          auto done = co_await core::Offload(pool, [&] {
            const core::Actor actor = ActorOf(who, req);
            return add ? svc.AddTargets(actor, who.org_id, targets->tag_id, targets->users,
                                        targets->parties)
                       : svc.RemoveTargets(actor, who.org_id, targets->tag_id, targets->users,
                                           targets->parties);
          });
          if (!done) co_return WecomError(done.error());
          co_return TargetsAnswer(*done);
        });
  };
  router.Add("POST", "/cgi-bin/tag/addtagusers", change(true));
  router.Add("POST", "/cgi-bin/tag/deltagusers", change(false));

  auto list =
      Authed(deps, [&](const corp::Principal& who, net::Request&) -> awaitable<net::Response> {
        auto found =
            co_await core::Offload(pool, [&]() -> core::Result<std::vector<directory::Tag>> {
              auto all = svc.List(who.org_id);
              if (!all || !who.IsApp()) return all;
              auto v = visible.For(who);
              if (!v) return std::move(v).error();
              std::erase_if(*all, [&](const directory::Tag& t) { return !v->HasTag(t.id); });
              return all;
            });
        if (!found) co_return WecomError(found.error());
        json::array out;
        for (const auto& t : *found) {
          out.emplace_back(json::object{{"tagid", t.id}, {"tagname", t.name}});
        }
        co_return WecomOk(ObjectMembers(json::object{{"taglist", std::move(out)}}));
      });
  router.Add("GET", "/cgi-bin/tag/list", list);
  router.Add("POST", "/cgi-bin/tag/list", list);
}

}  // namespace corphub::api
