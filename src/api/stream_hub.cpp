#include "api/stream_hub.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace corphub::api {

void StreamHub::Subscriber::Wake() {
  // The timer belongs to the connection's executor: cancel it there.
  boost::asio::post(ex_, [self = shared_from_this()] { self->wake_.cancel(); });
}

void StreamHub::Subscriber::Push(std::int64_t seq, std::shared_ptr<const std::string> body) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (lagging_) return;
    if (events_.size() >= max_queue_) {
      lagging_ = true;
      events_.clear();
    } else {
      events_.emplace_back(seq, std::move(body));
    }
    wake = !notified_;
    notified_ = true;
  }
  if (wake) Wake();
}

void StreamHub::Subscriber::Reply(std::string text) {
  {
    std::lock_guard lock(mu_);
    replies_.push_back(std::move(text));
    notified_ = true;
  }
  wake_.cancel();  // on the connection's executor already
}

void StreamHub::Subscriber::Cut() {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (cut_) return;
    cut_ = true;
    events_.clear();
    wake = !notified_;
    notified_ = true;
  }
  if (wake) Wake();
}

StreamHub::Subscriber::Batch StreamHub::Subscriber::Take() {
  Batch b;
  std::lock_guard lock(mu_);
  b.events.assign(std::make_move_iterator(events_.begin()), std::make_move_iterator(events_.end()));
  events_.clear();
  b.replies.swap(replies_);
  b.lagging = lagging_;
  b.cut = cut_;
  return b;
}

bool StreamHub::Subscriber::ArmIfIdle() {
  std::lock_guard lock(mu_);
  if (!events_.empty() || !replies_.empty() || lagging_ || cut_) return false;
  notified_ = false;
  return true;
}

std::shared_ptr<StreamHub::Subscriber> StreamHub::Subscribe(std::int64_t member_id,
                                                            std::int64_t session_id,
                                                            boost::asio::any_io_executor ex) {
  auto sub = std::make_shared<Subscriber>(member_id, session_id, ex, limits_.max_queue);
  Shard& shard = ShardOf(member_id);
  std::lock_guard lock(shard.mu);
  shard.by_member[member_id].push_back(sub);
  connections_.fetch_add(1, std::memory_order_relaxed);
  return sub;
}

void StreamHub::Unsubscribe(const std::shared_ptr<Subscriber>& sub) {
  Shard& shard = ShardOf(sub->member_id());
  std::lock_guard lock(shard.mu);
  auto it = shard.by_member.find(sub->member_id());
  if (it == shard.by_member.end()) return;
  auto& list = it->second;
  auto found = std::find(list.begin(), list.end(), sub);
  if (found == list.end()) return;
  list.erase(found);
  connections_.fetch_sub(1, std::memory_order_relaxed);
  if (list.empty()) shard.by_member.erase(it);
}

std::vector<std::int64_t> StreamHub::Sessions() {
  std::vector<std::int64_t> out;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [member, subs] : shard.by_member) {
      for (const auto& sub : subs) out.push_back(sub->session_id());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void StreamHub::Cut(const std::vector<std::int64_t>& session_ids) {
  if (session_ids.empty()) return;
  std::vector<std::int64_t> sorted = session_ids;
  std::sort(sorted.begin(), sorted.end());
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [member, subs] : shard.by_member) {
      for (const auto& sub : subs) {
        if (std::binary_search(sorted.begin(), sorted.end(), sub->session_id())) sub->Cut();
      }
    }
  }
}

std::vector<std::int64_t> StreamHub::Listening(const std::vector<std::int64_t>& members) {
  std::vector<std::int64_t> out;
  if (connections_.load(std::memory_order_relaxed) == 0) return out;
  for (auto id : members) {
    Shard& shard = ShardOf(id);
    std::lock_guard lock(shard.mu);
    if (shard.by_member.count(id) != 0) out.push_back(id);
  }
  return out;
}

void StreamHub::Publish(std::shared_ptr<const std::string> event,
                        const std::vector<messaging::Delivery>& to) {
  if (connections_.load(std::memory_order_relaxed) == 0) return;
  for (const auto& d : to) {
    Shard& shard = ShardOf(d.member_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.by_member.find(d.member_id);
    if (it == shard.by_member.end()) continue;
    for (const auto& sub : it->second) sub->Push(d.seq, event);
  }
}

}  // namespace corphub::api
