#include "messaging/chat_service.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/text.hpp"

namespace corphub::messaging {
namespace {

using core::ErrorKind;

bool ValidChatid(std::string_view id) {
  if (id.empty() || id.size() > ChatService::kMaxChatidChars) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// The app of a token that may use appchat.
core::Result<apps::App> ChatApp(MessagingUnit& u, std::int64_t org_id, std::int64_t agentid) {
  if (agentid == 0) {
    return core::MakeError(ErrorKind::kApiForbidden, "appchat takes an app's access_token");
  }
  auto app = FindSendingApp(u, org_id, agentid, agentid);
  if (!app) return std::move(app).error();
  auto scope = u.Apps().Scope(app->id);
  if (!scope) return std::move(scope).error();
  if (!scope->IsEveryone()) {
    return core::MakeError(ErrorKind::kApiForbidden,
                           "appchat needs an app visible to the whole organisation");
  }
  return app;
}

// Member ids of the userids (lowercased), each receiving; 40031 naming those that are not.
core::Result<std::vector<std::int64_t>> MembersOf(
    MessagingUnit& u, std::int64_t org_id, const std::vector<std::string>& userids,
    std::unordered_map<std::string, std::int64_t>* by_key) {
  std::vector<std::string> keys;
  for (const auto& id : userids) keys.push_back(core::AsciiLower(id));
  auto found = u.Recipients().ByUserids(org_id, keys);
  if (!found) return std::move(found).error();
  std::unordered_map<std::string, std::int64_t> ids;
  for (const auto& r : *found) {
    if (r.Receives()) ids.emplace(r.userid_key, r.member_id);
  }
  std::set<std::int64_t> out;
  std::string invalid;
  for (const auto& k : keys) {
    auto it = ids.find(k);
    if (it == ids.end()) {
      invalid += (invalid.empty() ? "" : "|") + k;
      continue;
    }
    out.insert(it->second);
  }
  if (!invalid.empty()) {
    return core::MakeError(ErrorKind::kInvalidUserIdList,
                           "not members who can receive messages: " + invalid);
  }
  if (by_key != nullptr) *by_key = std::move(ids);
  return std::vector<std::int64_t>(out.begin(), out.end());
}

core::Result<Chat> FindChat(MessagingUnit& u, std::int64_t org_id, std::int64_t agentid,
                            std::string_view chatid) {
  auto chat = u.Chats().Find(org_id, chatid);
  if (!chat) return std::move(chat).error();
  // Another app's chat is no chat of this app's.
  if (!*chat || (*chat)->agentid != agentid) {
    return core::MakeError(ErrorKind::kInvalidChatId, "invalid chatid");
  }
  return std::move(**chat);
}

}  // namespace

core::Result<std::string> ChatService::Create(std::int64_t org_id, std::int64_t token_agentid,
                                              const NewChat& input) {
  if (input.userlist.size() < kMinMembers || input.userlist.size() > kMaxMembers) {
    return core::MakeError(ErrorKind::kInvalidParameter, "userlist takes 2 to 2000 members, not " +
                                                             std::to_string(input.userlist.size()));
  }
  if (!input.chatid.empty() && !ValidChatid(input.chatid)) {
    return core::MakeError(ErrorKind::kInvalidParameter, "a chatid is 1 to 32 of 0-9, a-z and A-Z");
  }
  Chat chat;
  chat.org_id = org_id;
  chat.agentid = token_agentid;
  chat.chatid = input.chatid.empty() ? ids_.Token(kMaxChatidChars) : input.chatid;
  chat.name = core::TruncateChars(input.name, kMaxNameChars);
  chat.created_at = chat.updated_at = clock_.Now();
  auto written = store_.Write([&](MessagingUnit& u) -> core::Status {
    auto app = ChatApp(u, org_id, token_agentid);
    if (!app) return std::move(app).error();
    std::unordered_map<std::string, std::int64_t> by_key;
    auto members = MembersOf(u, org_id, input.userlist, &by_key);
    if (!members) return std::move(members).error();
    if (members->size() < kMinMembers) {
      return core::MakeError(ErrorKind::kInvalidParameter, "a chat needs 2 different members");
    }
    chat.member_ids = std::move(members).value();
    const std::string owner =
        core::AsciiLower(input.owner.empty() ? input.userlist.front() : input.owner);
    auto it = by_key.find(owner);
    if (it == by_key.end()) {
      return core::MakeError(ErrorKind::kInvalidParameter, "the owner must be in userlist");
    }
    chat.owner_id = it->second;
    auto taken = u.Chats().Find(org_id, chat.chatid);
    if (!taken) return std::move(taken).error();
    if (*taken) return core::MakeError(ErrorKind::kInvalidParameter, "the chatid is taken");
    return u.Chats().Insert(chat);
  });
  if (!written) {
    if (written.error().kind == ErrorKind::kAlreadyExists) {
      return core::MakeError(ErrorKind::kInvalidParameter, "the chatid is taken");
    }
    return std::move(written).error();
  }
  return chat.chatid;
}

core::Status ChatService::Update(std::int64_t org_id, std::int64_t token_agentid,
                                 const ChatChange& change) {
  return store_.Write([&](MessagingUnit& u) -> core::Status {
    auto app = ChatApp(u, org_id, token_agentid);
    if (!app) return std::move(app).error();
    auto chat = FindChat(u, org_id, token_agentid, change.chatid);
    if (!chat) return std::move(chat).error();
    std::set<std::int64_t> members(chat->member_ids.begin(), chat->member_ids.end());
    auto added = MembersOf(u, org_id, change.add, nullptr);
    if (!added) return std::move(added).error();
    members.insert(added->begin(), added->end());
    auto removed = MembersOf(u, org_id, change.remove, nullptr);
    if (!removed) return std::move(removed).error();
    for (auto id : *removed) members.erase(id);
    if (members.size() > kMaxMembers) {
      return core::MakeError(ErrorKind::kInvalidParameter, "a chat has at most 2000 members");
    }
    // "" keeps the name, as it keeps the owner: go-workwx sends every field of the chat.
    if (change.name && !change.name->empty())
      chat->name = core::TruncateChars(*change.name, kMaxNameChars);
    if (change.owner && !change.owner->empty()) {
      auto owner = MembersOf(u, org_id, {*change.owner}, nullptr);
      if (!owner) return std::move(owner).error();
      chat->owner_id = owner->front();
    }
    if (members.count(chat->owner_id) == 0) {
      return core::MakeError(ErrorKind::kInvalidParameter, "the owner must stay in the chat");
    }
    chat->member_ids.assign(members.begin(), members.end());
    chat->updated_at = clock_.Now();
    return u.Chats().Update(*chat);
  });
}

core::Result<ChatInfo> ChatService::Get(std::int64_t org_id, std::int64_t token_agentid,
                                        std::string_view chatid) {
  return core::ReadValue(store_, [&](MessagingUnit& u) -> core::Result<ChatInfo> {
    auto app = ChatApp(u, org_id, token_agentid);
    if (!app) return std::move(app).error();
    auto chat = FindChat(u, org_id, token_agentid, chatid);
    if (!chat) return std::move(chat).error();
    std::vector<std::int64_t> ids = chat->member_ids;
    if (!std::binary_search(ids.begin(), ids.end(), chat->owner_id)) ids.push_back(chat->owner_id);
    auto userids = u.Chats().Userids(ids);
    if (!userids) return std::move(userids).error();
    ChatInfo info{chat->chatid, chat->name, "", {}};
    for (const auto& [id, userid] : *userids) {
      if (id == chat->owner_id) info.owner = userid;
      if (std::binary_search(chat->member_ids.begin(), chat->member_ids.end(), id)) {
        info.userlist.push_back(userid);
      }
    }
    return info;
  });
}

core::Result<PreparedSend> ChatService::PrepareSend(std::int64_t org_id, std::int64_t token_agentid,
                                                    std::string_view chatid, const Content& content,
                                                    int safe, std::string sender) {
  const auto now = clock_.Now();
  return core::ReadValue(store_, [&](MessagingUnit& u) -> core::Result<PreparedSend> {
    auto app = ChatApp(u, org_id, token_agentid);
    if (!app) return std::move(app).error();
    auto chat = FindChat(u, org_id, token_agentid, chatid);
    if (!chat) return std::move(chat).error();
    CORPHUB_TRY(CheckMedia(u, org_id, content, now));
    auto members = u.Recipients().ByIds(org_id, chat->member_ids);
    if (!members) return std::move(members).error();
    std::set<std::int64_t> receiving;
    for (const auto& r : *members) {
      if (r.Receives()) receiving.insert(r.member_id);
    }
    if (receiving.empty()) {
      return core::MakeError(ErrorKind::kNoValidRecipient, "nobody in the chat can receive");
    }
    PreparedSend out;
    Message& m = out.message;
    m.org_id = org_id;
    m.agentid = app->agentid;
    m.chatid = chat->chatid;
    m.msgid = ids_.Token(48);
    m.content = content;
    m.safe = safe;
    m.sender = std::move(sender);
    m.created_at = now;
    SetExpiry(m, *app, std::nullopt);
    out.members =
        std::make_shared<const std::vector<std::int64_t>>(receiving.begin(), receiving.end());
    m.recipients = static_cast<std::int64_t>(out.members->size());
    return out;
  });
}

}  // namespace corphub::messaging
