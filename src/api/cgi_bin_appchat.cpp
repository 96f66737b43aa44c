// /cgi-bin/appchat/create, update, get, send (reference §5, "App group chats"). A chat belongs
// to the app whose token made it; another app's token does not find it (86001). appchat/send
// takes the types message/send takes but miniprogram_notice, template_card and taskcard, and is
// answered once every member's inbox row is durable.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/commit.hpp"
#include "api/message_content.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "messaging/chat_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;

core::Result<std::vector<std::string>> Userids(const json::object& body, std::string_view key) {
  auto list = StringListField(body, key, ErrorKind::kInvalidUserIdList);
  if (!list) return std::move(list).error();
  return list->value_or(std::vector<std::string>{});
}

struct ChatDeps {
  core::WorkerPool& pool;
  messaging::ChatService& chats;
  messaging::SendService& sends;
  messaging::Committer& committer;
};

awaitable<net::Response> SendToChat(ChatDeps d, const corp::Principal& who, net::Request& req) {
  auto body = ParseObject(req.body);
  if (!body) co_return WecomError(body.error());
  auto chatid = StringField(*body, "chatid");
  if (!chatid) co_return WecomError(chatid.error());
  auto content = DecodeMessageContent(*body, true);
  if (!content) co_return WecomError(content.error());
  auto safe = IntField(*body, "safe", ErrorKind::kInvalidParameter);
  if (!safe) co_return WecomError(safe.error());
  const std::string id = chatid->value_or("");
  auto prepared = co_await core::Offload(d.pool, [&] {
    return d.chats.PrepareSend(who.org_id, who.agentid, id, *content,
                               static_cast<int>(safe->value_or(0)), who.principal);
  });
  if (!prepared) co_return WecomError(prepared.error());
  const std::size_t weight = prepared->member_ids().size() + 1;
  auto send = std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
  auto stored = std::make_shared<messaging::Stored>();
  messaging::Committer::Work work = d.sends.StoreWork(send, stored);
  std::function<void()> publish = [sends = &d.sends, stored] {
    sends->Publish(*stored, messaging::EventKind::kMessage);
  };
  auto status = co_await Commit(d.committer, std::move(work), weight, std::move(publish));
  if (!status) co_return WecomError(status.error());
  co_return WecomOk();
}

}  // namespace

void AddCgiBinAppchatRoutes(net::Router& router, CgiBinDeps deps, messaging::ChatService& chats,
                            messaging::SendService& sends, messaging::Committer& committer) {
  core::WorkerPool& pool = deps.pool;

  router.Add(
      "POST", "/cgi-bin/appchat/create",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto body = ParseObject(req.body);
        if (!body) co_return WecomError(body.error());
        messaging::NewChat chat;
        auto name = StringField(*body, "name");
        auto owner = StringField(*body, "owner");
        auto chatid = StringField(*body, "chatid");
        auto users = Userids(*body, "userlist");
        if (!name) co_return WecomError(name.error());
        if (!owner) co_return WecomError(owner.error());
        if (!chatid) co_return WecomError(chatid.error());
        if (!users) co_return WecomError(users.error());
        chat.name = name->value_or("");
        chat.owner = owner->value_or("");
        chat.chatid = chatid->value_or("");
        chat.userlist = std::move(users).value();
        auto made = co_await core::Offload(
            pool, [&] { return chats.Create(who.org_id, who.agentid, chat); });
        if (!made) co_return WecomError(made.error());
        co_return WecomOk(ObjectMembers(json::object{{"chatid", *made}}));
      }));

  router.Add(
      "POST", "/cgi-bin/appchat/update",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto body = ParseObject(req.body);
        if (!body) co_return WecomError(body.error());
        messaging::ChatChange change;
        auto chatid = StringField(*body, "chatid");
        auto name = StringField(*body, "name");
        auto owner = StringField(*body, "owner");
        auto add = Userids(*body, "add_user_list");
        auto del = Userids(*body, "del_user_list");
        if (!chatid) co_return WecomError(chatid.error());
        if (!name) co_return WecomError(name.error());
        if (!owner) co_return WecomError(owner.error());
        if (!add) co_return WecomError(add.error());
        if (!del) co_return WecomError(del.error());
        change.chatid = chatid->value_or("");
        change.name = *name;
        change.owner = *owner;
        change.add = std::move(add).value();
        change.remove = std::move(del).value();
        auto status = co_await core::Offload(
            pool, [&] { return chats.Update(who.org_id, who.agentid, change); });
        if (!status) co_return WecomError(status.error());
        co_return WecomOk();
      }));

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        const std::string chatid = StringQuery(req, "chatid");
        auto info = co_await core::Offload(
            pool, [&] { return chats.Get(who.org_id, who.agentid, chatid); });
        if (!info) co_return WecomError(info.error());
        json::array users;
        for (const auto& u : info->userlist) users.emplace_back(u);
        json::object out{{"chat_info", json::object{{"chatid", info->chatid},
                                                    {"name", info->name},
                                                    {"owner", info->owner},
                                                    {"userlist", std::move(users)}}}};
        co_return WecomOk(ObjectMembers(out));
      });
  router.Add("GET", "/cgi-bin/appchat/get", get);
  router.Add("POST", "/cgi-bin/appchat/get", get);

  ChatDeps chat_deps{pool, chats, sends, committer};
  router.Add("POST", "/cgi-bin/appchat/send",
             Authed(deps,
                    [chat_deps](const corp::Principal& who,
                                net::Request& req) -> awaitable<net::Response> {
                      co_return co_await SendToChat(chat_deps, who, req);
                    }));
}

}  // namespace corphub::api
