#pragma once
// A WebSocket connection as a route handler sees it. The session owns the socket; all calls
// are made from the handler's coroutine (the connection's strand).
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace corphub::net {

class WebSocket {
 public:
  virtual ~WebSocket() = default;
  // The next text message; nullopt when the peer closed, the connection failed or timed out.
  virtual boost::asio::awaitable<std::optional<std::string>> Read() = 0;
  // False when the connection is gone.
  virtual boost::asio::awaitable<bool> Write(std::string_view text) = 0;
  virtual boost::asio::awaitable<void> Close(std::string_view reason) = 0;
};

}  // namespace corphub::net
