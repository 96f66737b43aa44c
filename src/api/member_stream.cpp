// /api/v1/stream: a member's live events. The connection subscribes first, then learns the
// member's last sequence number, replays from the inbox what came after the client's `after`,
// and then writes live events — skipping any it has already sent, and reading from the inbox
// if one is missing — so a reconnecting client sees every event once, in order.
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/member_routes.hpp"
#include "api/stream_hub.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/member_session_service.hpp"
#include "messaging/event_json.hpp"
#include "messaging/inbox_service.hpp"
#include "net/websocket.hpp"

namespace corphub::api {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

constexpr std::int64_t kReplayPage = 500;

// The "type" of a JSON object message; empty when it is not one.
std::string MessageType(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  const auto* type = value.as_object().if_contains("type");
  return type != nullptr && type->is_string() ? std::string(type->as_string()) : std::string();
}

std::string ErrorJson(std::string_view code, std::string_view message) {
  return core::JsonObjectWriter()
      .Str("type", "error")
      .Str("code", code)
      .Str("message", message)
      .Done();
}

// An Origin from another site must not ride on the member's cookie (cross-site WebSocket
// hijacking): when the browser names one, its host must be the Host the client asked.
bool SameOrigin(const net::Request& req) {
  std::string_view origin = req.Header("origin");
  if (origin.empty()) return true;
  auto scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;
  return origin.substr(scheme + 3) == req.Header("host");
}

class StreamSession {
 public:
  StreamSession(MemberRouteDeps& d, StreamHub& hub, net::WebSocket& ws, std::int64_t member_id,
                std::int64_t session_id)
      : d_(d), hub_(hub), ws_(ws), member_id_(member_id), session_id_(session_id) {}

  awaitable<void> Run(std::optional<std::int64_t> after, const std::string& version) {
    auto ex = co_await asio::this_coro::executor;
    sub_ = hub_.Subscribe(member_id_, session_id_, ex);
    struct Leave {
      StreamHub& hub;
      std::shared_ptr<StreamHub::Subscriber>& sub;
      ~Leave() { hub.Unsubscribe(sub); }
    } leave{hub_, sub_};

    // A freeze that landed between the session check and the subscription would otherwise
    // go unseen by the session watch, which looks only at subscribed sessions.
    auto live = co_await core::Offload(d_.pool, [&] { return d_.sessions.Live({session_id_}); });
    if (!live || live->empty()) {
      co_await ws_.Write(ErrorJson("unauthenticated", "this session has ended; sign in again"));
      co_await ws_.Close("session ended");
      co_return;
    }
    auto last = co_await core::Offload(d_.pool, [&] { return d_.inbox.LastSeq(member_id_); });
    if (!last) {
      co_await ws_.Write(ErrorJson("unavailable", last.error().message));
      co_return;
    }
    if (!co_await ws_.Write(core::JsonObjectWriter()
                                .Str("type", "hello")
                                .Str("version", version)
                                .Int("last_seq", *last)
                                .Done())) {
      co_return;
    }
    sent_ = after ? std::min(*after, *last) : *last;
    if (!co_await Replay(*last)) co_return;
    co_await (ReadLoop() && WriteLoop());
  }

 private:
  // Writes the inbox's events after sent_ up to `until`; false when the connection is gone.
  awaitable<bool> Replay(std::int64_t until) {
    while (sent_ < until) {
      const std::int64_t from = sent_;
      auto events = co_await core::Offload(
          d_.pool, [&] { return d_.inbox.After(member_id_, from, kReplayPage); });
      if (!events || events->empty()) co_return events.ok();
      for (const auto& e : *events) {
        if (e.seq > until) break;
        if (!co_await ws_.Write(
                messaging::WithSeq(e.seq, messaging::EventBody(e.kind, e.message, e.read_at)))) {
          co_return false;
        }
        sent_ = e.seq;
      }
      if (events->back().seq >= until) break;
    }
    co_return true;
  }

  awaitable<void> ReadLoop() {
    while (auto message = co_await ws_.Read()) {
      // The client's keep-alive; anything else is not understood.
      sub_->Reply(MessageType(*message) == "ping"
                      ? std::string(R"({"type":"pong"})")
                      : ErrorJson("unknown_message", "this stream takes only pings"));
    }
    closed_ = true;
    sub_->wake().cancel();
  }

  awaitable<void> WriteLoop() {
    while (!closed_) {
      if (sub_->ArmIfIdle()) {
        boost::system::error_code ec;
        sub_->wake().expires_after(hub_.limits().heartbeat);
        co_await sub_->wake().async_wait(asio::redirect_error(use_awaitable, ec));
        if (closed_) break;
        if (!ec) {  // nothing to say for a while: a heartbeat with where the stream stands
          if (!co_await ws_.Write(core::JsonObjectWriter()
                                      .Str("type", "heartbeat")
                                      .Int("last_seq", sent_)
                                      .Done())) {
            break;
          }
          continue;
        }
      }
      auto batch = sub_->Take();
      bool ok = true;
      for (const auto& reply : batch.replies) {
        if (!(ok = co_await ws_.Write(reply))) break;
      }
      if (!ok) break;
      if (batch.cut) {
        // The session ended (signed out, or the member was frozen or left).
        co_await ws_.Write(ErrorJson("unauthenticated", "this session has ended; sign in again"));
        co_await ws_.Close("session ended");
        break;
      }
      if (batch.lagging) {
        // The client reads on from its last sequence number after reconnecting.
        co_await ws_.Close("lagging");
        break;
      }
      for (const auto& [seq, body] : batch.events) {
        if (seq <= sent_) continue;
        if (seq > sent_ + 1 && !(ok = co_await Replay(seq - 1))) break;
        if (!(ok = co_await ws_.Write(messaging::WithSeq(seq, *body)))) break;
        sent_ = seq;
      }
      if (!ok) break;
    }
    closed_ = true;
  }

  MemberRouteDeps& d_;
  StreamHub& hub_;
  net::WebSocket& ws_;
  const std::int64_t member_id_;
  const std::int64_t session_id_;
  std::shared_ptr<StreamHub::Subscriber> sub_;
  std::int64_t sent_ = 0;
  bool closed_ = false;
};

}  // namespace

void AddStreamRoutes(net::Router& router, MemberRouteDeps deps, StreamHub& hub,
                     std::string version) {
  router.AddWebSocket(
      "/api/v1/stream",
      [deps, &hub, version](net::Request& req, net::WebSocket& ws) mutable -> awaitable<void> {
        if (!SameOrigin(req)) {
          co_await ws.Write(ErrorJson("forbidden_origin", "this page's origin may not connect"));
          co_await ws.Close("forbidden origin");
          co_return;
        }
        const std::string token = CookieValue(req, kMemberCookie);
        auto session =
            co_await core::Offload(deps.pool, [&] { return deps.sessions.Authenticate(token); });
        if (!session) {
          co_await ws.Write(ErrorJson("unauthenticated", "sign in first"));
          co_await ws.Close("unauthenticated");
          co_return;
        }
        std::optional<std::int64_t> after;
        if (auto a = req.Query("after"); a && !a->empty()) {
          char* end = nullptr;
          long long n = std::strtoll(a->c_str(), &end, 10);
          if (end == a->c_str() + a->size() && n >= 0) after = n;
        }
        StreamSession stream(deps, hub, ws, session->member_id, session->id);
        co_await stream.Run(after, version);
      });
}

}  // namespace corphub::api
