#pragma once
// The HTTP/1.1 + WebSocket listener: keep-alive, body and header limits, read and idle timeouts,
// request ids, access log, optional TLS, and a graceful drain on SIGTERM/SIGINT.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace corphub::core {
class WorkerPool;
}

namespace corphub::net {

class Router;
class Metrics;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int io_threads = 1;
  std::uint64_t max_body_bytes = 24 << 20;
  std::uint64_t max_inflight_body_bytes = 256 << 20;  // all requests' bodies together
  unsigned max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds shutdown_grace{15};
  int max_connections = 10000;
  std::string tls_cert_file;  // both set: HTTPS and WSS only
  std::string tls_key_file;
  bool access_log = true;
  bool handle_signals = true;  // SIGINT/SIGTERM start the drain
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics, core::WorkerPool& pool);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable with "cannot listen on HOST:PORT: reason" on failure,
  // kInvalidArgument for unreadable TLS files.
  core::Status Listen();
  unsigned short Port() const;
  bool Secure() const;

  // Serves until a drain completes (or Stop). Blocks the calling thread.
  void Run();
  // Starts the drain from any thread: no new connections, idle ones closed, busy ones finish
  // their request; after shutdown_grace whatever is left is cut.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corphub::net
