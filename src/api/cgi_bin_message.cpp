// /cgi-bin/message/send and /cgi-bin/message/recall (reference §5). The answer comes once the
// message and every recipient's inbox row are durable (group commit). Every `invalid*` field is
// a `|`-joined string, as SDKs decode them; invaliduser is lowercased. A send that reaches
// nobody is 81013, with the lists.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/commit.hpp"
#include "api/message_content.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "crypto/hash.hpp"
#include "messaging/receipt_service.hpp"
#include "messaging/send_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += '|';
    out += s;
  }
  return out;
}

std::string InvalidFields(const messaging::Resolution& r) {
  std::string out = "\"invaliduser\":\"" + core::JsonEscape(Joined(r.invalid_users)) +
                    "\",\"invalidparty\":\"" + core::JsonEscape(Joined(r.invalid_parties)) +
                    "\",\"invalidtag\":\"" + core::JsonEscape(Joined(r.invalid_tags)) + "\"";
  return out;
}

// 81013, with the lists, as WeCom answers it.
net::Response NoRecipient(const messaging::Resolution& r,
                          std::string message = "user & party & tag all invalid") {
  auto res = WecomError(core::MakeError(ErrorKind::kNoValidRecipient, std::move(message)));
  res.body.pop_back();
  res.body += "," + InvalidFields(r) + "}";
  return res;
}

// A flag WeCom sends as 0/1 (or "0"/"1").
core::Result<bool> Flag(const json::object& body, std::string_view key) {
  auto v = IntField(body, key, ErrorKind::kInvalidParameter);
  if (!v) return std::move(v).error();
  return v->value_or(0) != 0;
}

core::Result<messaging::SendRequest> ReadSend(const corp::Principal& who, const net::Request& req,
                                              const json::object& body) {
  messaging::SendRequest r;
  r.org_id = who.org_id;
  r.token_agentid = who.agentid;
  r.sender = who.principal;
  auto content = DecodeMessageContent(body);
  if (!content) return std::move(content).error();
  r.content = std::move(content).value();
  auto agentid = IntField(body, "agentid", ErrorKind::kInvalidAgentId);
  if (!agentid) return std::move(agentid).error();
  r.agentid = *agentid;
  std::string lists[3];
  const char* keys[3] = {"touser", "toparty", "totag"};
  for (int i = 0; i < 3; ++i) {
    auto v = StringField(body, keys[i]);
    if (!v) return std::move(v).error();
    lists[i] = v->value_or("");
  }
  auto targets = messaging::Targets::Parse(lists[0], lists[1], lists[2]);
  if (!targets) return std::move(targets).error();
  r.targets = std::move(targets).value();
  auto safe = IntField(body, "safe", ErrorKind::kInvalidParameter);
  if (!safe) return std::move(safe).error();
  r.safe = static_cast<int>(safe->value_or(0));
  if (r.safe < 0 || r.safe > 2) {
    return core::MakeError(ErrorKind::kInvalidParameter, "safe takes 0, 1 or 2");
  }
  auto id_trans = Flag(body, "enable_id_trans");
  if (!id_trans) return std::move(id_trans).error();
  r.id_trans = *id_trans;
  auto dup = Flag(body, "enable_duplicate_check");
  if (!dup) return std::move(dup).error();
  r.duplicate_check = *dup;
  auto interval = IntField(body, "duplicate_check_interval", ErrorKind::kInvalidParameter);
  if (!interval) return std::move(interval).error();
  r.duplicate_interval = std::chrono::seconds(interval->value_or(1800));
  if (r.duplicate_check) {
    // The same request: the same JSON (as parsed, so spacing does not count) to the same app.
    r.dup_key =
        crypto::Sha256Hex(std::to_string(r.agentid.value_or(0)) + "\n" + json::serialize(body));
  }
  if (body.contains("keep_permanently")) {
    auto keep = Flag(body, "keep_permanently");
    if (!keep) return std::move(keep).error();
    r.keep_permanently = *keep;
  }
  (void)req;
  return r;
}

// Prepared on the worker pool (its own coroutine: GCC 12 misjudges larger frames).
awaitable<core::Result<std::shared_ptr<const messaging::PreparedSend>>> PrepareSend(
    core::WorkerPool& pool, messaging::SendService& sends, const messaging::SendRequest& request) {
  auto prepared = co_await core::Offload(pool, [&] { return sends.Prepare(request); });
  if (!prepared) co_return std::move(prepared).error();
  co_return std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
}

