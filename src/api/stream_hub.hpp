#pragma once
// Live delivery to members' WebSockets. Each connection subscribes for its member; committed
// events are queued on it (bounded) and written by the connection's own coroutine. A connection
// whose queue overflows is closed ("lagging"): its client reconnects with the last sequence
// number it saw and reads the rest from the inbox.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "messaging/event_sink.hpp"

namespace corphub::api {

struct StreamLimits {
  std::size_t max_queue = 1024;        // events waiting on one connection
  std::chrono::seconds heartbeat{25};  // a heartbeat after this long without a write
};

class StreamHub final : public messaging::EventSink {
 public:
  // One connection's queue. Push may come from any thread; the rest runs on the connection's
  // executor.
  class Subscriber : public std::enable_shared_from_this<Subscriber> {
   public:
    Subscriber(std::int64_t member_id, std::int64_t session_id, boost::asio::any_io_executor ex,
               std::size_t max_queue)
        : member_id_(member_id),
          session_id_(session_id),
          ex_(ex),
          wake_(ex),
          max_queue_(max_queue) {}

    std::int64_t member_id() const { return member_id_; }
    std::int64_t session_id() const { return session_id_; }
    boost::asio::steady_timer& wake() { return wake_; }

    // Queues an event (seq, body without seq) and wakes the writer.
    void Push(std::int64_t seq, std::shared_ptr<const std::string> body);
    // Queues a reply of the connection's own (already complete JSON), from its executor.
    void Reply(std::string text);
    // The session no longer speaks for anyone (signed out, frozen, left): the connection
    // says so and closes.
    void Cut();
    // Takes what is queued. `lagging` is set once the queue overflowed, `cut` once Cut ran.
    struct Batch {
      std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>> events;
      std::vector<std::string> replies;
      bool lagging = false;
      bool cut = false;
    };
    Batch Take();
    // Whether anything is queued; if not, the next Push wakes the writer again.
    bool ArmIfIdle();

   private:
    void Wake();

    const std::int64_t member_id_;
    const std::int64_t session_id_;
    boost::asio::any_io_executor ex_;
    boost::asio::steady_timer wake_;
    const std::size_t max_queue_;
    std::mutex mu_;
    std::deque<std::pair<std::int64_t, std::shared_ptr<const std::string>>> events_;
    std::vector<std::string> replies_;
    bool lagging_ = false;
    bool cut_ = false;
    bool notified_ = false;
  };

  explicit StreamHub(StreamLimits limits = {}) : limits_(limits) {}

  std::shared_ptr<Subscriber> Subscribe(std::int64_t member_id, std::int64_t session_id,
                                        boost::asio::any_io_executor ex);
  void Unsubscribe(const std::shared_ptr<Subscriber>& sub);
  void Publish(std::shared_ptr<const std::string> event,
               const std::vector<messaging::Delivery>& to) override;
  std::vector<std::int64_t> Listening(const std::vector<std::int64_t>& members) override;

  // The sessions with a connection open, each once.
  std::vector<std::int64_t> Sessions();
  // Closes the connections of these sessions.
  void Cut(const std::vector<std::int64_t>& session_ids);

  std::size_t Connections() const { return connections_.load(std::memory_order_relaxed); }
  const StreamLimits& limits() const { return limits_; }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::int64_t, std::vector<std::shared_ptr<Subscriber>>> by_member;
  };
  Shard& ShardOf(std::int64_t member_id) {
    return shards_[static_cast<std::size_t>(member_id) % kShards];
  }

  StreamLimits limits_;
  Shard shards_[kShards];
  std::atomic<std::size_t> connections_{0};
};

}  // namespace corphub::api
