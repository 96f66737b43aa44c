#pragma once
// App group chats (WeCom's appchat, reference §5): an app makes a chat of 2 to 2000 members of the
// organisation, renames it, changes its owner and members, reads it, and sends to it. A chat's
// messages are stored like message/send's (one inbox row per member, group commit) and show as
// their own conversation in each member's inbox. WeCom allows appchat only to apps visible to
// the whole organisation; so does corphub.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/transactor.hpp"
#include "messaging/send_service.hpp"

namespace corphub::messaging {

struct NewChat {
  std::string name;
  std::string owner;  // a userid; "" for the first of userlist
  std::vector<std::string> userlist;
  std::string chatid;  // "" to have one made
};

struct ChatChange {
  std::string chatid;
  std::optional<std::string> name;
  std::optional<std::string> owner;
  std::vector<std::string> add;
  std::vector<std::string> remove;
};

struct ChatInfo {
  std::string chatid;
  std::string name;
  std::string owner;
  std::vector<std::string> userlist;
};

class ChatService {
 public:
  static constexpr std::size_t kMaxNameChars = 50;  // longer names are cut, as WeCom does
  static constexpr std::size_t kMinMembers = 2;
  static constexpr std::size_t kMaxMembers = 2000;
  static constexpr std::size_t kMaxChatidChars = 32;

  ChatService(core::Transactor<MessagingUnit>& store, const core::Clock& clock,
              core::IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // 48002 not an app's token or the app is not visible to everyone; 40058 fewer than 2 or more
  // than 2000 members, an owner not among them, a malformed or taken chatid; 40031 a userid that
  // is unknown, disabled or has left (named in the message).
  core::Result<std::string> Create(std::int64_t org_id, std::int64_t token_agentid,
                                   const NewChat& chat);
  // 86001 for a chat that does not exist or another app made; the rest as Create.
  core::Status Update(std::int64_t org_id, std::int64_t token_agentid, const ChatChange& change);
  core::Result<ChatInfo> Get(std::int64_t org_id, std::int64_t token_agentid,
                             std::string_view chatid);
  // appchat/send: its members (those still receiving) get the message. 81013 when none is left.
  core::Result<PreparedSend> PrepareSend(std::int64_t org_id, std::int64_t token_agentid,
                                         std::string_view chatid, const Content& content, int safe,
                                         std::string sender);

 private:
  core::Transactor<MessagingUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace corphub::messaging
