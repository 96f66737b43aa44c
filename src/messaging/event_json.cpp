#include "messaging/event_json.hpp"

#include "core/json_writer.hpp"

namespace corphub::messaging {

std::string MessageJson(const Message& m, const std::optional<core::TimePoint>& read_at) {
  core::JsonObjectWriter w;
  w.Str("msgid", m.msgid)
      .Int("agentid", m.agentid)
      .Str("chatid", m.chatid)
      .Str("msgtype", MsgTypeName(m.content.type));
  if (m.recalled_at) {
    w.Raw("content", "null").Str("preview", "");
  } else {
    w.Raw("content", m.content.body_json).Str("preview", m.content.preview);
  }
  w.Int("safe", m.safe).Int("created_at", core::UnixSeconds(m.created_at));
  if (read_at) {
    w.Int("read_at", core::UnixSeconds(*read_at));
  } else {
    w.Raw("read_at", "null");
  }
  w.Bool("recalled", m.recalled_at.has_value());
  return w.Done();
}

std::string EventBody(EventKind kind, const Message& m,
                      const std::optional<core::TimePoint>& read_at) {
  core::JsonObjectWriter w;
  switch (kind) {
    case EventKind::kMessage:
      w.Str("type", "message").Raw("message", MessageJson(m, read_at));
      break;
    case EventKind::kRecall:
      w.Str("type", "recall")
          .Int("agentid", m.agentid)
          .Str("chatid", m.chatid)
          .Str("msgid", m.msgid);
      break;
    case EventKind::kRead:
      w.Str("type", "read").Int("agentid", m.agentid).Str("chatid", m.chatid).Str("msgid", m.msgid);
      break;
  }
  return w.Done();
}

std::string WithSeq(std::int64_t seq, std::string_view body) {
  std::string out = "{\"seq\":" + std::to_string(seq);
  if (body.size() > 2) {
    out += ',';
    out.append(body.substr(1));
  } else {
    out += '}';
  }
  return out;
}

}  // namespace corphub::messaging
