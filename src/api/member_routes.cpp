// /api/v1: the member client's JSON API (docs/member-api.md): conversations with unread counts,
// pages of messages, marking read, the events after a sequence number, and media downloads for
// the members whose messages name them.
#include "api/member_routes.hpp"

#include <boost/json/parse.hpp>

#include "api/admin_request.hpp"
#include "api/commit.hpp"
#include "api/member_request.hpp"
#include "apps/app_service.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/member_session_service.hpp"
#include "media/media_service.hpp"
#include "messaging/event_json.hpp"
#include "messaging/inbox_service.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;
using messaging::InboxEvent;

std::string EventWithSeq(const InboxEvent& e) {
  return messaging::WithSeq(e.seq, messaging::EventBody(e.kind, e.message, e.read_at));
}

// A message of a page: the message's fields with its seq.
std::string PageItem(const InboxEvent& e) {
  return messaging::WithSeq(e.seq, messaging::MessageJson(e.message, e.read_at));
}

}  // namespace

void AddMemberRoutes(net::Router& router, MemberRouteDeps d) {
  MemberDeps auth{d.pool, d.sessions};
  core::WorkerPool& pool = d.pool;
  messaging::InboxService& inbox = d.inbox;
  apps::AppService& apps = d.apps;
  media::MediaService& media = d.media;
  messaging::Committer& committer = d.committer;
  identity::MemberSessionService& sessions = d.sessions;

  router.Add(
      "GET", "/api/v1/me",
      MemberAuthed(
          auth, [&](const identity::MemberSession& s, net::Request&) -> awaitable<net::Response> {
            auto me = co_await core::Offload(pool, [&] { return sessions.Profile(s); });
            if (!me) co_return AdminError(me.error());
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Str("userid", me->userid)
                                      .Str("name", me->name)
                                      .Str("position", me->position)
                                      .Str("avatar", me->avatar)
                                      .Str("org_name", me->org_name)
                                      .Str("csrf_token", s.csrf_token)
                                      .Int("session_expires_at", core::UnixSeconds(s.expires_at))
                                      .Done());
          }));

  router.Add(
      "GET", "/api/v1/conversations",
      MemberAuthed(
          auth, [&](const identity::MemberSession& s, net::Request&) -> awaitable<net::Response> {
            auto found =
                co_await core::Offload(pool, [&] { return inbox.Conversations(s.member_id); });
            if (!found) co_return AdminError(found.error());
            auto list = co_await core::Offload(pool, [&] { return apps.List(s.org_id); });
            if (!list) co_return AdminError(list.error());
            auto last = co_await core::Offload(pool, [&] { return inbox.LastSeq(s.member_id); });
            if (!last) co_return AdminError(last.error());
            std::vector<std::string> items;
            for (const auto& c : *found) {
              std::string name;
              for (const auto& a : *list) {
                if (a.agentid == c.agentid) name = a.name;
              }
              items.push_back(core::JsonObjectWriter()
                                  .Int("agentid", c.agentid)
                                  .Str("chatid", c.chatid)
                                  .Str("name", c.chatid.empty() ? name : c.chat_name)
                                  .Str("app_name", name)
                                  .Int("unread", c.unread)
                                  .Int("messages", c.messages)
                                  .Raw("last", PageItem(c.last))
                                  .Done());
            }
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .RawArray("conversations", items)
                                      .Int("last_seq", *last)
                                      .Done());
          }));

  router.Add(
      "GET", "/api/v1/conversations/{agentid}/messages",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            auto agentid = std::strtoll(req.params["agentid"].c_str(), nullptr, 10);
            auto before = QueryNumber(req, "before", 0);
            if (!before) co_return AdminError(before.error());
            auto limit = QueryNumber(req, "limit", 30);
            if (!limit) co_return AdminError(limit.error());
            const std::string chatid = req.Query("chatid").value_or("");
            auto page = co_await core::Offload(
                pool, [&] { return inbox.Page(s.member_id, agentid, chatid, *before, *limit); });
            if (!page) co_return AdminError(page.error());
            std::vector<std::string> items;
            for (const auto& e : *page) items.push_back(PageItem(e));
            const std::int64_t clamped = std::clamp<std::int64_t>(*limit, 1, 100);
            const std::int64_t next =
                static_cast<std::int64_t>(page->size()) == clamped ? page->back().seq : 0;
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .RawArray("messages", items)
                                      .Int("next_before", next)
                                      .Done());
          }));

  router.Add(
      "POST", "/api/v1/conversations/{agentid}/read",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            auto agentid = std::strtoll(req.params["agentid"].c_str(), nullptr, 10);
            std::int64_t up_to = 0;
            std::string chatid;
            if (!req.body.empty()) {
              auto body = AdminBody(req);
              if (!body) co_return AdminError(body.error());
              if (const auto* c = body->if_contains("chatid"); c != nullptr && !c->is_null()) {
                if (!c->is_string()) {
                  co_return AdminError(
                      core::MakeError(ErrorKind::kInvalidArgument, "chatid must be a string"));
                }
                chatid = std::string(c->as_string());
              }
              if (const auto* v = body->if_contains("up_to_seq")) {
                if (!v->is_int64() || v->as_int64() < 0) {
                  co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                       "up_to_seq must be a non-negative integer"));
                }
                up_to = v->as_int64();
              }
            }
            auto stored = std::make_shared<messaging::Stored>();
            messaging::Committer::Work work =
                inbox.MarkReadWork(s.member_id, agentid, chatid, up_to, stored);
            std::function<void()> publish = [service = &inbox, stored] {
              service->Publish(*stored);
            };
            auto status = co_await Commit(committer, std::move(work), 1, std::move(publish));
            if (!status) co_return AdminError(status.error());
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Bool("marked", stored->appended > 0)
                                      .Str("msgid", stored->msgid)
                                      .Done());
          }));

  router.Add(
      "GET", "/api/v1/events",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            auto after = QueryNumber(req, "after", 0);
            if (!after) co_return AdminError(after.error());
            auto limit = QueryNumber(req, "limit", 200);
            if (!limit) co_return AdminError(limit.error());
            auto events = co_await core::Offload(
                pool, [&] { return inbox.After(s.member_id, *after, *limit); });
            if (!events) co_return AdminError(events.error());
            auto last = co_await core::Offload(pool, [&] { return inbox.LastSeq(s.member_id); });
            if (!last) co_return AdminError(last.error());
            std::vector<std::string> items;
            for (const auto& e : *events) items.push_back(EventWithSeq(e));
            co_return NoStoreJson(
                core::JsonObjectWriter().RawArray("events", items).Int("last_seq", *last).Done());
          }));

  router.Add(
      "GET", "/api/v1/media/{media_id}",
      MemberAuthed(
          auth,
          [&](const identity::MemberSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::string media_id = req.params["media_id"];
            auto visible = co_await core::Offload(
                pool, [&] { return inbox.MediaVisible(s.member_id, media_id); });
            if (!visible) co_return AdminError(visible.error());
            auto not_found =
                core::MakeError(ErrorKind::kNotFound, "no message of yours has this file");
            if (!*visible) co_return AdminError(not_found);
            auto found =
                co_await core::Offload(pool, [&] { return media.Load(s.org_id, media_id, true); });
            if (!found) co_return AdminError(not_found);
            net::Response res;
            res.status = 200;
            res.body = std::move(found->bytes);
            res.Set("Content-Type", found->info.content_type);
            res.Set("Content-Disposition", net::AttachmentDisposition(found->info.filename));
            res.Set("Cache-Control", "private, no-store");
            res.Set("X-Content-Type-Options", "nosniff");
            co_return res;
          }));
}

}  // namespace corphub::api
