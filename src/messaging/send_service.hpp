#pragma once
// message/send and message/recall (reference §5). A send is prepared in a read transaction
// (the app, its scope, the media, the recipients) and then stored by group commit: the message
// row and one inbox row per recipient, with many sends in one transaction. Once durable, the
// events go to the EventSink for live delivery.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/group_commit.hpp"
#include "core/ids.hpp"
#include "core/transactor.hpp"
#include "messaging/event_sink.hpp"
#include "messaging/messaging_repository.hpp"
#include "messaging/recipients.hpp"

namespace corphub::messaging {

using Committer = core::GroupCommitter<MessagingUnit>;

struct SendRequest {
  std::int64_t org_id = 0;
  std::int64_t token_agentid = 0;       // the access_token's app; 0 for the contacts secret
  std::optional<std::int64_t> agentid;  // the body's
  std::string sender;                   // "app:1000002", "admin:alice"
  Targets targets;
  Content content;
  int safe = 0;
  bool id_trans = false;
  // enable_duplicate_check: the same request (dup_key, its hash) within the interval is not
  // delivered again; the first send's msgid is answered.
  bool duplicate_check = false;
  std::chrono::seconds duplicate_interval{1800};
  std::string dup_key;
  // corphub's own: keep the message permanently (true) or for the app's retention (false);
  // nullopt: the app's default.
  std::optional<bool> keep_permanently;
};

struct PreparedSend {
  Message message;
  std::shared_ptr<const std::vector<std::int64_t>> members;  // who it goes to, ascending
  const std::vector<std::int64_t>& member_ids() const { return *members; }
  Resolution resolution;  // the invalid lists
  std::chrono::seconds duplicate_interval{0};
  std::int64_t capped = 0;  // members left out for the per-member caps (quietly, as WeCom does)
};

// What a group-commit work stored: the event about `message` that `members` got.
struct Stored {
  std::string msgid;
  bool duplicate = false;
  Message message;
  std::shared_ptr<const std::vector<std::int64_t>> members;
  std::int64_t appended = 0;  // how many members got the event
};

// The app a token sends through: 40056 unknown, 301002 another app's, 50003 closed.
core::Result<apps::App> FindSendingApp(MessagingUnit& u, std::int64_t org_id, std::int64_t agentid,
                                       std::int64_t token_agentid);
// 40007 for a media_id the content names that is unknown, expired or of another type.
core::Status CheckMedia(MessagingUnit& u, std::int64_t org_id, const Content& content,
                        core::TimePoint now);
// expires_at from the app's retention, unless the sender asked otherwise.
void SetExpiry(Message& m, const apps::App& app, std::optional<bool> keep_permanently);

// Publishes what a work stored to the listening members (SendService and InboxService use it).
void PublishStored(core::Transactor<MessagingUnit>& store, EventSink& sink, const Stored& stored,
                   EventKind kind);

class MemberCaps;

class SendService {
 public:
  static constexpr std::chrono::seconds kMaxDuplicateInterval{4 * 3600};
  static constexpr std::chrono::hours kRecallWindow{24};

  SendService(core::Transactor<MessagingUnit>& store, EventSink& sink, const core::Clock& clock,
              core::IdGenerator& ids)
      : store_(store), sink_(sink), clock_(clock), ids_(ids) {}

  // 41011 no agentid, 48002 not an app's token, 40056 unknown app, 301002 another app's,
  // 50003 closed, 40007 a media_id that is unknown, expired or of another type. A send that
  // reaches nobody comes back with no member_ids (the caller answers 81013 with the lists).
  core::Result<PreparedSend> Prepare(const SendRequest& request);
  // The group-commit work that stores a prepared send into `out`.
  Committer::Work StoreWork(std::shared_ptr<const PreparedSend> send, std::shared_ptr<Stored> out);

  // message/recall: 40058 for an unknown msgid or another app's (kInvalidMsgId), or one older
  // than 24 hours (kRecallExpired). Recalling twice is no error.
  core::Result<Message> PrepareRecall(std::int64_t org_id, std::int64_t token_agentid,
                                      std::string_view msgid);
  Committer::Work RecallWork(Message message, std::shared_ptr<Stored> out);

  // Hands committed events to the sink (call once the work's commit is durable): reads the
  // numbers of the members that are listening and publishes to them.
  void Publish(const Stored& stored, EventKind kind);

  // The per-member caps each send is held to (none by default).
  void CapPerMember(MemberCaps* caps) { caps_ = caps; }

 private:
  MemberCaps* caps_ = nullptr;
  core::Transactor<MessagingUnit>& store_;
  EventSink& sink_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace corphub::messaging