struct SendDeps {
  core::WorkerPool& pool;
  messaging::SendService& sends;
  messaging::Committer& committer;
  core::IdGenerator& ids;
};

awaitable<net::Response> StoreSend(messaging::Committer& committer, messaging::SendService& sends,
                                   core::IdGenerator& ids,
                                   std::shared_ptr<const messaging::PreparedSend> send);

awaitable<net::Response> Send(SendDeps d, const corp::Principal& who, net::Request& req) {
  core::WorkerPool& pool = d.pool;
  messaging::SendService& sends = d.sends;
  auto body = ParseObject(req.body);
  if (!body) co_return WecomError(body.error());
  auto request = ReadSend(who, req, *body);
  if (!request) co_return WecomError(request.error());
  if (request->targets.Empty()) {
    co_return NoRecipient(messaging::Resolution{}, "touser, toparty and totag are all empty");
  }
  auto send = co_await PrepareSend(pool, sends, *request);
  if (!send) co_return WecomError(send.error());
  // Nobody valid is 81013; members only held back by the per-member caps are no error.
  if ((*send)->member_ids().empty() && (*send)->capped == 0) {
    co_return NoRecipient((*send)->resolution);
  }
  co_return co_await StoreSend(d.committer, sends, d.ids, *send);
}

awaitable<net::Response> StoreSend(messaging::Committer& committer, messaging::SendService& sends,
                                   core::IdGenerator& ids,
                                   std::shared_ptr<const messaging::PreparedSend> send) {
  const std::size_t weight = send->member_ids().size() + 1;
  auto stored = std::make_shared<messaging::Stored>();
  messaging::Committer::Work work = sends.StoreWork(send, stored);
  std::function<void()> publish = [service = &sends, stored] {
    service->Publish(*stored, messaging::EventKind::kMessage);
  };
  auto status = co_await Commit(committer, std::move(work), weight, std::move(publish));
  if (!status) co_return WecomError(status.error());
  std::string fields = InvalidFields(send->resolution) + ",\"unlicenseduser\":\"\",\"msgid\":\"" +
                       core::JsonEscape(stored->msgid) + "\"";
  if (send->message.content.wants_response_code) {
    fields += ",\"response_code\":\"" + ids.Token(43) + "\"";
  }
  co_return WecomOk(fields);
}

// A JsonObjectWriter's object without its braces, as WecomOk takes fields.
std::string Members(std::string object) {
  if (object.size() < 2) return {};
  return object.substr(1, object.size() - 2);
}

// corphub's own: a message's read counts and a page of its recipients (docs/wecom-api.md).
awaitable<net::Response> ReadStatus(core::WorkerPool& pool, messaging::ReceiptService& receipts,
                                    const corp::Principal& who, const net::Request& req) {
  if (who.agentid == 0) {
    co_return WecomError(core::MakeError(ErrorKind::kApiForbidden,
                                         "message/get_read_status takes an app's access_token"));
  }
  auto body = ParseObject(req.body);
  if (!body) co_return WecomError(body.error());
  auto msgid = StringField(*body, "msgid");
  if (!msgid) co_return WecomError(msgid.error());
  auto status = IntField(*body, "status", ErrorKind::kInvalidParameter);
  if (!status) co_return WecomError(status.error());
  if (status->value_or(0) < 0 || status->value_or(0) > 2) {
    co_return WecomError(core::MakeError(ErrorKind::kInvalidParameter,
                                         "status takes 0 (all), 1 (read) or 2 (unread)"));
  }
  auto cursor = StringField(*body, "cursor");
  if (!cursor) co_return WecomError(cursor.error());
  std::int64_t after = 0;
  if (!cursor->value_or("").empty()) {
    char* end = nullptr;
    after = std::strtoll(cursor->value().c_str(), &end, 10);
    if (*end != '\0' || after < 0) {
      co_return WecomError(core::MakeError(ErrorKind::kInvalidParameter, "invalid cursor"));
    }
  }
  auto limit = IntField(*body, "limit", ErrorKind::kInvalidParameter);
  if (!limit) co_return WecomError(limit.error());
  const auto filter = static_cast<messaging::ReceiptFilter>(status->value_or(0));
  auto page = co_await core::Offload(pool, [&] {
    return receipts.ReadStatus(who.org_id, who.agentid, msgid->value_or(""), filter, after,
                               limit->value_or(messaging::ReceiptService::kMaxReceipts));
  });
  if (!page) co_return WecomError(page.error());
  std::vector<std::string> list;
  list.reserve(page->receipts.size());
  for (const auto& r : page->receipts) {
    list.push_back(core::JsonObjectWriter()
                       .Str("userid", r.userid)
                       .Int("read_time", r.read_at ? core::UnixSeconds(*r.read_at) : 0)
                       .Done());
  }
  const auto& m = page->message;
  co_return WecomOk(Members(
      core::JsonObjectWriter()
          .Str("msgid", m.msgid)
          .Int("agentid", m.agentid)
          .Str("chatid", m.chatid)
          .Int("send_time", core::UnixSeconds(m.created_at))
          .Int("recalled", m.recalled_at ? 1 : 0)
          .Int("total", page->stats.recipients)
          .Int("read", page->stats.read)
          .Int("unread", page->stats.recipients - page->stats.read)
          .RawArray("list", list)
          .Str("next_cursor", page->next_cursor > 0 ? std::to_string(page->next_cursor) : "")
          .Done()));
}

