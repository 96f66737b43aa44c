// One client connection: HTTP/1.1 requests in a loop, or a WebSocket after an upgrade.
// The only translation unit (with server.cpp) that includes Beast.
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>

#include "core/log.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"
#include "net/server_state.hpp"

namespace corphub::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxWebSocketMessage = 64 << 10;

// Where the drain finds the socket to close; only touched on the connection's strand.
struct SocketHandle {
  beast::tcp_stream* lowest = nullptr;
};

// Reserves a request body's bytes against the server-wide in-flight budget.
class BodyReservation {
 public:
  BodyReservation(std::atomic<std::uint64_t>& total, std::uint64_t limit, std::uint64_t bytes)
      : total_(total), bytes_(bytes) {
    ok_ = total_.fetch_add(bytes) + bytes <= limit;
  }
  ~BodyReservation() { total_.fetch_sub(bytes_); }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;
  bool ok() const { return ok_; }

 private:
  std::atomic<std::uint64_t>& total_;
  std::uint64_t bytes_;
  bool ok_ = false;
};

template <class Stream>
class BeastWebSocket final : public WebSocket {
 public:
  explicit BeastWebSocket(websocket::stream<Stream>& ws) : ws_(ws) {}

  awaitable<std::optional<std::string>> Read() override {
    beast::flat_buffer buffer;
    beast::error_code ec;
    co_await ws_.async_read(buffer, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return std::nullopt;
    co_return beast::buffers_to_string(buffer.data());
  }

  awaitable<bool> Write(std::string_view text) override {
    beast::error_code ec;
    ws_.text(true);
    co_await ws_.async_write(asio::buffer(text.data(), text.size()),
                             asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  }

  awaitable<void> Close(std::string_view reason) override {
    beast::error_code ec;
    websocket::close_reason why(websocket::close_code::normal);
    why.reason.assign(reason.data(), std::min<std::size_t>(reason.size(), 120));
    co_await ws_.async_close(why, asio::redirect_error(use_awaitable, ec));
  }

 private:
  websocket::stream<Stream>& ws_;
};

// Methods as metrics labels: any other token a client sends is "OTHER", so labels stay few.
std::string MethodLabel(const std::string& method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",  "POST",    "PUT",  "DELETE",
                                                "OPTIONS", "PATCH", "CONNECT", "TRACE"};
  for (auto m : kKnown) {
    if (method == m) return method;
  }
  return "OTHER";
}

bool SaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

Request MakeRequest(const http::request<http::string_body>& msg, ServerState& st,
                    const std::string& remote, bool secure) {
  Request r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  auto q = r.target.find('?');
  std::string raw_path = r.target.substr(0, q);
  r.target_path = raw_path;
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.path = PercentDecode(raw_path).value_or("");
  if (r.path.empty() || r.path.front() != '/') r.path = "/" + r.path;
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  auto id = r.Header("x-request-id");
  r.request_id = SaneRequestId(id) ? std::string(id) : st.NextRequestId();
  r.remote_address = remote;
  r.secure = secure;
  return r;
}

Response InternalError(const Request& req) {
  if (req.path.rfind("/cgi-bin/", 0) == 0) {
    // WeCom callers expect HTTP 200 and an errcode; -1 means "busy, retry".
    return Response::Json(
        200, "{\"errcode\":-1,\"errmsg\":\"system error, request id " + req.request_id + "\"}");
  }
  return Response::Error(500, "internal", "internal error (request id " + req.request_id + ")");
}

awaitable<Response> Dispatch(ServerState& st, Request& req, const Match& m, std::string& label) {
  const Handler* handler = nullptr;
  if (m.route != nullptr && m.route->handler) {
    handler = &m.route->handler;
    label = m.route->pattern;
  } else if (m.route != nullptr) {  // a WebSocket route asked without an upgrade
    label = m.route->pattern;
    co_return Response::Error(426, "upgrade_required", "this address takes WebSocket connections");
  } else if (m.method_not_allowed) {
    label = "unmatched";
    co_return Response::Error(405, "method_not_allowed", "method not allowed")
        .Set("Allow", m.allow);
  } else if (st.router.Fallback() && (req.method == "GET" || req.method == "HEAD")) {
    handler = &st.router.Fallback();
    label = "static";
  } else {
    label = "unmatched";
    co_return Response::Error(404, "not_found", "no such address");
  }
  try {
    co_return co_await (*handler)(req);
  } catch (const std::exception& e) {
    st.log->error("request {} {} failed: {}", req.request_id, req.target_path, e.what());
  } catch (...) {
    st.log->error("request {} {} failed: unknown exception", req.request_id, req.target_path);
  }
  co_return InternalError(req);
}

// Takes the connection over: the HTTP stream moves into the WebSocket.
template <class Stream>
awaitable<void> ServeWebSocket(ServerState& st, Stream& stream,
                               http::request<http::string_body> msg, Request req,
                               const Route& route, Connection& conn, SocketHandle& handle) {
  websocket::stream<Stream> ws(std::move(stream));
  handle.lowest = &beast::get_lowest_layer(ws);
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(kMaxWebSocketMessage);
  ws.set_option(
      websocket::stream_base::decorator([id = req.request_id](websocket::response_type& r) {
        r.set(http::field::server, "corphub");
        r.set("X-Request-Id", id);
      }));
  beast::error_code ec;
  co_await ws.async_accept(msg, asio::redirect_error(use_awaitable, ec));
  st.metrics.RecordRequest("ws:" + route.pattern, "GET", ec ? 400 : 101, {});
  if (!ec) {
    conn.busy = false;  // an open socket, not a request: the drain may close it
    BeastWebSocket<Stream> socket(ws);
    try {
      co_await route.websocket(req, socket);
    } catch (const std::exception& e) {
      st.log->error("websocket {} {} failed: {}", req.request_id, req.target_path, e.what());
    } catch (...) {
      st.log->error("websocket {} {} failed: unknown exception", req.request_id, req.target_path);
    }
  }
  handle.lowest = nullptr;
}

constexpr std::pair<std::string_view, std::string_view> kSecurityHeaders[] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Content-Security-Policy", "frame-ancestors 'none'"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

template <class Stream>
awaitable<void> WriteResponse(ServerState& st, Stream& stream, Response r, const Request& req,
                              unsigned version, bool keep_alive, beast::error_code& ec) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  for (auto& [k, v] : r.headers) res.set(k, v);
  res.set(http::field::server, "corphub");
  res.set("X-Request-Id", req.request_id);
  // Security headers on every answer (a handler may set its own): no MIME sniffing, never in a
  // frame, no full URLs (which may carry codes) in Referer to other sites, and HTTPS remembered.
  for (const auto& [name, value] : kSecurityHeaders) {
    if (res.find(name) == res.end()) res.set(name, value);
  }
  if (req.secure && res.find(http::field::strict_transport_security) == res.end()) {
    res.set(http::field::strict_transport_security, "max-age=31536000");
  }
  res.keep_alive(keep_alive);
  bool head = req.method == "HEAD";
  bool no_body = head || r.status == 304 || r.status == 204 || r.status < 200;
  if (!no_body) {
    res.body() = std::move(r.body);
    res.prepare_payload();
  } else if (!head) {
    res.erase(http::field::content_length);
  } else if (res.find(http::field::content_length) == res.end()) {
    res.content_length(r.body.size());
  }
  beast::get_lowest_layer(stream).expires_after(st.options.read_timeout);
  co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
}

