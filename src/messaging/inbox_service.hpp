#pragma once
// A member's side of messaging: conversations with unread counts, pages of messages, marking
// read (which numbers an event so the member's other devices hear of it), the events after a
// sequence number for a reconnecting stream, and the media check for downloads.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "messaging/send_service.hpp"

namespace corphub::messaging {

class InboxService {
 public:
  static constexpr std::int64_t kMaxPage = 100;

  InboxService(core::Transactor<MessagingUnit>& store, EventSink& sink, const core::Clock& clock)
      : store_(store), sink_(sink), clock_(clock) {}

  core::Result<std::vector<Conversation>> Conversations(std::int64_t member_id);
  // Newest first; before_seq 0 means from the newest. limit is clamped to 1..100.
  // One conversation: the app's own (chatid "") or one of its group chats.
  core::Result<std::vector<InboxEvent>> Page(std::int64_t member_id, std::int64_t agentid,
                                             std::string_view chatid, std::int64_t before_seq,
                                             std::int64_t limit);
  core::Result<std::vector<InboxEvent>> After(std::int64_t member_id, std::int64_t after_seq,
                                              std::int64_t limit);
  core::Result<std::int64_t> LastSeq(std::int64_t member_id);
  core::Result<bool> MediaVisible(std::int64_t member_id, std::string_view media_id);

  // The group-commit work that marks the conversation read up to up_to_seq (0: everything),
  // with the read event for the member's other devices in `out`.
  Committer::Work MarkReadWork(std::int64_t member_id, std::int64_t agentid, std::string chatid,
                               std::int64_t up_to_seq, std::shared_ptr<Stored> out);
  void Publish(const Stored& stored);

 private:
  core::Transactor<MessagingUnit>& store_;
  EventSink& sink_;
  const core::Clock& clock_;
};

}  // namespace corphub::messaging
