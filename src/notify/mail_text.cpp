#include "notify/mail_text.hpp"

#include <ctime>

#include "crypto/encoding.hpp"

namespace corphub::notify {
namespace {

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool PlainAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return s.find("=?") == std::string_view::npos;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

// RFC 5322's date, in UTC.
std::string MailDate(core::TimePoint at) {
  std::time_t t = static_cast<std::time_t>(core::UnixSeconds(at));
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// "Name <addr>" with the name encoded when needed.
std::string FromHeader(std::string_view from) {
  auto open = from.find('<');
  if (open == std::string_view::npos) return Trim(from);
  std::string name = Trim(from.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  std::string addr = MailAddress(from).value_or("");
  if (name.empty()) return "<" + addr + ">";
  return (PlainAscii(name) ? "\"" + name + "\"" : EncodeHeaderWord(name)) + " <" + addr + ">";
}

}  // namespace

std::optional<std::string> MailAddress(std::string_view from) {
  if (HasLineBreak(from)) return std::nullopt;
  std::string_view addr = from;
  if (auto open = from.find('<'); open != std::string_view::npos) {
    auto close = from.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    addr = from.substr(open + 1, close - open - 1);
  }
  std::string a = Trim(addr);
  auto at = a.find('@');
  if (a.empty() || at == std::string::npos || at == 0 || at + 1 == a.size() ||
      a.find_first_of("<>\" ,;") != std::string::npos) {
    return std::nullopt;
  }
  for (unsigned char c : a) {
    if (c < 0x21 || c > 0x7e) return std::nullopt;
  }
  return a;
}

std::string EncodeHeaderWord(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  // Encoded words stay under 75 characters: split the UTF-8 text at character boundaries.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t next = end + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
      if (next - i > 45) break;
      end = next;
    }
    if (end == i) end = i + 1;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::Base64Encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string BuildMail(std::string_view from, const Mail& mail, core::TimePoint date,
                      std::string_view message_id) {
  const std::string sender = MailAddress(from).value_or("");
  const std::string domain = sender.substr(sender.find('@') + 1);
  std::string out;
  out += "Date: " + MailDate(date) + "\r\n";
  out += "From: " + FromHeader(from) + "\r\n";
  out += "To: <" + mail.to + ">\r\n";
  out += "Subject: " + EncodeHeaderWord(mail.subject) + "\r\n";
  out += "Message-ID: <" + std::string(message_id) + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  // The text with CRLF line ends, then base64 in lines of 76.
  std::string text;
  for (std::size_t i = 0; i < mail.text.size(); ++i) {
    if (mail.text[i] == '\n' && (i == 0 || mail.text[i - 1] != '\r')) text += '\r';
    text += mail.text[i];
  }
  const std::string b64 = crypto::Base64Encode(text);
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

}  // namespace corphub::notify