// Answers a request that cannot be read (bad header, too large) and ends the connection.
template <class Stream>
awaitable<void> Refuse(ServerState& st, Stream& stream, int status, std::string_view code,
                       std::string_view message) {
  Request req;
  req.request_id = st.NextRequestId();
  beast::error_code ec;
  st.metrics.RecordRequest("unmatched", "-", status, {});
  co_await WriteResponse(st, stream, Response::Error(status, code, message), req, 11, false, ec);
}

// Returns true when the connection should linger before closing (see Linger).
template <class Stream>
awaitable<bool> ServeHttp(ServerState& st, Stream& stream, std::shared_ptr<Connection> conn,
                          std::shared_ptr<SocketHandle> handle, std::string remote, bool secure) {
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(st.options.max_header_bytes);
    // No limit while the header is read, so that an over-limit Content-Length is answered with
    // 413 below instead of failing the header read; the limit applies to the body itself.
    parser.body_limit(boost::none);
    conn->busy = false;
    if (st.draining) co_return false;
    beast::get_lowest_layer(stream).expires_after(first ? st.options.read_timeout
                                                        : st.options.idle_timeout);
    beast::error_code ec;
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    if (ec == http::error::header_limit) {
      co_await Refuse(st, stream, 431, "header_too_large", "request header too large");
      co_return true;
    }
    if (ec == http::error::end_of_stream) co_return false;
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
      co_await Refuse(st, stream, 400, "bad_request", "malformed request");
      co_return true;
    }
    if (ec)
      co_return false;  // timeout, reset, TLS truncation, closed by the drain: no one to answer
    conn->busy = true;
    first = false;
    auto started = Clock::now();
    Request req = MakeRequest(parser.get(), st, remote, secure);
    Match match = st.router.Find(req.method, req.path, req);

    if (match.route != nullptr && match.route->websocket && websocket::is_upgrade(parser.get())) {
      co_await ServeWebSocket(st, stream, parser.release(), std::move(req), *match.route, *conn,
                              *handle);
      co_return false;
    }

    parser.body_limit(st.options.max_body_bytes);
    bool has_body = !parser.is_done();
    auto length = parser.content_length();
    bool routed = match.route != nullptr ||
                  (st.router.Fallback() && (req.method == "GET" || req.method == "HEAD"));
    std::string label = "unmatched";
    Response res;
    bool must_close = false;
    if (length && *length > st.options.max_body_bytes) {
      res = Response::Error(413, "too_large", "request body too large");
      must_close = true;
    } else if (has_body && !routed) {
      // No one wants this body: answer without reading it, then hang up.
      res = co_await Dispatch(st, req, match, label);
      must_close = true;
    } else {
      std::optional<BodyReservation> reservation;
      if (has_body) {
        reservation.emplace(st.inflight_body_bytes, st.options.max_inflight_body_bytes,
                            length.value_or(st.options.max_body_bytes));
        if (!reservation->ok()) {
          res = Response::Error(503, "busy", "server busy, retry later").Set("Retry-After", "1");
          must_close = true;
        } else {
          if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
            http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
            beast::get_lowest_layer(stream).expires_after(st.options.read_timeout);
            co_await http::async_write(stream, cont, asio::redirect_error(use_awaitable, ec));
            if (ec) co_return false;
          }
          beast::get_lowest_layer(stream).expires_after(st.options.read_timeout);
          co_await http::async_read(stream, buffer, parser,
                                    asio::redirect_error(use_awaitable, ec));
          if (ec == http::error::body_limit) {
            res = Response::Error(413, "too_large", "request body too large");
            must_close = true;
          } else if (ec) {
            co_return false;
          }
        }
      }
      if (!must_close) {
        req.body = std::move(parser.get().body());
        res = co_await Dispatch(st, req, match, label);
      }
    }

    bool keep_alive = !must_close && !res.close && parser.get().keep_alive() && !st.draining;
    int status = res.status;
    std::size_t bytes = res.body.size();
    // Counted before the answer leaves: a client that reads /metrics right after its answer
    // must already see its request there.
    auto elapsed = Clock::now() - started;
    st.metrics.RecordRequest(label, MethodLabel(req.method), status, elapsed);
    co_await WriteResponse(st, stream, std::move(res), req, parser.get().version(), keep_alive, ec);
    if (st.options.access_log) {
      // The path as sent (still percent-encoded, so no control bytes reach the log).
      st.access_log->info("{} \"{} {}\" {} {} {:.2f}ms id={}", remote, req.method, req.target_path,
                          status, bytes, std::chrono::duration<double, std::milli>(elapsed).count(),
                          req.request_id);
    }
    if (ec) co_return false;
    if (!keep_alive) co_return must_close&& has_body;
  }
}

