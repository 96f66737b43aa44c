#pragma once
// Messages and the inbox. A message is one row; each recipient gets one compact inbox row with
// the next number of their own event sequence, and later events about the message (a recall,
// messages read on another device) take further numbers. A client that has seen up to N asks
// for what came after N, so nothing is missed or seen twice.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "messaging/content.hpp"

namespace corphub::messaging {

struct Message {
  std::int64_t id = 0;  // storage's key
  std::int64_t org_id = 0;
  std::int64_t agentid = 0;
  std::string chatid;  // the app group chat it went to; "" for the app's own conversation
  std::string msgid;   // the public id
  Content content;
  int safe = 0;
  bool id_trans = false;
  std::string sender;  // "app:1000002", "admin:alice"
  std::int64_t recipients = 0;
  std::string dup_key;  // "" unless duplicate checks were asked for
  core::TimePoint created_at{};
  std::optional<core::TimePoint> expires_at;  // nullopt: kept permanently
  std::optional<core::TimePoint> recalled_at;
};

enum class EventKind : int { kMessage = 1, kRecall = 2, kRead = 3 };

// One numbered event of a member's stream.
struct Delivery {
  std::int64_t member_id = 0;
  std::int64_t seq = 0;
};

// A member's event as the stream and the pages show it, with its message.
struct InboxEvent {
  std::int64_t seq = 0;
  EventKind kind = EventKind::kMessage;
  std::int64_t agentid = 0;
  std::optional<core::TimePoint> read_at;  // kMessage: when this member read it
  Message message;                         // kRead: the last message read
};

// One conversation in a member's inbox: an app's own, or one of its group chats.
struct Conversation {
  std::int64_t agentid = 0;
  std::string chatid;     // "" for the app's own
  std::string chat_name;  // the group chat's name
  std::int64_t unread = 0;
  std::int64_t messages = 0;
  InboxEvent last;  // the newest message
};

// Who a message reached and who has read it.
struct ReadStats {
  std::int64_t recipients = 0;
  std::int64_t read = 0;
};

// One recipient of a message, and when they read it.
struct Receipt {
  std::int64_t member_id = 0;
  std::string userid;
  std::string name;
  std::optional<core::TimePoint> read_at;  // nullopt: not read yet
};

enum class ReceiptFilter : int { kAll = 0, kRead = 1, kUnread = 2 };

// A message an app sent, with who it reached and who has read it.
struct SentMessage {
  Message message;
  ReadStats stats;
};

// How many person-deliveries an app's messages made in some span of time.
struct AppDeliveries {
  std::int64_t agentid = 0;
  std::int64_t count = 0;
};

// A member as recipient resolution sees them.
struct Recipient {
  std::int64_t member_id = 0;
  std::string userid_key;  // lowercased
  bool enable = true;      // false: frozen (status 2)
  int state = 1;           // 1 active, 4 not activated, 5 left
  // Frozen and departed members receive nothing; members not yet activated find their
  // messages when they activate.
  bool Receives() const { return enable && state != 5; }
};

// An app group chat (appchat): made by an app, with its members.
struct Chat {
  std::int64_t id = 0;  // storage's key
  std::int64_t org_id = 0;
  std::string chatid;
  std::int64_t agentid = 0;
  std::string name;
  std::int64_t owner_id = 0;
  std::vector<std::int64_t> member_ids;  // ascending
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

}  // namespace corphub::messaging
