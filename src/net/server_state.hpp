#pragma once
// What the listener and its connections share (internal to the net library).
#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "net/server.hpp"

namespace corphub::net {

// One open connection as the drain sees it.
struct Connection {
  std::atomic<bool> busy{false};  // inside a request: the drain lets it finish
  std::function<void()> close;    // posts a close onto the connection's strand
};

class ConnectionRegistry {
 public:
  std::uint64_t Add(std::shared_ptr<Connection> c);
  void Remove(std::uint64_t id);
  // Closes every connection not in a request; returns how many are left open.
  std::size_t CloseIdle();
  // Forgets every connection (after the I/O threads stopped, while the io_context still exists:
  // the entries hold executors of its strands).
  void Clear();
  std::size_t Size() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t next_ = 0;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> conns_;
};

struct ServerState {
  ServerState(ServerOptions o, const Router& r, Metrics& m, core::WorkerPool& p)
      : options(std::move(o)), router(r), metrics(m), pool(p) {}

  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  core::WorkerPool& pool;
  std::optional<boost::asio::ssl::context> tls;
  std::atomic<bool> draining{false};
  std::atomic<std::uint64_t> inflight_body_bytes{0};
  ConnectionRegistry connections;
  std::shared_ptr<spdlog::logger> access_log;
  std::shared_ptr<spdlog::logger> log;
  std::string request_id_prefix;
  std::atomic<std::uint64_t> request_counter{0};

  std::string NextRequestId() {
    return request_id_prefix + std::to_string(request_counter.fetch_add(1) + 1);
  }
};

// Runs one accepted connection to its end (defined in session.cpp, where Beast lives).
void SpawnSession(ServerState& state, boost::asio::ip::tcp::socket socket);

}  // namespace corphub::net
