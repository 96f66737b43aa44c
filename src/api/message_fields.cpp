#include "api/message_fields.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include "core/json_writer.hpp"

namespace corphub::api::content {
// ---- UTF-8 ---------------------------------------------------------------------------------

// ---- errors and limits ---------------------------------------------------------------------

core::Error Invalid(std::string message) {
  return core::MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

std::string Indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

core::Status CheckMax(std::string_view s, Max max, const std::string& path) {
  std::size_t length = max.chars ? CodePoints(s) : s.size();
  if (length <= max.n) return core::Ok();
  return core::MakeError(
      ErrorKind::kContentTooLong,
      path + " is longer than " + std::to_string(max.n) + (max.chars ? " characters" : " bytes"));
}

core::Status CheckCount(std::size_t n, std::size_t min, std::size_t max, const std::string& path) {
  if (n >= min && n <= max) return core::Ok();
  std::string range = min == 0 ? "at most " + std::to_string(max)
                               : std::to_string(min) + " to " + std::to_string(max);
  return Invalid(path + " must hold " + range + " items, not " + std::to_string(n));
}

// ---- reading the request's objects ---------------------------------------------------------

// true/false, 0/1, or "0"/"1"/"true"/"false"; nullopt for anything else.
std::optional<bool> BoolOf(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_int64() && (v.get_int64() == 0 || v.get_int64() == 1)) return v.get_int64() == 1;
  if (v.is_uint64() && v.get_uint64() <= 1) return v.get_uint64() == 1;
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "1" || s == "true") return true;
    if (s == "0" || s == "false") return false;
  }
  return std::nullopt;
}

// A number, or a string holding a finite one ("1.3"); nullopt for anything else.
std::optional<json::value> NumberOf(const json::value& v) {
  if (v.is_number()) return v;
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.get_string();
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(d)) {
    return std::nullopt;  // "inf" and "nan" parse, but JSON has no such numbers
  }
  return json::value(d);
}

// The objects of an array member, each with its path ("news.articles[2]").
core::Result<std::vector<Fields>> Items(const json::array& items, const std::string& path) {
  std::vector<Fields> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) return Invalid(Indexed(path, i) + " must be an object");
    out.emplace_back(items[i].get_object(), Indexed(path, i));
  }
  return out;
}

void PutString(json::object& body, std::string_view key, std::string_view value) {
  if (!value.empty()) body.emplace(key, value);
}

void AddMedia(Content& out, std::string media_id, std::string type) {
  for (const auto& m : out.media) {
    if (m.media_id == media_id && m.type == type) return;
  }
  out.media.push_back(MediaRef{std::move(media_id), std::move(type)});
}

// ---- the compact encoding ------------------------------------------------------------------

// Like boost::json::serialize, but doubles in their shortest form ("1.3", not "1.3E0").
void Write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case json::kind::double_: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
      out.append(buf, r.ptr);
      return;
    }
    case json::kind::string:
      out += '"';
      core::AppendJsonEscaped(out, v.get_string());
      out += '"';
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += '"';
        core::AppendJsonEscaped(out, member.key());
        out += "\":";
        Write(member.value(), out);
      }
      out += '}';
      return;
    }
  }
}

bool IsTaskIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-' || c == '@';
}

}  // namespace corphub::api::content
