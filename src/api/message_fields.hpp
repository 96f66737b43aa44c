#pragma once
// What the message-content decoders share (message_content.cpp, template_card.cpp): WeCom's
// limits, UTF-8 lengths, readers for the request's objects that name the field in their errors,
// and the compact JSON encoding of a message body.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/cgi_bin_request.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "core/text.hpp"
#include "messaging/content.hpp"

namespace corphub::api::content {

namespace json = boost::json;
using core::ErrorKind;
using messaging::Content;
using messaging::MediaRef;
using messaging::MsgType;

// WeCom's limits, from message/send (doc 90236) and appchat/send (doc 90248). Lengths are UTF-8
// bytes unless the doc counts characters.
inline constexpr std::size_t kContentBytes = 2048;  // text.content, markdown.content
inline constexpr std::size_t kTitleBytes = 128;     // video/textcard/news/mpnews title
inline constexpr std::size_t kDescriptionBytes =
    512;                                        // video/textcard/news description, mpnews digest
inline constexpr std::size_t kUrlBytes = 2048;  // textcard url, news url and picurl
inline constexpr std::size_t kPagepathBytes = 128;                           // news pagepath
inline constexpr std::size_t kBtnTxtChars = 4;                               // textcard btntxt
inline constexpr std::size_t kMaxArticles = 8;                               // news, mpnews
inline constexpr std::size_t kAuthorBytes = 64;                              // mpnews author
inline constexpr std::size_t kMpNewsContentBytes = std::size_t{666} * 1024;  // "不超过666 K个字节"
inline constexpr std::size_t kNoticeTitleMinChars = 4;  // miniprogram_notice title and description:
inline constexpr std::size_t kNoticeTitleMaxChars = 12;  // "长度限制4-12个汉字"
inline constexpr std::size_t kNoticeMaxItems = 10;       // miniprogram_notice content_item
inline constexpr std::size_t kNoticeKeyChars = 10;
inline constexpr std::size_t kNoticeValueChars = 30;
inline constexpr std::size_t kTaskIdBytes = 128;  // template_card task_id
inline constexpr std::size_t kPreviewChars = 60;

using core::CodePoints;
using core::TruncateChars;

// 40058 with the message.
core::Error Invalid(std::string message);
// "path[i]".
std::string Indexed(const std::string& path, std::size_t i);

struct Max {
  std::size_t n;
  bool chars;  // code points rather than bytes
};
constexpr Max Bytes(std::size_t n) { return {n, false}; }
constexpr Max Chars(std::size_t n) { return {n, true}; }
constexpr Max kNoMax = Bytes(SIZE_MAX);

// 45002 when s is longer than max.
core::Status CheckMax(std::string_view s, Max max, const std::string& path);
// 40058 unless min <= n <= max.
core::Status CheckCount(std::size_t n, std::size_t min, std::size_t max, const std::string& path);

// true/false, 0/1, or "0"/"1"/"true"/"false"; nullopt for anything else.
std::optional<bool> BoolOf(const json::value& v);
// A number, or a string holding a finite one ("1.3"); nullopt for anything else.
std::optional<json::value> NumberOf(const json::value& v);

// The members of one object of the request; errors name "<path>.<key>". Strings that are "" are
// taken as absent, like null.
class Fields {
 public:
  Fields(const json::object& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  std::string Path(std::string_view key) const { return path_ + "." + std::string(key); }

  // A string (numbers are taken as their text); "" when absent.
  core::Result<std::string> Optional(std::string_view key, Max max = kNoMax) const {
    auto s = StringField(obj_, key);
    if (!s) return Invalid(Path(key) + " must be a string");
    std::string out = std::move(s).value().value_or("");
    CORPHUB_TRY(CheckMax(out, max, Path(key)));
    return out;
  }
  // The same, but absent is `missing`.
  core::Result<std::string> Required(std::string_view key, Max max, ErrorKind missing) const {
    auto s = Optional(key, max);
    if (s && s->empty()) return core::MakeError(missing, Path(key) + " is required");
    return s;
  }
  // A number or a numeric string; a bool is taken as 0/1 (show_cover_pic).
  core::Result<std::optional<std::int64_t>> Int(std::string_view key) const {
    using Out = std::optional<std::int64_t>;
    const json::value* v = obj_.if_contains(key);
    if (v != nullptr && v->is_bool()) return Out(v->get_bool() ? 1 : 0);
    auto n = IntField(obj_, key, ErrorKind::kInvalidParameter);
    if (!n) return Invalid(Path(key) + " must be a number");
    return std::move(n).value();
  }
  core::Result<std::optional<bool>> Bool(std::string_view key) const {
    using Out = std::optional<bool>;
    const json::value* v = obj_.if_contains(key);
    if (v == nullptr || v->is_null() || (v->is_string() && v->get_string().empty())) return Out();
    if (auto b = BoolOf(*v)) return Out(*b);
    return Invalid(Path(key) + " must be a bool");
  }
  // nullptr when absent or null.
  core::Result<const json::array*> Array(std::string_view key) const {
    const json::value* v = obj_.if_contains(key);
    if (v == nullptr || v->is_null()) return static_cast<const json::array*>(nullptr);
    if (!v->is_array()) return Invalid(Path(key) + " must be an array");
    return &v->get_array();
  }

 private:
  const json::object& obj_;
  std::string path_;
};

// The objects of an array member, each with its path ("news.articles[2]").
core::Result<std::vector<Fields>> Items(const json::array& items, const std::string& path);
// Sets body[key] unless value is "".
void PutString(json::object& body, std::string_view key, std::string_view value);
// Records a media_id the body names (once per id and type).
void AddMedia(Content& out, std::string media_id, std::string type);
// Like boost::json::serialize, but doubles in their shortest form ("1.3", not "1.3E0").
void Write(const json::value& v, std::string& out);
// [0-9a-zA-Z_-@], the characters of a task_id.
bool IsTaskIdChar(char c);

// template_card (template_card.cpp).
core::Status DecodeTemplateCard(const json::object& in, json::object& body, Content& out);

}  // namespace corphub::api::content
