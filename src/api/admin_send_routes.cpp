// Sending through an app from the console (docs/admin-api.md, "Sending from the console"): what
// the caller may send to through an app, and the send itself. A scoped administrator with an
// app's right sends only to departments, tags and members of that right's scope: a target
// outside it refuses the whole send, before anything is stored. The message is then the app's
// as message/send makes it (its visible scope, the per-member caps, its retention), with the
// administrator as its sender and an audit record in the same transaction.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/commit.hpp"
#include "api/message_content.hpp"
#include "api/routes.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "messaging/content.hpp"
#include "messaging/send_service.hpp"

// GCC 12 takes the send coroutine's frame (Asio's own operator new and delete) for a mismatched
// pair: a known false positive, as in admin_session_routes.cpp.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;

// The body's targets: "touser" (userids, or "@all"), "toparty" and "totag" (ids), each a list.
core::Result<messaging::Targets> ReadTargets(const json::object& body) {
  std::vector<std::string> users;
  if (const auto* v = body.if_contains("touser"); v != nullptr && v->is_string()) {
    users.emplace_back(v->as_string());
  } else {
    auto list = StringListField(body, "touser", ErrorKind::kInvalidUserIdList);
    if (!list) return std::move(list).error();
    users = list->value_or(std::vector<std::string>{});
  }
  for (const auto& u : users) {
    if (u.find('|') != std::string::npos) {
      return core::MakeError(ErrorKind::kInvalidUserIdList, "a userid holds no |");
    }
  }
  auto parties = IntListField(body, "toparty", ErrorKind::kInvalidDepartmentList);
  if (!parties) return std::move(parties).error();
  auto tags = IntListField(body, "totag", ErrorKind::kInvalidTagId);
  if (!tags) return std::move(tags).error();
  auto texts = [](const std::optional<std::vector<std::int64_t>>& ids) {
    std::vector<std::string> out;
    for (auto id : ids.value_or(std::vector<std::int64_t>{})) out.push_back(std::to_string(id));
    return out;
  };
  return messaging::Targets::FromLists(users, texts(*parties), texts(*tags));
}

// Every target inside what the administrator may send to through the app. Unknown targets are
// refused as outside the scope too, so that a scoped administrator learns nothing of the rest of
// the directory; a super admin's unknown targets are the send's to report.
core::Status CheckTargets(Access& access, directory::ScopeResolver& scopes, std::int64_t org,
                          std::int64_t agentid, const messaging::Targets& targets) {
  if (access.Super()) return core::Ok();
  auto send = access.SendScope(agentid);
  if (!send) return std::move(send).error();
  if (targets.everyone && !send->everything) {
    return Denied("@all is outside your scope: choose departments, tags or members in it");
  }
  for (const auto& p : targets.parties) {
    if (!send->HasDepartment(std::stoll(p))) {
      return Denied("department " + p + " is outside your scope");
    }
  }
  for (const auto& t : targets.tags) {
    if (!send->HasTag(std::stoll(t))) return Denied("tag " + t + " is outside your scope");
  }
  if (targets.users.empty()) return core::Ok();
  auto found = scopes.Members(org, targets.users);
  if (!found) return std::move(found).error();
  for (const auto& userid : targets.users) {
    bool inside = false;
    for (const auto& f : *found) {
      if (f.member.userid == userid) inside = send->HasMember(f.member, f.tag_ids);
    }
    if (!inside) return Denied("member " + userid + " is outside your scope");
  }
  return core::Ok();
}

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

struct Sent {
  std::shared_ptr<const messaging::PreparedSend> send;
  std::shared_ptr<messaging::Stored> stored = std::make_shared<messaging::Stored>();
};

// Stores the prepared send with its audit record (its own coroutine: GCC 12 misjudges larger
// frames).
awaitable<core::Status> Store(messaging::Committer& committer, messaging::SendService& sends,
                              const Sent& sent, core::AuditRecord record) {
  messaging::Committer::Work inner = sends.StoreWork(sent.send, sent.stored);
  messaging::Committer::Work work =
      [inner = std::move(inner), stored = sent.stored,
       record = std::move(record)](messaging::MessagingUnit& u) -> core::Status {
    CORPHUB_TRY(inner(u));
    return u.Audit().Append(record);
  };
  std::function<void()> publish = [service = &sends, stored = sent.stored] {
    service->Publish(*stored, messaging::EventKind::kMessage);
  };
  co_return co_await Commit(committer, std::move(work), sent.send->member_ids().size() + 1,
                            std::move(publish));
}

}  // namespace

