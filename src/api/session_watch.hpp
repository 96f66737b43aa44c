#pragma once
// Closes the WebSockets of sessions that stopped speaking for anyone: the member was frozen
// (disabled), left or was deleted, or the session expired or was ended elsewhere. It looks at
// the open connections' sessions whenever the directory's version moves (every freeze and
// departure moves it), and once a minute regardless, every quarter of a second at most — so a
// freeze cuts its member's sockets within about that.
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

#include "core/result.hpp"

namespace corphub::identity {
class MemberSessionService;
}

namespace corphub::api {

class StreamHub;

class SessionWatch {
 public:
  SessionWatch(StreamHub& hub, identity::MemberSessionService& sessions,
               std::function<core::Result<std::int64_t>()> directory_version,
               std::chrono::milliseconds every = std::chrono::milliseconds(250))
      : hub_(hub), sessions_(sessions), version_(std::move(directory_version)), every_(every) {}
  ~SessionWatch() { Stop(); }

  void Start();
  void Stop();
  // One look: cuts the connections whose sessions are not live; returns how many sessions.
  core::Result<std::size_t> Sweep();

 private:
  StreamHub& hub_;
  identity::MemberSessionService& sessions_;
  std::function<core::Result<std::int64_t>()> version_;
  std::chrono::milliseconds every_;
  std::jthread thread_;
};

}  // namespace corphub::api