// After answering a request whose body (or header) we did not read, the peer may still be
// sending: closing at once would make the kernel reset the connection and the client could lose
// our answer. So stop sending, then read and drop what comes, for a bounded time and amount.
awaitable<void> Linger(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16 << 10> sink;
  std::size_t total = 0;
  while (!ec && total < (1u << 20)) {
    total += co_await stream.async_read_some(asio::buffer(sink),
                                             asio::redirect_error(use_awaitable, ec));
  }
}

// Whatever way a session ends, the drain must no longer find its socket.
struct ForgetSocket {
  SocketHandle& handle;
  ~ForgetSocket() { handle.lowest = nullptr; }
};

awaitable<void> RunPlain(ServerState& st, asio::ip::tcp::socket socket,
                         std::shared_ptr<Connection> conn, std::shared_ptr<SocketHandle> handle,
                         std::string remote) {
  beast::tcp_stream stream(std::move(socket));
  handle->lowest = &stream;
  ForgetSocket forget{*handle};
  bool linger = co_await ServeHttp(st, stream, conn, handle, remote, false);
  if (handle->lowest == &stream) {
    if (linger) {
      co_await Linger(stream);
    } else {
      beast::error_code ec;
      stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    }
  }
}

awaitable<void> RunTls(ServerState& st, asio::ip::tcp::socket socket,
                       std::shared_ptr<Connection> conn, std::shared_ptr<SocketHandle> handle,
                       std::string remote) {
  TlsStream stream(beast::tcp_stream(std::move(socket)), *st.tls);
  handle->lowest = &beast::get_lowest_layer(stream);
  ForgetSocket forget{*handle};
  beast::error_code ec;
  beast::get_lowest_layer(stream).expires_after(st.options.read_timeout);
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(use_awaitable, ec));
  if (!ec) {
    co_await ServeHttp(st, stream, conn, handle, remote, true);
    if (handle->lowest == &beast::get_lowest_layer(stream)) {
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
      co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
    }
  }
}

}  // namespace

