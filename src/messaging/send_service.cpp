#include "messaging/send_service.hpp"

#include <algorithm>

#include "messaging/event_json.hpp"
#include "messaging/member_caps.hpp"

namespace corphub::messaging {
namespace {

using core::ErrorKind;

constexpr std::size_t kMsgidChars = 48;

}  // namespace

core::Result<apps::App> FindSendingApp(MessagingUnit& u, std::int64_t org_id, std::int64_t agentid,
                                       std::int64_t token_agentid) {
  auto app = u.Apps().FindByAgentid(org_id, agentid);
  if (!app) return std::move(app).error();
  if (!*app) {
    return core::MakeError(ErrorKind::kInvalidAgentId,
                           "invalid agentid " + std::to_string(agentid));
  }
  if (agentid != token_agentid) {
    return core::MakeError(ErrorKind::kAppPermissionDenied,
                           "the access_token is not for agentid " + std::to_string(agentid));
  }
  if ((*app)->closed) return core::MakeError(ErrorKind::kAppDisabled, "the app is disabled");
  return std::move(**app);
}

void SetExpiry(Message& m, const apps::App& app, std::optional<bool> keep_permanently) {
  const bool permanent = keep_permanently.value_or(app.retention_days == 0);
  m.expires_at.reset();
  if (!permanent) {
    const int days = app.retention_days > 0 ? app.retention_days : 5;
    m.expires_at = m.created_at + std::chrono::hours(24 * days);
  }
}

core::Status CheckMedia(MessagingUnit& u, std::int64_t org_id, const Content& content,
                        core::TimePoint now) {
  for (const auto& ref : content.media) {
    auto found = u.Media().Find(org_id, ref.media_id);
    if (!found) return std::move(found).error();
    if (!*found || (*found)->expires_at <= now ||
        (!ref.type.empty() && (*found)->type != ref.type)) {
      return core::MakeError(ErrorKind::kInvalidMediaId, "invalid media_id " + ref.media_id);
    }
  }
  return core::Ok();
}

core::Result<PreparedSend> SendService::Prepare(const SendRequest& request) {
  if (!request.agentid) return core::MakeError(ErrorKind::kMissingAgentId, "agentid missing");
  if (request.token_agentid == 0) {
    return core::MakeError(ErrorKind::kApiForbidden,
                           "message/send takes an app's access_token, not the contacts secret's");
  }
  const auto now = clock_.Now();
  return core::ReadValue(store_, [&](MessagingUnit& u) -> core::Result<PreparedSend> {
    auto app = FindSendingApp(u, request.org_id, *request.agentid, request.token_agentid);
    if (!app) return std::move(app).error();
    CORPHUB_TRY(CheckMedia(u, request.org_id, request.content, now));
    auto scope = u.Apps().Scope(app->id);
    if (!scope) return std::move(scope).error();
    auto resolved = Resolve(u.Recipients(), request.org_id, *scope, request.targets);
    if (!resolved) return std::move(resolved).error();

    // Members over the app's caps (30 a minute, 1000 an hour) quietly get this one no more.
    const std::size_t reached = resolved->member_ids.size();
    if (caps_ != nullptr) caps_->Admit(app->agentid, resolved->member_ids, now);

    PreparedSend out;
    Message& m = out.message;
    m.org_id = request.org_id;
    m.agentid = app->agentid;
    m.msgid = ids_.Token(kMsgidChars);
    m.content = request.content;
    m.safe = request.safe;
    m.id_trans = request.id_trans;
    m.sender = request.sender;
    m.created_at = now;
    SetExpiry(m, *app, request.keep_permanently);
    if (request.duplicate_check && !request.dup_key.empty()) {
      m.dup_key = request.dup_key;
      out.duplicate_interval =
          std::clamp(request.duplicate_interval, std::chrono::seconds(1), kMaxDuplicateInterval);
    }
    out.members =
        std::make_shared<const std::vector<std::int64_t>>(std::move(resolved->member_ids));
    m.recipients = static_cast<std::int64_t>(out.members->size());
    out.capped = static_cast<std::int64_t>(reached - out.members->size());
    out.resolution = std::move(*resolved);
    out.resolution.member_ids.clear();
    return out;
  });
}

Committer::Work SendService::StoreWork(std::shared_ptr<const PreparedSend> send,
                                       std::shared_ptr<Stored> out) {
  return [this, send = std::move(send), out = std::move(out)](MessagingUnit& u) -> core::Status {
    *out = Stored{};
    Message m = send->message;
    if (!m.dup_key.empty()) {
      auto earlier = u.Messages().FindDuplicate(m.org_id, m.agentid, m.dup_key,
                                                m.created_at - send->duplicate_interval);
      if (!earlier) return std::move(earlier).error();
      if (*earlier) {
        out->msgid = **earlier;
        out->duplicate = true;
        return core::Ok();
      }
    }
    CORPHUB_TRY(u.Messages().Insert(m));
    auto delivered = u.Messages().Append(m.id, m.agentid, EventKind::kMessage, *send->members);
    if (!delivered) return std::move(delivered).error();
    out->msgid = m.msgid;
    out->message = std::move(m);
    out->members = send->members;
    out->appended = *delivered;
    return core::Ok();
  };
}

core::Result<Message> SendService::PrepareRecall(std::int64_t org_id, std::int64_t token_agentid,
                                                 std::string_view msgid) {
  if (token_agentid == 0) {
    return core::MakeError(ErrorKind::kApiForbidden, "message/recall takes an app's access_token");
  }
  if (msgid.empty()) return core::MakeError(ErrorKind::kInvalidMsgId, "msgid missing");
  auto found = core::ReadValue(
      store_, [&](MessagingUnit& u) { return u.Messages().FindByMsgid(org_id, msgid); });
  if (!found) return std::move(found).error();
  if (!*found || (*found)->agentid != token_agentid) {
    return core::MakeError(ErrorKind::kInvalidMsgId, "invalid msgid");
  }
  if (clock_.Now() - (*found)->created_at > kRecallWindow) {
    return core::MakeError(ErrorKind::kRecallExpired,
                           "a message can be recalled within 24 hours of sending");
  }
  return std::move(**found);
}

Committer::Work SendService::RecallWork(Message message, std::shared_ptr<Stored> out) {
  return [this, message = std::move(message),
          out = std::move(out)](MessagingUnit& u) -> core::Status {
    *out = Stored{};
    out->msgid = message.msgid;
    auto current = u.Messages().FindByMsgid(message.org_id, message.msgid);
    if (!current) return std::move(current).error();
    if (!*current) return core::MakeError(ErrorKind::kInvalidMsgId, "invalid msgid");
    if ((*current)->recalled_at) {  // recalled before: nothing new to tell anyone
      out->duplicate = true;
      out->message = std::move(**current);
      return core::Ok();
    }
    const auto now = clock_.Now();
    CORPHUB_TRY(u.Messages().MarkRecalled(message.id, now));
    auto members = u.Messages().RecipientsOf(message.id);
    if (!members) return std::move(members).error();
    auto delivered = u.Messages().Append(message.id, message.agentid, EventKind::kRecall, *members);
    if (!delivered) return std::move(delivered).error();
    out->message = std::move(**current);
    out->message.recalled_at = now;
    out->members = std::make_shared<const std::vector<std::int64_t>>(std::move(members).value());
    out->appended = *delivered;
    return core::Ok();
  };
}

void PublishStored(core::Transactor<MessagingUnit>& store, EventSink& sink, const Stored& stored,
                   EventKind kind) {
  if (stored.appended == 0 || !stored.members) return;
  const auto listening = sink.Listening(*stored.members);
  if (listening.empty()) return;
  auto to = core::ReadValue(store, [&](MessagingUnit& u) {
    return u.Messages().Seqs(stored.message.id, kind, listening);
  });
  // Live delivery is a courtesy: if this read fails, the listeners read the inbox.
  if (!to || to->empty()) return;
  auto body = std::make_shared<const std::string>(EventBody(kind, stored.message, std::nullopt));
  sink.Publish(std::move(body), *to);
}

void SendService::Publish(const Stored& stored, EventKind kind) {
  PublishStored(store_, sink_, stored, kind);
}

}  // namespace corphub::messaging
