#pragma once
// The member object of /cgi-bin/user/* as WeCom's SDKs decode it, written straight into the
// answer (user/list of a large department answers thousands of them), and the answer cache of
// user/list and user/simplelist.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "directory/member.hpp"

namespace corphub::api {

// The fields of user/get's answer (one member object without its braces).
std::string MemberFieldsJson(const directory::Member& m);
// "userlist":[...] with full or simple member objects.
std::string UserList(const std::vector<directory::Member>& members, bool simple);

// Answers of user/list and user/simplelist by directory version. Sync tools read the same large
// departments again and again; while no directory write has happened (the version is the
// same), the answer is the same. Bounded; emptied whole when full.
class ListCache {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

  std::shared_ptr<const std::string> Find(const std::string& key, std::int64_t version) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return nullptr;
    return it->second.body;
  }

  void Store(const std::string& key, std::int64_t version,
             std::shared_ptr<const std::string> body) {
    if (body->size() > kMaxBytes / 4) return;
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      bytes_ -= it->second.body->size();
      entries_.erase(it);
    }
    if (bytes_ + body->size() > kMaxBytes) {
      entries_.clear();
      bytes_ = 0;
    }
    bytes_ += body->size();
    entries_[key] = Entry{version, std::move(body)};
  }

 private:
  struct Entry {
    std::int64_t version = 0;
    std::shared_ptr<const std::string> body;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace corphub::api
