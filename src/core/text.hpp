#pragma once
// Small text helpers the domains share: ASCII lowercasing (userids compare that way) and UTF-8
// lengths in code points (WeCom counts names and titles in characters).
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace corphub::core {

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline bool IsUtf8LeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Code points of UTF-8 text (lead bytes counted; for text already known to be valid).
inline std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += IsUtf8LeadByte(c) ? 1 : 0;
  return n;
}

// s without the spaces and tabs at either end (what people paste into forms).
inline std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A base URL without its trailing slashes, to append paths to.
inline std::string WithoutTrailingSlashes(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

// The first `max_chars` code points of s, never cut inside one.
inline std::string TruncateChars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsUtf8LeadByte(s[i]) && chars++ == max_chars) return std::string(s.substr(0, i));
  }
  return std::string(s);
}

// An absolute http:// or https:// URL with a host and no spaces or control characters.
inline bool IsHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#') {
    return false;
  }
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) return false;
  }
  return true;
}

// The whole of `text` as a decimal integer (an optional leading '-'); nullopt for anything else.
inline std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t n = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
  return n;
}

}  // namespace corphub::core
