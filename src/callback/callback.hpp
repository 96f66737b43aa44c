#pragma once
// Callbacks (回调, reference §8): each app's URL, Token and EncodingAESKey, and the durable queue
// of what is delivered there. agentid 0 stands for the contacts-sync callback (通讯录同步).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/app.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "directory/directory_repository.hpp"

namespace corphub::callback {

inline constexpr std::int64_t kContactsAgentid = 0;

struct CallbackConfig {
  std::int64_t org_id = 0;
  std::int64_t agentid = 0;
  std::string url;
  std::string token;
  std::string aes_key;  // the EncodingAESKey, 43 characters
  core::TimePoint updated_at{};
};

enum class DeliveryState { kPending, kDelivered, kFailed };
std::string_view DeliveryStateName(DeliveryState s);
bool ParseDeliveryState(std::string_view name, DeliveryState& out);

struct Delivery {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t agentid = 0;
  std::string event_id;    // stable across attempts: receivers deduplicate by it
  std::string member_key;  // the member's userid, or "sys": one member's go out in order
  std::string kind;        // "change_contact/create_user", "text", "click", ...
  std::string payload;     // the plaintext XML
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::int64_t next_at_ms = 0;  // unix milliseconds
  core::TimePoint created_at{};
  std::optional<core::TimePoint> delivered_at;
  int last_status = 0;  // the receiver's HTTP status, 0 when none
  std::string last_error;
};

// What one attempt came to.
struct Outcome {
  std::int64_t id = 0;
  bool delivered = false;  // HTTP 200 (the store then counts the attempt itself)
  int status = 0;
  std::string error;
  int attempts = 0;             // after this attempt
  std::int64_t next_at_ms = 0;  // when not delivered: the next try, or 0 when given up
};

class CallbackRepository {
 public:
  virtual ~CallbackRepository() = default;
  virtual core::Result<std::optional<CallbackConfig>> Get(std::int64_t org_id,
                                                          std::int64_t agentid) = 0;
  virtual core::Result<std::vector<CallbackConfig>> All(std::int64_t org_id) = 0;
  virtual core::Status Put(const CallbackConfig& config) = 0;
  virtual core::Status Delete(std::int64_t org_id, std::int64_t agentid) = 0;
  // Inserts each (an event_id already queued for the app is skipped).
  virtual core::Status Enqueue(const std::vector<Delivery>& deliveries) = 0;
  // Up to `limit` pending deliveries due at `now_ms` and not leased, each the earliest pending
  // one of its member for its app; leases them until `lease_until_ms`.
  virtual core::Result<std::vector<Delivery>> Claim(std::int64_t now_ms,
                                                    std::int64_t lease_until_ms,
                                                    std::size_t limit) = 0;
  virtual core::Status Record(const std::vector<Outcome>& outcomes, core::TimePoint at) = 0;
  // The app's deliveries, newest first, below `before_id` (0: from the newest), optionally of
  // one state.
  virtual core::Result<std::vector<Delivery>> List(std::int64_t org_id, std::int64_t agentid,
                                                   std::optional<DeliveryState> state,
                                                   std::int64_t before_id, std::size_t limit) = 0;
  // Makes a delivery pending and due at `now_ms` again; false when the app has no such
  // delivery.
  virtual core::Result<bool> Retry(std::int64_t org_id, std::int64_t agentid, std::int64_t id,
                                   std::int64_t now_ms) = 0;
  // How far contact events were turned into deliveries (0 at first).
  virtual core::Result<std::int64_t> ContactCursor(std::int64_t org_id) = 0;
  virtual core::Status SetContactCursor(std::int64_t org_id, std::int64_t seq) = 0;
  // Moves the cursor from `from` to `to`; false when it was not at `from` (another node moved
  // it first).
  virtual core::Result<bool> AdvanceContactCursor(std::int64_t org_id, std::int64_t from,
                                                  std::int64_t to) = 0;
  // The newest contact event's seq (0 when none).
  virtual core::Result<std::int64_t> LatestContactSeq(std::int64_t org_id) = 0;
  // The organisation's corpid (ToUserName and the receiveid).
  virtual core::Result<std::string> CorpId(std::int64_t org_id) = 0;
  // Organisations that have a callback configured.
  virtual core::Result<std::vector<std::int64_t>> Organisations() = 0;
};

// The directory's unit for its contact events and audit log, and the apps (which want
// change_contact, which are closed).
class CallbackUnit : public virtual directory::DirectoryUnit {
 public:
  virtual ~CallbackUnit() = default;
  virtual CallbackRepository& Callbacks() = 0;
  virtual apps::AppRepository& Apps() = 0;
};

}  // namespace corphub::callback
