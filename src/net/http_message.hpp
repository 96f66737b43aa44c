#pragma once
// Requests and responses as handlers see them: plain structs, so handler code never includes
// Beast (which is heavy to compile) — only the session translates to and from the wire.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/percent_decode.hpp"

namespace corphub::net {

struct Request {
  std::string method;       // "GET", "POST", ...
  std::string target;       // as sent: path and query
  std::string path;         // percent-decoded path, no query
  std::string target_path;  // the path as sent (percent-encoded), for logs
  std::string query;        // raw query string, no '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string> params;  // path parameters from the route
  std::string request_id;
  std::string remote_address;
  bool secure = false;  // arrived over TLS

  // The first header of that (lower-case) name, or empty.
  std::string_view Header(std::string_view lower_name) const;
  // The first query parameter of that name, percent-decoded. Empty pairs ("?&a=1") are skipped.
  std::optional<std::string> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after this response

  Response& Set(std::string name, std::string value);
  static Response Json(int status, std::string json);
  static Response Text(int status, std::string text);
  // {"code":"...","message":"..."} for /api/v1 and /admin/api: a stable code the UI localises,
  // and English detail.
  static Response Error(int status, std::string_view code, std::string_view message);
  // The same for a domain error: its kind's HTTP status and code, and its message.
  static Response Error(const core::Error& error);
};

using core::PercentDecode;
// Pairs of a query string, decoded ('+' as space), empty pairs skipped.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
std::string_view ReasonPhrase(int status);

// Content-Disposition for a download: RFC 5987 for the UTF-8 name, and a plain ASCII fallback
// for older clients.
std::string AttachmentDisposition(const std::string& filename);

}  // namespace corphub::net
