#include "callback/deliverer.hpp"

#include <algorithm>
#include <map>

#include "callback/callback_service.hpp"
#include "callback/callback_xml.hpp"
#include "callback/member_events.hpp"
#include "core/log.hpp"
#include "crypto/wecom_crypt.hpp"

namespace corphub::callback {
namespace {

constexpr std::int64_t kContactBatch = 500;
constexpr std::chrono::seconds kGapWait{5};

}  // namespace

std::chrono::milliseconds Backoff(const DelivererOptions& o, int attempts) {
  auto wait = o.retry_base;
  for (int i = 1; i < attempts && wait < o.retry_max; ++i) wait *= 2;
  return std::min(wait, o.retry_max);
}

Deliverer::Deliverer(core::Transactor<CallbackUnit>& store, directory::ScopeResolver& scopes,
                     const core::Clock& clock, std::unique_ptr<HttpSender> sender,
                     DelivererOptions options)
    : store_(store),
      scopes_(scopes),
      clock_(clock),
      sender_(std::move(sender)),
      options_(options) {}

Deliverer::~Deliverer() { Stop(); }

void Deliverer::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Deliverer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Deliverer::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Deliverer::Loop() {
  auto log = core::Logger("callback");
  while (true) {
    core::Result<std::size_t> sent = std::size_t{0};
    try {
      sent = RunOnce();
    } catch (const std::exception& e) {
      sent = core::MakeError(core::ErrorKind::kInternal, e.what());
    }
    if (!sent) log->warn("delivery round failed: {}", sent.error().message);
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (sent && *sent > 0) continue;  // more may be due at once
    // Sleep until there is news, or the next retry this node set is due, or the poll.
    auto wait = options_.idle_poll;
    if (soonest_retry_ms_ > 0) {
      const auto until =
          std::chrono::milliseconds(soonest_retry_ms_ - core::UnixMillis(clock_.Now()));
      wait = std::clamp(until, std::chrono::milliseconds(1), wait);
      soonest_retry_ms_ = 0;
    }
    cv_.wait_for(lock, wait, [&] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

core::Status Deliverer::Dispatch() {
  auto orgs =
      core::ReadValue(store_, [&](CallbackUnit& u) { return u.Callbacks().Organisations(); });
  if (!orgs) return std::move(orgs).error();
  for (std::int64_t org : *orgs) CORPHUB_TRY(DispatchOrg(org));
  return core::Ok();
}

core::Status Deliverer::DispatchOrg(std::int64_t org) {
  // Read what is new and who hears it, decide outside any transaction (scopes are looked up),
  // then queue it and move the cursor only if no other node did meanwhile.
  std::int64_t cursor = 0;
  std::vector<directory::ContactEvent> events;
  std::vector<CallbackConfig> configs;
  std::vector<apps::App> all_apps;
  std::map<std::int64_t, apps::AppScope> app_scopes;  // by agentid
  std::string corpid;
  core::Status read = store_.Read([&](CallbackUnit& u) -> core::Status {
    auto at = u.Callbacks().ContactCursor(org);
    if (!at) return std::move(at).error();
    cursor = *at;
    auto got = u.ContactEvents().After(org, cursor, kContactBatch);
    if (!got) return std::move(got).error();
    events = std::move(*got);
    if (events.empty()) return core::Ok();
    auto cs = u.Callbacks().All(org);
    if (!cs) return std::move(cs).error();
    configs = std::move(*cs);
    auto as = u.Apps().List(org);
    if (!as) return std::move(as).error();
    all_apps = std::move(*as);
    for (const auto& a : all_apps) {
      auto scope = u.Apps().Scope(a.id);
      if (!scope) return std::move(scope).error();
      app_scopes[a.agentid] = std::move(*scope);
    }
    auto id = u.Callbacks().CorpId(org);
    if (!id) return std::move(id).error();
    corpid = std::move(*id);
    return core::Ok();
  });
  if (!read) return read;
  // On PostgreSQL a later seq can commit before an earlier one: stop at a gap until it is a few
  // seconds old (a transaction that rolled back leaves one for good).
  std::size_t take = 0;
  for (std::int64_t expect = cursor + 1; take < events.size(); ++take) {
    const auto& e = events[take];
    if (e.seq != expect && clock_.Now() - e.at < kGapWait) break;
    expect = e.seq + 1;
  }
  events.resize(take);
  if (events.empty()) return core::Ok();

  // The open apps with a callback, and whether each asked for directory changes.
  struct Target {
    std::int64_t agentid;
    bool report_user;
  };
  std::vector<Target> targets;
  for (const auto& c : configs) {
    if (c.agentid == kContactsAgentid) {
      targets.push_back({c.agentid, true});
      continue;
    }
    for (const auto& a : all_apps) {
      if (a.agentid == c.agentid && !a.closed) targets.push_back({a.agentid, a.report_user});
    }
  }
  const std::int64_t now_ms = core::UnixMillis(clock_.Now());
  std::vector<Delivery> out;
  for (const auto& e : events) {
    const bool follows = e.change_type == "subscribe" || e.change_type == "unsubscribe";
    const std::string userid = follows ? EventUserid(e) : std::string();
    for (const Target& t : targets) {
      Delivery d;
      d.org_id = org;
      d.agentid = t.agentid;
      d.event_id = "contact-" + std::to_string(e.seq);
      d.next_at_ms = now_ms;
      d.created_at = clock_.Now();
      if (follows) {
        // Members follow and leave apps they can see; the contacts-sync callback has no
        // members of its own.
        if (t.agentid == kContactsAgentid || userid.empty()) continue;
        auto in = InScope(scopes_, org, app_scopes[t.agentid], userid);
        if (!in) return std::move(in).error();
        if (!*in) continue;
        d.member_key = userid;
        d.kind = e.change_type;
        d.payload = SubscribeXml(corpid, t.agentid, e);
      } else {
        if (!t.report_user) continue;
        d.member_key = "sys";
        d.kind = "change_contact/" + e.change_type;
        d.payload = ContactChangeXml(corpid, t.agentid, e);
      }
      out.push_back(std::move(d));
    }
  }
  return store_.Write([&](CallbackUnit& u) -> core::Status {
    auto moved = u.Callbacks().AdvanceContactCursor(org, cursor, events.back().seq);
    if (!moved) return std::move(moved).error();
    if (!*moved) return core::Ok();  // another node queued these
    return u.Callbacks().Enqueue(out);
  });
}

core::Result<std::size_t> Deliverer::RunOnce() {
  CORPHUB_TRY(Dispatch());
  const auto now = clock_.Now();
  const std::int64_t now_ms = core::UnixMillis(now);
  std::vector<Delivery> claimed;
  std::map<std::pair<std::int64_t, std::int64_t>, CallbackConfig> configs;
  std::map<std::int64_t, std::string> corpids;
  CORPHUB_TRY(store_.Write([&](CallbackUnit& u) -> core::Status {
    auto got = u.Callbacks().Claim(now_ms, now_ms + options_.lease.count(), options_.batch);
    if (!got) return std::move(got).error();
    claimed = std::move(*got);
    configs.clear();
    corpids.clear();
    for (const auto& d : claimed) {
      if (!corpids.contains(d.org_id)) {
        auto id = u.Callbacks().CorpId(d.org_id);
        if (!id) return std::move(id).error();
        corpids[d.org_id] = *id;
        auto all = u.Callbacks().All(d.org_id);
        if (!all) return std::move(all).error();
        for (auto& c : *all) configs[{c.org_id, c.agentid}] = std::move(c);
      }
    }
    return core::Ok();
  }));
  if (claimed.empty()) return std::size_t{0};

  std::vector<HttpRequest> requests;
  std::vector<std::size_t> sent_index;  // claimed[i] of each request
  std::vector<Outcome> outcomes(claimed.size());
  for (std::size_t i = 0; i < claimed.size(); ++i) {
    const Delivery& d = claimed[i];
    Outcome& o = outcomes[i];
    o.id = d.id;
    o.attempts = d.attempts + 1;
    auto c = configs.find({d.org_id, d.agentid});
    const std::string& corpid = corpids[d.org_id];
    std::optional<crypto::WecomCrypt> crypt;
    if (c != configs.end())
      crypt = crypto::WecomCrypt::Make(c->second.token, c->second.aes_key, corpid);
    if (!crypt) {
      o.error = "the app has no callback URL any more";
      o.next_at_ms = 0;
      continue;
    }
    const std::string encrypt = crypt->Seal(d.payload);
    const std::string timestamp = std::to_string(core::UnixSeconds(now));
    const std::string nonce = RandomDigits(10);
    HttpRequest r;
    r.post = true;
    r.url = WithQuery(c->second.url, "msg_signature=" + crypt->Sign(timestamp, nonce, encrypt) +
                                         "&timestamp=" + timestamp + "&nonce=" + nonce);
    r.body = Envelope(corpid, d.agentid, encrypt);
    r.headers = {"Content-Type: text/xml; charset=utf-8", "X-Corphub-Event-Id: " + d.event_id,
                 "X-Corphub-Attempt: " + std::to_string(o.attempts)};
    requests.push_back(std::move(r));
    sent_index.push_back(i);
  }
  auto answers = sender_->Send(requests, options_.timeout);
  for (std::size_t k = 0; k < answers.size(); ++k) {
    Outcome& o = outcomes[sent_index[k]];
    const HttpResponse& a = answers[k];
    o.status = a.status;
    if (a.status == 200) {
      o.delivered = true;
      continue;
    }
    o.error = a.status == 0 ? a.error : "HTTP " + std::to_string(a.status);
    o.next_at_ms =
        o.attempts >= options_.max_attempts ? 0 : now_ms + Backoff(options_, o.attempts).count();
  }
  CORPHUB_TRY(store_.Write([&](CallbackUnit& u) -> core::Status {
    return u.Callbacks().Record(outcomes, clock_.Now());
  }));
  std::int64_t soonest = 0;
  for (const auto& o : outcomes) {
    if (!o.delivered && o.next_at_ms > 0 && (soonest == 0 || o.next_at_ms < soonest)) {
      soonest = o.next_at_ms;
    }
  }
  {
    std::lock_guard lock(mu_);
    if (soonest > 0 && (soonest_retry_ms_ == 0 || soonest < soonest_retry_ms_)) {
      soonest_retry_ms_ = soonest;
    }
  }
  return claimed.size();
}

}  // namespace corphub::callback