void SpawnSession(ServerState& st, asio::ip::tcp::socket socket) {
  auto executor = socket.get_executor();
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  std::string remote = ec ? "-" : endpoint.address().to_string();
  auto conn = std::make_shared<Connection>();
  auto handle = std::make_shared<SocketHandle>();
  // Posted by the drain from its own thread; on the strand, the connection may have started a
  // request meanwhile, and then it is left to finish.
  conn->close = [executor, handle, weak = std::weak_ptr<Connection>(conn)] {
    asio::post(executor, [handle, weak] {
      auto c = weak.lock();
      if (c && !c->busy && handle->lowest != nullptr) handle->lowest->close();
    });
  };
  auto id = st.connections.Add(conn);
  st.metrics.ConnectionOpened();
  auto body = [&st, socket = std::move(socket), conn, handle,
               remote = std::move(remote)]() mutable -> awaitable<void> {
    if (st.tls) {
      co_await RunTls(st, std::move(socket), conn, handle, remote);
    } else {
      co_await RunPlain(st, std::move(socket), conn, handle, remote);
    }
  };
  asio::co_spawn(executor, std::move(body), [&st, id](std::exception_ptr e) {
    st.connections.Remove(id);
    st.metrics.ConnectionClosed();
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        st.log->error("connection failed: {}", ex.what());
      } catch (...) {
        st.log->error("connection failed: unknown exception");
      }
    }
  });
}

}  // namespace corphub::net
