#pragma once
// An e-mail as it goes over SMTP (RFC 5322 with MIME): UTF-8 headers encoded as RFC 2047
// words, the body base64, CRLF line ends.
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "notify/outbound.hpp"

namespace corphub::notify {

// The address inside "Name <addr>", or the whole when there are no angle brackets; nullopt
// when it is not a plausible address or holds a line break (header injection).
std::optional<std::string> MailAddress(std::string_view from);

// `message_id` is the part before '@' of the Message-ID header.
std::string BuildMail(std::string_view from, const Mail& mail, core::TimePoint date,
                      std::string_view message_id);

// "=?UTF-8?B?...?=" when `text` is not plain printable ASCII, else the text itself.
std::string EncodeHeaderWord(std::string_view text);

}  // namespace corphub::notify
