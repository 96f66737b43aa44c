#include "messaging/inbox_service.hpp"

#include <algorithm>
#include <limits>

#include "messaging/event_json.hpp"

namespace corphub::messaging {

core::Result<std::vector<Conversation>> InboxService::Conversations(std::int64_t member_id) {
  return core::ReadValue(store_,
                         [&](MessagingUnit& u) { return u.Messages().Conversations(member_id); });
}

core::Result<std::vector<InboxEvent>> InboxService::Page(std::int64_t member_id,
                                                         std::int64_t agentid,
                                                         std::string_view chatid,
                                                         std::int64_t before_seq,
                                                         std::int64_t limit) {
  if (before_seq <= 0) before_seq = std::numeric_limits<std::int64_t>::max();
  limit = std::clamp<std::int64_t>(limit, 1, kMaxPage);
  return core::ReadValue(store_, [&](MessagingUnit& u) {
    return u.Messages().Page(member_id, agentid, chatid, before_seq, limit);
  });
}

core::Result<std::vector<InboxEvent>> InboxService::After(std::int64_t member_id,
                                                          std::int64_t after_seq,
                                                          std::int64_t limit) {
  limit = std::clamp<std::int64_t>(limit, 1, 1000);
  return core::ReadValue(store_, [&](MessagingUnit& u) {
    return u.Messages().After(member_id, std::max<std::int64_t>(0, after_seq), limit);
  });
}

core::Result<std::int64_t> InboxService::LastSeq(std::int64_t member_id) {
  return core::ReadValue(store_, [&](MessagingUnit& u) { return u.Messages().LastSeq(member_id); });
}

core::Result<bool> InboxService::MediaVisible(std::int64_t member_id, std::string_view media_id) {
  return core::ReadValue(
      store_, [&](MessagingUnit& u) { return u.Messages().MediaVisible(member_id, media_id); });
}

Committer::Work InboxService::MarkReadWork(std::int64_t member_id, std::int64_t agentid,
                                           std::string chatid, std::int64_t up_to_seq,
                                           std::shared_ptr<Stored> out) {
  return [this, member_id, agentid, chatid = std::move(chatid), up_to_seq,
          out = std::move(out)](MessagingUnit& u) -> core::Status {
    *out = Stored{};
    const std::int64_t up_to = up_to_seq > 0 ? up_to_seq : std::numeric_limits<std::int64_t>::max();
    auto newest = u.Messages().MarkRead(member_id, agentid, chatid, up_to, clock_.Now());
    if (!newest) return std::move(newest).error();
    if (!*newest) return core::Ok();  // nothing was unread
    auto delivered = u.Messages().Append((*newest)->first, agentid, EventKind::kRead, {member_id});
    if (!delivered) return std::move(delivered).error();
    // The event names the newest message marked: its msgid is what a device knows.
    out->appended = *delivered;
    out->members = std::make_shared<const std::vector<std::int64_t>>(1, member_id);
    out->message.id = (*newest)->first;
    out->msgid = out->message.msgid = (*newest)->second;
    out->message.agentid = agentid;
    out->message.chatid = chatid;
    return core::Ok();
  };
}

void InboxService::Publish(const Stored& stored) {
  PublishStored(store_, sink_, stored, EventKind::kRead);
}

}  // namespace corphub::messaging
