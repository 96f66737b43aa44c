#include "net/http_message.hpp"

#include "core/log.hpp"

namespace corphub::net {
std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (auto& [k, v] : ParseQuery(query)) {
    if (k == name) return std::move(v);
  }
  return std::nullopt;
}

Response& Response::Set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response Response::Json(int status, std::string json) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  r.Set("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response Response::Text(int status, std::string text) {
  Response r;
  r.status = status;
  r.body = std::move(text);
  r.Set("Content-Type", "text/plain; charset=utf-8");
  return r;
}

Response Response::Error(const core::Error& error) {
  return Error(error.HttpStatus(), error.Code(), error.message);
}

Response Response::Error(int status, std::string_view code, std::string_view message) {
  return Json(status, "{\"code\":\"" + core::JsonEscape(code) + "\",\"message\":\"" +
                          core::JsonEscape(message) + "\"}");
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : PercentDecode(pair.substr(eq + 1), true);
    if (!key || !value || key->empty()) continue;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

// RFC 5987 for the UTF-8 name, and a plain ASCII fallback for older clients.
std::string AttachmentDisposition(const std::string& filename) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       c == '.' || c == '-' || c == '_';
    ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace corphub::net