void AddAdminSendRoutes(net::Router& router, AdminDeps deps, messaging::SendService& sends,
                        messaging::Committer& committer, const core::Clock& clock) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  // What the caller may send to through the app: everything, or these departments (each with
  // its subtree, listed) and tags (and the members in them).
  router.Add(
      "GET", "/admin/api/apps/{agentid}/targets",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::int64_t agentid = AgentidParam(req);
                    if (auto may = UseApp(s.rights, agentid); !may)
                      co_return AdminError(may.error());
                    auto scope = co_await core::Offload(pool, [&] {
                      Access access(s.rights, scopes, org);
                      return access.SendScope(agentid);
                    });
                    if (!scope) co_return AdminError(scope.error());
                    std::vector<std::int64_t> tags(scope->tags.begin(), scope->tags.end());
                    std::sort(tags.begin(), tags.end());
                    co_return NoStoreJson(core::JsonObjectWriter()
                                              .Bool("everything", scope->everything)
                                              .Ints("departments", scope->DepartmentList())
                                              .Ints("tags", tags)
                                              .Done());
                  }));

  // {"touser": [userids] | "@all", "toparty": [ids], "totag": [ids], "msgtype", its object (as
  // message/send), "safe"?, "keep_permanently"?}.
  router.Add("POST", "/admin/api/apps/{agentid}/messages",
             AdminAuthed(
                 deps, Need::kApps,
                 [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                   const std::int64_t agentid = AgentidParam(req);
                   if (auto may = UseApp(s.rights, agentid); !may)
                     co_return AdminError(may.error());
                   auto body = AdminBody(req);
                   if (!body) co_return AdminError(body.error());
                   auto targets = ReadTargets(*body);
                   if (!targets) co_return AdminError(targets.error());
                   if (targets->Empty()) {
                     co_return AdminError(core::MakeError(ErrorKind::kNoValidRecipient,
                                                          "choose members, departments or tags"));
                   }
                   auto content = DecodeMessageContent(*body);
                   if (!content) co_return AdminError(content.error());
                   messaging::SendRequest request;
                   request.org_id = org;
                   request.token_agentid = agentid;
                   request.agentid = agentid;
                   const core::Actor actor = AdminActor(s, req);
                   request.sender = actor.principal;
                   request.targets = std::move(targets).value();
                   request.content = std::move(content).value();
                   auto safe = IntField(*body, "safe", ErrorKind::kInvalidParameter);
                   if (!safe) co_return AdminError(safe.error());
                   request.safe = static_cast<int>(safe->value_or(0));
                   if (request.safe < 0 || request.safe > 2) {
                     co_return AdminError(
                         core::MakeError(ErrorKind::kInvalidParameter, "safe takes 0, 1 or 2"));
                   }
                   if (const auto* keep = body->if_contains("keep_permanently")) {
                     if (!keep->is_bool()) {
                       co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                            "keep_permanently is true or false"));
                     }
                     request.keep_permanently = keep->as_bool();
                   }
                   auto prepared =
                       co_await core::Offload(pool, [&]() -> core::Result<messaging::PreparedSend> {
                         Access access(s.rights, scopes, org);
                         auto inside = CheckTargets(access, scopes, org, agentid, request.targets);
                         if (!inside) return std::move(inside).error();
                         return sends.Prepare(request);
                       });
                   if (!prepared) {
                     if (prepared.error().kind == ErrorKind::kInvalidAgentId) {
                       co_return AdminError(
                           core::MakeError(ErrorKind::kNotFound, "no app has this agentid"));
                     }
                     co_return AdminError(prepared.error());
                   }
                   Sent sent;
                   sent.send =
                       std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
                   const auto& r = sent.send->resolution;
                   if (sent.send->member_ids().empty() && sent.send->capped == 0) {
                     co_return AdminError(core::MakeError(
                         ErrorKind::kNoValidRecipient,
                         "none of the targets is a member the app may reach (its visible scope, "
                         "active members)"));
                   }
                   core::AuditRecord record;
                   record.org_id = org;
                   record.at = clock.Now();
                   record.actor = actor.principal;
                   record.address = actor.address;
                   record.action = "message.send";
                   record.target = sent.send->message.msgid;
                   record.detail_json =
                       core::JsonObjectWriter()
                           .Int("agentid", agentid)
                           .Str("msgtype", messaging::MsgTypeName(sent.send->message.content.type))
                           .Int("recipients", sent.send->message.recipients)
                           .Done();
                   auto status = co_await Store(committer, sends, sent, std::move(record));
                   if (!status) co_return AdminError(status.error());
                   json::object out;
                   out["msgid"] = sent.stored->msgid;
                   out["recipients"] = sent.send->message.recipients;
                   out["capped"] = sent.send->capped;
                   out["invalid_users"] = Strings(r.invalid_users);
                   out["invalid_parties"] = Strings(r.invalid_parties);
                   out["invalid_tags"] = Strings(r.invalid_tags);
                   co_return AdminJson(201, out);
                 }));
}

}  // namespace corphub::api
