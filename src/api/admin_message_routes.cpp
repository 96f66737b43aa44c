// /admin/api/apps and their messages' read statistics: the console's view of what each app sent,
// who it reached and who has read it (docs/admin-api.md).
#include <unordered_set>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/routes.hpp"
#include "apps/app_service.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "messaging/content.hpp"
#include "messaging/receipt_service.hpp"

// GCC 12 takes the receipts coroutine's frame (Asio's own operator new and delete) for a
// mismatched pair: a known false positive, as in admin_session_routes.cpp.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

void Optional(core::JsonObjectWriter& w, std::string_view key,
              const std::optional<core::TimePoint>& t) {
  if (t) {
    w.Int(key, core::UnixSeconds(*t));
  } else {
    w.Raw(key, "null");
  }
}

std::string SentJson(const messaging::Message& m, const messaging::ReadStats& stats) {
  core::JsonObjectWriter w;
  w.Str("msgid", m.msgid)
      .Int("agentid", m.agentid)
      .Str("chatid", m.chatid)
      .Str("msgtype", messaging::MsgTypeName(m.content.type))
      .Raw("content", m.content.body_json)
      .Str("preview", m.content.preview)
      .Str("sender", m.sender)
      .Int("created_at", core::UnixSeconds(m.created_at));
  Optional(w, "expires_at", m.expires_at);
  Optional(w, "recalled_at", m.recalled_at);
  return w.Int("recipients", stats.recipients)
      .Int("read", stats.read)
      .Int("unread", stats.recipients - stats.read)
      .Done();
}

core::Result<messaging::ReceiptFilter> FilterOf(const net::Request& req) {
  const std::string v = req.Query("status").value_or("all");
  if (v == "all" || v.empty()) return messaging::ReceiptFilter::kAll;
  if (v == "read") return messaging::ReceiptFilter::kRead;
  if (v == "unread") return messaging::ReceiptFilter::kUnread;
  return core::MakeError(ErrorKind::kInvalidArgument, "status takes all, read or unread");
}

}  // namespace

void AddAdminMessageRoutes(net::Router& router, AdminDeps deps, apps::AppService& apps,
                           messaging::ReceiptService& receipts) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  router.Add(
      "GET", "/admin/api/apps",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request&) -> awaitable<net::Response> {
                    auto list = co_await core::Offload(pool, [&] { return apps.List(org); });
                    if (!list) co_return AdminError(list.error());
                    std::vector<std::string> items;
                    for (const auto& a : *list) {
                      // A scoped administrator sees the apps their groups give them, with their
                      // right.
                      if (!s.rights.HasApp(a.agentid)) continue;
                      items.push_back(
                          core::JsonObjectWriter()
                              .Str("right", s.rights.CanManageApp(a.agentid) ? "manage" : "send")
                              .Int("agentid", a.agentid)
                              .Str("name", a.name)
                              .Str("description", a.description)
                              .Int("retention_days", a.retention_days)
                              .Bool("closed", a.closed)
                              .Int("created_at", core::UnixSeconds(a.created_at))
                              .Done());
                    }
                    co_return NoStoreJson(core::JsonObjectWriter().RawArray("apps", items).Done());
                  }));

  router.Add(
      "GET", "/admin/api/apps/{agentid}/messages",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::int64_t id = AgentidParam(req);
                    if (auto may = UseApp(s.rights, id); !may) co_return AdminError(may.error());
                    auto before = QueryNumber(req, "before", 0);
                    if (!before) co_return AdminError(before.error());
                    auto limit = QueryNumber(req, "limit", 20);
                    if (!limit) co_return AdminError(limit.error());
                    auto sent = co_await core::Offload(
                        pool, [&] { return receipts.Sent(org, id, *before, *limit); });
                    if (!sent) {
                      if (sent.error().kind == ErrorKind::kInvalidAgentId) {
                        co_return AdminError(
                            core::MakeError(ErrorKind::kNotFound, "no app has this agentid"));
                      }
                      co_return AdminError(sent.error());
                    }
                    std::vector<std::string> items;
                    for (const auto& m : *sent) items.push_back(SentJson(m.message, m.stats));
                    const std::int64_t clamped = std::clamp<std::int64_t>(
                        *limit, 1, messaging::ReceiptService::kMaxSentPage);
                    const std::int64_t next = static_cast<std::int64_t>(sent->size()) == clamped
                                                  ? sent->back().message.id
                                                  : 0;
                    co_return NoStoreJson(core::JsonObjectWriter()
                                              .RawArray("messages", items)
                                              .Int("next_before", next)
                                              .Done());
                  }));

  router.Add(
      "GET", "/admin/api/messages/{msgid}/receipts",
      AdminAuthed(deps, Need::kApps,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::string msgid = req.params["msgid"];
                    auto filter = FilterOf(req);
                    if (!filter) co_return AdminError(filter.error());
                    auto after = QueryNumber(req, "after", 0);
                    if (!after) co_return AdminError(after.error());
                    auto limit = QueryNumber(req, "limit", 50);
                    if (!limit) co_return AdminError(limit.error());
                    auto page = co_await core::Offload(pool, [&] {
                      return receipts.ReadStatus(org, std::nullopt, msgid, *filter, *after, *limit);
                    });
                    if (!page) {
                      if (page.error().kind == ErrorKind::kInvalidMsgId) {
                        co_return AdminError(
                            core::MakeError(ErrorKind::kNotFound, "no such message"));
                      }
                      co_return AdminError(page.error());
                    }
                    // Read statistics are for those with a right over the message's app.
                    if (auto may = UseApp(s.rights, page->message.agentid); !may) {
                      co_return AdminError(may.error());
                    }
                    // A scoped administrator sees who read it among the members they see only
                    // (the counts stay the message's).
                    std::unordered_set<std::string> hidden;
                    if (!s.rights.super && !page->receipts.empty()) {
                      auto outside = co_await core::Offload(
                          pool, [&]() -> core::Result<std::unordered_set<std::string>> {
                            Access access(s.rights, scopes, org);
                            auto visible = access.Visible();
                            if (!visible) return std::move(visible).error();
                            std::vector<std::string> userids;
                            for (const auto& r : page->receipts) userids.push_back(r.userid);
                            auto found = scopes.Members(org, userids);
                            if (!found) return std::move(found).error();
                            std::unordered_set<std::string> out(userids.begin(), userids.end());
                            for (const auto& f : *found) {
                              if ((*visible)->HasMember(f.member, f.tag_ids)) {
                                out.erase(f.member.userid);
                              }
                            }
                            return out;
                          });
                      if (!outside) co_return AdminError(outside.error());
                      hidden = std::move(*outside);
                    }
                    std::vector<std::string> items;
                    for (const auto& r : page->receipts) {
                      if (hidden.count(r.userid) != 0) continue;
                      core::JsonObjectWriter w;
                      w.Str("userid", r.userid).Str("name", r.name);
                      Optional(w, "read_at", r.read_at);
                      items.push_back(w.Done());
                    }
                    co_return NoStoreJson(core::JsonObjectWriter()
                                              .Raw("message", SentJson(page->message, page->stats))
                                              .RawArray("receipts", items)
                                              .Int("next_after", page->next_cursor)
                                              .Done());
                  }));
}

}  // namespace corphub::api
