#pragma once
// The member API's JSON for messages and stream events (docs/member-api.md).
#include <cstdint>
#include <string>
#include <string_view>

#include "messaging/message.hpp"

namespace corphub::messaging {

// {"msgid","agentid","msgtype","content","preview","safe","created_at","read_at","recalled"};
// a recalled message has no content.
std::string MessageJson(const Message& message, const std::optional<core::TimePoint>& read_at);
// An event without its seq: {"type":"message","message":{...}}, {"type":"recall","agentid",
// "msgid"} or {"type":"read","agentid","msgid"} (read on another device, up to msgid).
std::string EventBody(EventKind kind, const Message& message,
                      const std::optional<core::TimePoint>& read_at);
// The event with its number first: {"seq":N,...}.
std::string WithSeq(std::int64_t seq, std::string_view body);

}  // namespace corphub::messaging
