// A bare Boost.Beast HTTP/1.1 server with C++20 coroutines and keep-alive: the least work a
// Beast server can do per request. `make bench` measures corphub's /healthz against it.
// Usage: beast_baseline PORT_FILE THREADS   (listens on 127.0.0.1, any free port)
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

const std::string kBody =
    R"({"status":"ok","version":"0.1.0","storage":{"backend":"sqlite","ok":true},"uptime_seconds":1})";

asio::awaitable<void> Session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    beast::error_code ec;
    stream.expires_after(std::chrono::seconds(30));
    co_await http::async_read(stream, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.keep_alive(req.keep_alive());
    res.body() = kBody;
    res.prepare_payload();
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()),
                                                 asio::use_awaitable);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, Session(beast::tcp_stream(std::move(socket))), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: beast_baseline PORT_FILE THREADS\n";
    return 2;
  }
  int threads = std::max(1, std::atoi(argv[2]));
  asio::io_context ioc(threads);
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  {
    std::ofstream(std::string(argv[1]) + ".tmp") << acceptor.local_endpoint().port() << "\n";
    std::rename((std::string(argv[1]) + ".tmp").c_str(), argv[1]);
  }
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) { ioc.stop(); });
  asio::co_spawn(ioc, Listen(acceptor), asio::detached);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  for (auto& t : pool) t.join();
}
