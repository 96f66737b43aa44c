#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "apps/app.hpp"
#include "core/result.hpp"
#include "jobs/job.hpp"
#include "media/media.hpp"
#include "messaging/message.hpp"

namespace corphub::messaging {

// The directory as recipient resolution reads it: only what it needs, for many members at once.
class RecipientRepository {
 public:
  virtual ~RecipientRepository() = default;
  // Members whose lowercased userid is one of `userid_keys`.
  virtual core::Result<std::vector<Recipient>> ByUserids(
      std::int64_t org_id, const std::vector<std::string>& userid_keys) = 0;
  virtual core::Result<std::vector<Recipient>> ByIds(std::int64_t org_id,
                                                     const std::vector<std::int64_t>& ids) = 0;
  // Members in any of the departments (exactly those; the caller expands subtrees), possibly
  // more than once; without their userids (many rows: only what resolution needs).
  virtual core::Result<std::vector<Recipient>> InDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& department_ids) = 0;
  // Members tagged directly with any of the tags (without their userids).
  virtual core::Result<std::vector<Recipient>> Tagged(std::int64_t org_id,
                                                      const std::vector<std::int64_t>& tag_ids) = 0;
  // The departments that any of the tags holds.
  virtual core::Result<std::vector<std::int64_t>> TagDepartments(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) = 0;
  virtual core::Result<std::vector<Recipient>> Everyone(std::int64_t org_id) = 0;
  // Every department as (id, parent id).
  virtual core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> DepartmentTree(
      std::int64_t org_id) = 0;
  // Which of `tag_ids` exist.
  virtual core::Result<std::vector<std::int64_t>> ExistingTags(
      std::int64_t org_id, const std::vector<std::int64_t>& tag_ids) = 0;
};

class MessageRepository {
 public:
  virtual ~MessageRepository() = default;
  // Sets message.id; records the media it names.
  virtual core::Status Insert(Message& message) = 0;
  virtual core::Result<std::optional<Message>> FindByMsgid(std::int64_t org_id,
                                                           std::string_view msgid) = 0;
  // The msgid of the app's message with this dup_key sent at or after `since`, if any.
  virtual core::Result<std::optional<std::string>> FindDuplicate(std::int64_t org_id,
                                                                 std::int64_t agentid,
                                                                 std::string_view dup_key,
                                                                 core::TimePoint since) = 0;
  // Gives each member (that still exists) the next number of their stream for an event of
  // `kind` about the message; returns how many got one. Members that have gone are skipped.
  virtual core::Result<std::int64_t> Append(std::int64_t message_id, std::int64_t agentid,
                                            EventKind kind,
                                            const std::vector<std::int64_t>& member_ids) = 0;
  // The numbers those of `member_ids` got for that event (for live delivery, which asks only
  // for the members that are connected).
  virtual core::Result<std::vector<Delivery>> Seqs(std::int64_t message_id, EventKind kind,
                                                   const std::vector<std::int64_t>& member_ids) = 0;
  // The members a message was delivered to (its kMessage rows).
  virtual core::Result<std::vector<std::int64_t>> RecipientsOf(std::int64_t message_id) = 0;
  virtual core::Status MarkRecalled(std::int64_t message_id, core::TimePoint at) = 0;
  virtual core::Result<ReadStats> Stats(std::int64_t message_id) = 0;
  // Up to `limit` of the message's recipients with member_id > after_member_id, by member_id,
  // with their read times; only the read or the unread ones with such a filter.
  virtual core::Result<std::vector<Receipt>> Receipts(std::int64_t message_id, ReceiptFilter filter,
                                                      std::int64_t after_member_id,
                                                      std::int64_t limit) = 0;
  // Up to `limit` of the app's messages with id < before_id (0: from the newest), newest first,
  // with their read counts.
  virtual core::Result<std::vector<SentMessage>> SentBy(std::int64_t org_id, std::int64_t agentid,
                                                        std::int64_t before_id,
                                                        std::int64_t limit) = 0;
  // Per app, the recipients of the messages sent in [from, to); apps that sent nothing are left
  // out. By agentid.
  virtual core::Result<std::vector<AppDeliveries>> DeliveriesPerApp(std::int64_t org_id,
                                                                    core::TimePoint from,
                                                                    core::TimePoint to) = 0;
  // Deletes up to `limit` messages that expired at or before `now` (their inbox rows and media
  // references with them); returns how many.
  virtual core::Result<std::int64_t> DeleteExpired(core::TimePoint now, std::int64_t limit) = 0;

  // The member side.
  virtual core::Result<std::int64_t> LastSeq(std::int64_t member_id) = 0;
  virtual core::Result<std::vector<Conversation>> Conversations(std::int64_t member_id) = 0;
  // Up to `limit` messages of one conversation with seq < before_seq, newest first.
  virtual core::Result<std::vector<InboxEvent>> Page(std::int64_t member_id, std::int64_t agentid,
                                                     std::string_view chatid,
                                                     std::int64_t before_seq,
                                                     std::int64_t limit) = 0;
  // Sets read_at on the conversation's unread messages with seq <= up_to_seq; returns the
  // newest message so marked, as (id, msgid) (nullopt when none was unread).
  virtual core::Result<std::optional<std::pair<std::int64_t, std::string>>> MarkRead(
      std::int64_t member_id, std::int64_t agentid, std::string_view chatid, std::int64_t up_to_seq,
      core::TimePoint at) = 0;
  // Up to `limit` events with seq > after_seq, oldest first.
  virtual core::Result<std::vector<InboxEvent>> After(std::int64_t member_id,
                                                      std::int64_t after_seq,
                                                      std::int64_t limit) = 0;
  // Whether one of the member's messages (not recalled) names the media.
  virtual core::Result<bool> MediaVisible(std::int64_t member_id, std::string_view media_id) = 0;
};

class ChatRepository {
 public:
  virtual ~ChatRepository() = default;
  // Sets chat.id; kAlreadyExists when the chatid is taken.
  virtual core::Status Insert(Chat& chat) = 0;
  // Writes name, owner_id, updated_at and the members.
  virtual core::Status Update(const Chat& chat) = 0;
  // With its members.
  virtual core::Result<std::optional<Chat>> Find(std::int64_t org_id, std::string_view chatid) = 0;
  // The userids of members, by id (members that have gone are left out).
  virtual core::Result<std::vector<std::pair<std::int64_t, std::string>>> Userids(
      const std::vector<std::int64_t>& member_ids) = 0;
};

// What a messaging use case works with in one transaction. The retention job commits its
// progress with its deletions, hence the jobs.
class MessagingUnit : public virtual apps::AppUnit,
                      public virtual media::MediaUnit,
                      public virtual jobs::JobUnit {
 public:
  virtual ~MessagingUnit() = default;
  virtual RecipientRepository& Recipients() = 0;
  virtual MessageRepository& Messages() = 0;
  virtual ChatRepository& Chats() = 0;
};

}  // namespace corphub::messaging
