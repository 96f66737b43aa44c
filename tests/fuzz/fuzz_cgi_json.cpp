// /cgi-bin request decoding: the body through ParseObject, then every tolerant field reader on
// each key the object has and on the keys handlers read; the same bytes as a query string
// through IntQuery and StringQuery. Checks what cgi_bin_request.hpp promises about each reader.
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/cgi_bin_request.hpp"
#include "fuzz_support.hpp"
#include "net/http_message.hpp"

namespace {

using corphub::core::ErrorKind;
namespace api = corphub::api;
namespace json = boost::json;

// Keys the user, department, tag and message handlers read.
constexpr std::string_view kKeys[] = {
    "userid",  "name",     "department", "order",   "mobile",       "email",
    "enable",  "gender",   "to_invite",  "id",      "parentid",     "tagid",
    "agentid", "userlist", "partylist",  "touser",  "safe",         "is_leader_in_dept",
    "alias",   "position", "telephone",  "tagname", "direct_leader"};

// Query parameters handlers read.
constexpr std::string_view kQueryKeys[] = {"access_token", "department_id", "fetch_child",
                                           "userid",       "agentid",       "id"};

constexpr std::size_t kMaxKeys = 64;      // keys of one body looked at
constexpr std::size_t kMaxQueryKeys = 8;  // names of one query string looked at (each read
                                          // parses the whole query again)

void CheckIntField(const json::object& obj, std::string_view key, const json::value* raw) {
  auto n = api::IntField(obj, key, ErrorKind::kInvalidParameter);
  if (raw == nullptr || raw->is_null() || (raw->is_string() && raw->as_string().empty())) {
    FUZZ_CHECK(n.ok() && !n->has_value());
  } else if (raw->is_int64()) {
    FUZZ_CHECK(n.ok() && n->has_value() && **n == raw->as_int64());
  } else if (raw->is_array() || raw->is_object() || raw->is_bool()) {
    FUZZ_CHECK(!n.ok());
  } else if (n.ok()) {
    FUZZ_CHECK(n->has_value());
  }
}

void CheckStringField(const json::object& obj, std::string_view key, const json::value* raw) {
  auto s = api::StringField(obj, key);
  if (raw == nullptr || raw->is_null()) {
    FUZZ_CHECK(s.ok() && !s->has_value());
  } else if (raw->is_string()) {
    FUZZ_CHECK(s.ok() && s->has_value() && **s == std::string_view(raw->as_string()));
  } else if (raw->is_int64()) {  // numbers are taken as their text
    FUZZ_CHECK(s.ok() && s->has_value() && **s == std::to_string(raw->as_int64()));
  } else if (raw->is_uint64()) {
    FUZZ_CHECK(s.ok() && s->has_value() && **s == std::to_string(raw->as_uint64()));
  }
}

void CheckIntListField(const json::object& obj, std::string_view key, const json::value* raw) {
  auto list = api::IntListField(obj, key, ErrorKind::kInvalidParameter);
  if (raw == nullptr || raw->is_null()) {
    FUZZ_CHECK(list.ok() && !list->has_value());
    return;
  }
  if (raw->is_int64()) {  // a single number is a list of one
    FUZZ_CHECK(list.ok() && list->has_value() && (*list)->size() == 1 &&
               (**list)[0] == raw->as_int64());
  }
  if (!list.ok() || !list->has_value() || !raw->is_array()) return;
  const json::array& items = raw->as_array();
  FUZZ_CHECK((*list)->size() == items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_int64()) FUZZ_CHECK((**list)[i] == items[i].as_int64());
  }
}

void CheckStringListField(const json::object& obj, std::string_view key, const json::value* raw) {
  auto list = api::StringListField(obj, key, ErrorKind::kInvalidParameter);
  if (raw == nullptr || raw->is_null()) {
    FUZZ_CHECK(list.ok() && !list->has_value());
    return;
  }
  if (!raw->is_array()) return;
  const json::array& items = raw->as_array();
  bool all_strings = true;
  for (const auto& item : items) all_strings = all_strings && item.is_string();
  if (all_strings) FUZZ_CHECK(list.ok() && list->has_value());
  if (!list.ok() || !list->has_value()) return;
  FUZZ_CHECK((*list)->size() == items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_string()) FUZZ_CHECK((**list)[i] == std::string_view(items[i].as_string()));
  }
}

void CheckKey(const json::object& obj, std::string_view key) {
  const json::value* raw = obj.if_contains(key);
  CheckIntField(obj, key, raw);
  CheckStringField(obj, key, raw);
  CheckIntListField(obj, key, raw);
  CheckStringListField(obj, key, raw);
}

// Equal values, except that doubles may differ in their last bit: Boost.JSON 1.81 does not
// always read back the exact double it wrote (1.0000333333333335E34 reads as ...36E34).
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.as_double();
    const double y = b.as_double();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array() && b.is_array()) {
    const json::array& x = a.as_array();
    const json::array& y = b.as_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!SameJson(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const json::object& x = a.as_object();
    const json::object& y = b.as_object();
    if (x.size() != y.size()) return false;
    for (const auto& member : x) {
      const json::value* other = y.if_contains(member.key());
      if (other == nullptr || !SameJson(member.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

// A number too large for a double (7e48277769) parses as infinity, which Boost.JSON 1.81 writes
// as "Infinity", not JSON. Handlers give ObjectMembers only objects they build themselves, so
// such objects are left out of its check.
bool HasNonFinite(const json::value& v) {
  if (v.is_double()) return !std::isfinite(v.as_double());
  if (v.is_array()) {
    for (const auto& item : v.as_array()) {
      if (HasNonFinite(item)) return true;
    }
  }
  if (v.is_object()) {
    for (const auto& member : v.as_object()) {
      if (HasNonFinite(member.value())) return true;
    }
  }
  return false;
}

void CheckBody(std::string_view body) {
  auto parsed = api::ParseObject(body);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().kind == ErrorKind::kInvalidJson);
    return;
  }
  const json::object& obj = *parsed;
  for (std::string_view key : kKeys) CheckKey(obj, key);
  std::size_t seen = 0;
  for (const auto& member : obj) {
    if (++seen > kMaxKeys) break;
    CheckKey(obj, member.key());
  }
  // The members WecomOk splices into its answer make the same object again.
  if (HasNonFinite(json::value(obj))) return;
  const std::string members = api::ObjectMembers(obj);
  boost::system::error_code ec;
  const json::value again = json::parse("{" + members + "}", ec);
  FUZZ_CHECK(!ec && SameJson(again, json::value(obj)));
}

void CheckQuery(std::string_view query) {
  corphub::net::Request req;
  req.query = std::string(query);
  std::vector<std::string> keys(std::begin(kQueryKeys), std::end(kQueryKeys));
  for (auto& [name, value] : corphub::net::ParseQuery(query)) {
    if (keys.size() >= std::size(kQueryKeys) + kMaxQueryKeys) break;
    keys.push_back(name);
  }
  for (const std::string& key : keys) {
    const std::string text = api::StringQuery(req, key);
    FUZZ_CHECK(text == req.Query(key).value_or(""));
    auto n = api::IntQuery(req, key, ErrorKind::kInvalidParameter);
    if (text.empty()) FUZZ_CHECK(n.ok() && !n->has_value());
    if (n.ok() && !text.empty()) FUZZ_CHECK(n->has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  CheckBody(input);
  CheckQuery(input);
  return 0;
}