// message/get_statistics: person-deliveries per app today (time_type 0) or yesterday (1).
awaitable<net::Response> Statistics(core::WorkerPool& pool, messaging::ReceiptService& receipts,
                                    const corp::Principal& who, const net::Request& req) {
  std::int64_t time_type = 0;
  if (!req.body.empty()) {
    auto body = ParseObject(req.body);
    if (!body) co_return WecomError(body.error());
    auto v = IntField(*body, "time_type", ErrorKind::kInvalidParameter);
    if (!v) co_return WecomError(v.error());
    time_type = v->value_or(0);
  }
  auto counts =
      co_await core::Offload(pool, [&] { return receipts.DailyDeliveries(who.org_id, time_type); });
  if (!counts) co_return WecomError(counts.error());
  std::vector<std::string> items;
  for (const auto& c : *counts) {
    items.push_back(core::JsonObjectWriter()
                        .Int("agentid", c.agentid)
                        .Str("app_name", c.app_name)
                        .Int("count", c.count)
                        .Done());
  }
  co_return WecomOk(Members(core::JsonObjectWriter().RawArray("statistics", items).Done()));
}

}  // namespace

void AddCgiBinMessageRoutes(net::Router& router, CgiBinDeps deps, messaging::SendService& sends,
                            messaging::ReceiptService& receipts, messaging::Committer& committer,
                            core::IdGenerator& ids) {
  core::WorkerPool& pool = deps.pool;

  router.Add(
      "POST", "/cgi-bin/message/get_read_status",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        co_return co_await ReadStatus(pool, receipts, who, req);
      }));
  router.Add(
      "POST", "/cgi-bin/message/get_statistics",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        co_return co_await Statistics(pool, receipts, who, req);
      }));

  SendDeps send_deps{pool, sends, committer, ids};
  router.Add("POST", "/cgi-bin/message/send",
             Authed(deps,
                    [send_deps](const corp::Principal& who,
                                net::Request& req) -> awaitable<net::Response> {
                      co_return co_await Send(send_deps, who, req);
                    }));

  router.Add(
      "POST", "/cgi-bin/message/recall",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto body = ParseObject(req.body);
        if (!body) co_return WecomError(body.error());
        auto msgid = StringField(*body, "msgid");
        if (!msgid) co_return WecomError(msgid.error());
        auto message = co_await core::Offload(pool, [&] {
          return sends.PrepareRecall(who.org_id, who.agentid, msgid->value_or(""));
        });
        if (!message) co_return WecomError(message.error());
        const std::size_t weight = static_cast<std::size_t>(message->recipients) + 1;
        auto stored = std::make_shared<messaging::Stored>();
        messaging::Committer::Work work = sends.RecallWork(std::move(message).value(), stored);
        std::function<void()> publish = [service = &sends, stored] {
          service->Publish(*stored, messaging::EventKind::kRecall);
        };
        auto status = co_await Commit(committer, std::move(work), weight, std::move(publish));
        if (!status) co_return WecomError(status.error());
        co_return WecomOk();
      }));
}

}  // namespace corphub::api
