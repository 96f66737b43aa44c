// The WebSocket side of the messaging benchmarks (bench/message_bench.py): opens many member
// streams on one thread and either
//   fanout: sends one message/send (the body and path given) once every stream said hello, and
//           reports how long until the send was answered (durable) and until each stream had
//           the message;
//   idle:   holds the streams open until standard input closes (the driver measures the
//           server's memory meanwhile).
// Prints one JSON object. Sessions' tokens come one per line in a file; stream i uses token
// i modulo their number.
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Shared {
  asio::io_context io;
  tcp::endpoint server;
  std::size_t hello = 0;
  std::size_t failed = 0;
  std::size_t received = 0;
  std::size_t want = 0;
  Clock::time_point sent_at{};
  bool sending = false;
  std::vector<double> latencies_ms;
  std::function<void()> all_hello;
  std::function<void()> all_received;
};

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(Shared& s, std::string token) : s_(s), ws_(s.io), token_(std::move(token)) {}

  void Start() {
    beast::get_lowest_layer(ws_).async_connect(
        s_.server, [self = shared_from_this()](beast::error_code ec) { self->OnConnect(ec); });
  }

 private:
  void Fail() {
    ++s_.failed;
    if (!hello_) Counted();
  }
  void Counted() {
    if (s_.hello + s_.failed == s_.want && s_.all_hello) {
      auto f = std::move(s_.all_hello);
      s_.all_hello = nullptr;
      f();
    }
  }
  void OnConnect(beast::error_code ec) {
    if (ec) return Fail();
    ws_.set_option(websocket::stream_base::decorator([t = token_](websocket::request_type& req) {
      req.set(beast::http::field::cookie, "corphub_member=" + t);
    }));
    ws_.async_handshake("127.0.0.1", "/api/v1/stream",
                        [self = shared_from_this()](beast::error_code e) {
                          if (e) return self->Fail();
                          self->Read();
                        });
  }
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Fail();
      self->OnMessage();
    });
  }
  void OnMessage() {
    std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (!hello_ && text.find("\"hello\"") != std::string_view::npos) {
      hello_ = true;
      ++s_.hello;
      Counted();
    } else if (s_.sending && text.find("\"type\":\"message\"") != std::string_view::npos) {
      s_.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - s_.sent_at).count());
      if (++s_.received == s_.hello && s_.all_received) s_.all_received();
    }
    buffer_.consume(buffer_.size());
    Read();
  }

  Shared& s_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string token_;
  bool hello_ = false;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: ws_fanout fanout|idle PORT TOKENS_FILE CONNECTIONS [PATH BODY_FILE]\n";
    return 2;
  }
  const std::string mode = argv[1];
  Shared s;
  s.server = tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                           static_cast<unsigned short>(std::stoi(argv[2])));
  std::vector<std::string> tokens;
  {
    std::ifstream in(argv[3]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) tokens.push_back(line);
    }
  }
  s.want = std::stoul(argv[4]);
  if (tokens.empty() || s.want == 0) return 2;
  std::string path, body;
  if (mode == "fanout") {
    if (argc < 7) return 2;
    path = argv[5];
    std::ifstream in(argv[6]);
    body.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto started = Clock::now();
  double connect_s = 0, durable_ms = 0;
  std::string answer;
  tcp::socket http(s.io);
  beast::flat_buffer http_buffer;
  beast::http::request<beast::http::string_body> req;
  beast::http::response<beast::http::string_body> res;
  asio::steady_timer deadline(s.io);

  s.all_hello = [&] {
    connect_s = std::chrono::duration<double>(Clock::now() - started).count();
    if (mode == "idle") {
      std::cout << "{\"ready\":" << s.hello << ",\"failed\":" << s.failed
                << ",\"connect_s\":" << connect_s << "}" << std::endl;
      // Held until standard input closes.
      std::thread([&] {
        std::string line;
        std::getline(std::cin, line);
        asio::post(s.io, [&] { s.io.stop(); });
      }).detach();
      return;
    }
    http.connect(s.server);
    req = {beast::http::verb::post, path, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    req.set(beast::http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    s.sending = true;
    s.sent_at = Clock::now();
    beast::http::async_write(http, req, [&](beast::error_code ec, std::size_t) {
      if (ec) return s.io.stop();
      beast::http::async_read(http, http_buffer, res, [&](beast::error_code e, std::size_t) {
        durable_ms = std::chrono::duration<double, std::milli>(Clock::now() - s.sent_at).count();
        answer = e ? std::string("read failed") : res.body();
      });
    });
    deadline.expires_after(std::chrono::seconds(60));
    deadline.async_wait([&](beast::error_code ec) {
      if (!ec) s.io.stop();
    });
  };
  s.all_received = [&] {
    if (durable_ms > 0)
      deadline.cancel(), s.io.stop();
    else
      asio::post(s.io, [&] {
        // The answer may still be on its way: give it a moment.
        deadline.expires_after(std::chrono::seconds(5));
        deadline.async_wait([&](beast::error_code) { s.io.stop(); });
      });
  };
  for (std::size_t i = 0; i < s.want; ++i) {
    std::make_shared<Stream>(s, tokens[i % tokens.size()])->Start();
  }
  s.io.run();
  if (mode == "fanout") {
    std::printf(
        "{\"connections\":%zu,\"failed\":%zu,\"connect_s\":%.2f,\"durable_ms\":%.1f,"
        "\"received\":%zu,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"answer\":%s}\n",
        s.hello, s.failed, connect_s, durable_ms, s.received, Percentile(s.latencies_ms, 0.5),
        Percentile(s.latencies_ms, 0.99), Percentile(s.latencies_ms, 1.0),
        answer.empty() ? "null" : answer.c_str());
  }
  return 0;
}
