#pragma once
// Routes: "/cgi-bin/user/get", "/api/v1/items/{id}", "/cgi-bin/*". Literal segments win over
// parameters, parameters over a trailing "*". Each route keeps its pattern as the metrics label.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.hpp"
#include "net/websocket.hpp"

namespace corphub::net {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;
using WebSocketHandler = std::function<boost::asio::awaitable<void>(Request&, WebSocket&)>;

struct Route {
  std::string method;   // "GET", "POST", ...; "*" for any
  std::string pattern;  // the label in metrics and logs
  Handler handler;
  WebSocketHandler websocket;  // set for an upgrade route (method GET)
};

struct Match {
  const Route* route = nullptr;  // null: no route
  bool method_not_allowed = false;
  std::string allow;  // for 405: the methods the path accepts
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  void AddWebSocket(std::string pattern, WebSocketHandler handler);
  // The fallback for paths no route matches (static files); nullptr: 404.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  const Handler& Fallback() const { return fallback_; }

  // Every route's method and pattern, in the order they were added.
  std::vector<std::pair<std::string, std::string>> Patterns() const;

  // Fills request.params on a match.
  Match Find(std::string_view method, std::string_view path, Request& request) const;

 private:
  struct Entry {
    Route route;
    std::vector<std::string> segments;  // "{name}" for a parameter, "*" last for the rest
  };
  static std::vector<int> Score(const Entry& e, const std::vector<std::string_view>& parts,
                                std::map<std::string, std::string>* params);
  std::vector<Entry> entries_;
  Handler fallback_;
};

}  // namespace corphub::net
