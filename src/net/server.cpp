#include "net/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "core/thread_role.hpp"
#include "net/metrics.hpp"
#include "net/server_state.hpp"

namespace corphub::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::uint64_t ConnectionRegistry::Add(std::shared_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  conns_.emplace(++next_, std::move(c));
  return next_;
}

void ConnectionRegistry::Remove(std::uint64_t id) {
  std::lock_guard lock(mu_);
  conns_.erase(id);
}

std::size_t ConnectionRegistry::CloseIdle() {
  std::lock_guard lock(mu_);
  for (auto& [id, c] : conns_) {
    if (!c->busy) c->close();
  }
  return conns_.size();
}

void ConnectionRegistry::Clear() {
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> gone;
  {
    std::lock_guard lock(mu_);
    gone.swap(conns_);
  }
}

std::size_t ConnectionRegistry::Size() const {
  std::lock_guard lock(mu_);
  return conns_.size();
}

struct Server::Impl {
  Impl(ServerOptions o, const Router& router, Metrics& metrics, core::WorkerPool& pool)
      : state(std::move(o), router, metrics, pool),
        ioc(std::max(1, state.options.io_threads)),
        control(asio::make_strand(ioc)),
        acceptor(control),
        signals(control),
        drain_timer(control),
        accept_retry(control) {
    state.access_log = core::Logger("access");
    state.log = core::Logger("http");
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t seed = std::chrono::steady_clock::now().time_since_epoch().count() ^
                         reinterpret_cast<std::uintptr_t>(this);
    for (int i = 0; i < 8; ++i) state.request_id_prefix += kHex[(seed >> (i * 4)) & 15];
    state.request_id_prefix += '-';
  }

  void Accept() {
    acceptor.async_accept(
        asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
          if (!ec) {
            if (state.metrics.OpenConnections() >= state.options.max_connections) {
              boost::system::error_code ignored;
              socket.close(ignored);
              state.log->warn("connection refused: max_connections ({}) reached",
                              state.options.max_connections);
            } else {
              SpawnSession(state, std::move(socket));
            }
          } else {
            // Out of file descriptors, say: the listener stays readable, so wait before trying
            // again instead of spinning an I/O thread.
            state.log->warn("accept failed: {}; retrying in 100 ms", ec.message());
            accept_retry.expires_after(std::chrono::milliseconds(100));
            accept_retry.async_wait([this](boost::system::error_code wait_ec) {
              if (!wait_ec && acceptor.is_open()) Accept();
            });
            return;
          }
          Accept();
        });
  }

  void BeginDrain() {
    if (state.draining.exchange(true)) {
      // A second signal: stop now.
      state.log->warn("second stop signal: closing {} connections now", state.connections.Size());
      ioc.stop();
      return;
    }
    state.log->info("draining: no new connections; up to {}s for requests in progress",
                    state.options.shutdown_grace.count());
    boost::system::error_code ec;
    acceptor.close(ec);
    drain_deadline = std::chrono::steady_clock::now() + state.options.shutdown_grace;
    PollDrain();
  }

  void PollDrain() {
    std::size_t left = state.connections.CloseIdle();
    if (left == 0) {
      ioc.stop();
      return;
    }
    if (std::chrono::steady_clock::now() >= drain_deadline) {
      state.log->warn("drain deadline passed: cutting {} connections", left);
      ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) PollDrain();
    });
  }

  void WaitForSignals() {
    signals.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      BeginDrain();
      WaitForSignals();
    });
  }

  ServerState state;
  asio::io_context ioc;
  // The acceptor, signals and timers are touched only on this strand (several I/O threads run).
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  asio::steady_timer accept_retry;
  std::chrono::steady_clock::time_point drain_deadline{};
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics,
               core::WorkerPool& pool)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, pool)) {}

Server::~Server() = default;

core::Status Server::Listen() {
  auto& st = impl_->state;
  const auto& o = st.options;
  std::string where = (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" +
                      std::to_string(o.port);
  if (!o.tls_cert_file.empty()) {
    try {
      st.tls.emplace(asio::ssl::context::tls_server);
      st.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1);
      st.tls->use_certificate_chain_file(o.tls_cert_file);
      st.tls->use_private_key_file(o.tls_key_file, asio::ssl::context::pem);
    } catch (const boost::system::system_error& e) {
      st.tls.reset();
      return core::MakeError(core::ErrorKind::kInvalidArgument,
                             "cannot load TLS certificate or key (tls.cert_file " +
                                 o.tls_cert_file + ", tls.key_file " + o.tls_key_file +
                                 "): " + e.code().message());
    }
  }
  // From here on a stop signal starts a drain (handled once Run starts), so a signal that comes
  // right after the port is announced is never fatal.
  if (o.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->WaitForSignals();
  }
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(o.host, std::to_string(o.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return core::MakeError(core::ErrorKind::kUnavailable,
                           "cannot listen on " + where + ": " + ec.message());
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acc.close();
    return core::MakeError(core::ErrorKind::kUnavailable,
                           "cannot listen on " + where + ": " + ec.message());
  }
  return core::Ok();
}

unsigned short Server::Port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

bool Server::Secure() const { return impl_->state.tls.has_value(); }

void Server::Run() {
  auto& impl = *impl_;
  impl.Accept();
  std::vector<std::thread> threads;
  int n = std::max(1, impl.state.options.io_threads);
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&impl] {
      core::MarkIoThread();
      impl.ioc.run();
    });
  }
  for (auto& t : threads) t.join();
  impl.state.connections.Clear();
}

void Server::Stop() {
  asio::post(impl_->control, [this] { impl_->BeginDrain(); });
}

}  // namespace corphub::net
