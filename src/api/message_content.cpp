#include "api/message_content.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/cgi_bin_request.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using core::ErrorKind;
using messaging::Content;
using messaging::MediaRef;
using messaging::MsgType;

// WeCom's limits, from message/send (doc 90236) and appchat/send (doc 90248). Lengths are UTF-8
// bytes unless the doc counts characters.
constexpr std::size_t kContentBytes = 2048;     // text.content, markdown.content
constexpr std::size_t kTitleBytes = 128;        // video/textcard/news/mpnews title
constexpr std::size_t kDescriptionBytes = 512;  // video/textcard/news description, mpnews digest
constexpr std::size_t kUrlBytes = 2048;         // textcard url, news url and picurl
constexpr std::size_t kPagepathBytes = 128;     // news pagepath
constexpr std::size_t kBtnTxtChars = 4;         // textcard btntxt
constexpr std::size_t kMaxArticles = 8;         // news, mpnews
constexpr std::size_t kAuthorBytes = 64;        // mpnews author
constexpr std::size_t kMpNewsContentBytes = std::size_t{666} * 1024;  // "不超过666 K个字节"
constexpr std::size_t kNoticeTitleMinChars = 4;   // miniprogram_notice title and description:
constexpr std::size_t kNoticeTitleMaxChars = 12;  // "长度限制4-12个汉字"
constexpr std::size_t kNoticeMaxItems = 10;       // miniprogram_notice content_item
constexpr std::size_t kNoticeKeyChars = 10;
constexpr std::size_t kNoticeValueChars = 30;
constexpr std::size_t kTaskIdBytes = 128;  // template_card task_id
constexpr std::size_t kPreviewChars = 60;

// ---- UTF-8 ---------------------------------------------------------------------------------

bool IsLeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += IsLeadByte(c) ? 1 : 0;
  return n;
}

// The first `max_chars` code points of s (never cut inside one).
std::string Truncate(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsLeadByte(s[i]) && chars++ == max_chars) return std::string(s.substr(0, i));
  }
  return std::string(s);
}

// ---- errors and limits ---------------------------------------------------------------------

core::Error Invalid(std::string message) {
  return core::MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

std::string Indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

struct Max {
  std::size_t n;
  bool chars;  // code points rather than bytes
};
constexpr Max Bytes(std::size_t n) { return {n, false}; }
constexpr Max Chars(std::size_t n) { return {n, true}; }
constexpr Max kNoMax = Bytes(SIZE_MAX);

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

// ---- text, markdown and the media types ----------------------------------------------------

core::Status DecodeContent(const Fields& f, json::object& body, Content& out) {
  auto content = f.Required("content", Bytes(kContentBytes), ErrorKind::kEmptyContent);
  if (!content) return std::move(content).error();
  out.preview = Truncate(*content, kPreviewChars);
  body.emplace("content", std::move(*content));
  return core::Ok();
}

core::Status DecodeMedia(const Fields& f, std::string type, json::object& body, Content& out) {
  auto media_id = f.Required("media_id", kNoMax, ErrorKind::kMissingMediaId);
  if (!media_id) return std::move(media_id).error();
  AddMedia(out, *media_id, std::move(type));
  body.emplace("media_id", std::move(*media_id));
  return core::Ok();
}

core::Status DecodeVideo(const Fields& f, json::object& body, Content& out) {
  CORPHUB_TRY(DecodeMedia(f, "video", body, out));
  auto title = f.Optional("title", Bytes(kTitleBytes));
  if (!title) return std::move(title).error();
  auto description = f.Optional("description", Bytes(kDescriptionBytes));
  if (!description) return std::move(description).error();
  out.preview = Truncate(*title, kPreviewChars);
  PutString(body, "title", *title);
  PutString(body, "description", *description);
  return core::Ok();
}

// ---- textcard, news, mpnews ----------------------------------------------------------------

core::Status DecodeTextCard(const Fields& f, json::object& body, Content& out) {
  auto title = f.Required("title", Bytes(kTitleBytes), ErrorKind::kMissingTitle);
  if (!title) return std::move(title).error();
  auto description =
      f.Required("description", Bytes(kDescriptionBytes), ErrorKind::kInvalidParameter);
  if (!description) return std::move(description).error();
  auto url = f.Required("url", Bytes(kUrlBytes), ErrorKind::kInvalidParameter);
  if (!url) return std::move(url).error();
  auto btntxt = f.Optional("btntxt", Chars(kBtnTxtChars));
  if (!btntxt) return std::move(btntxt).error();
  out.preview = Truncate(*title, kPreviewChars);
  body.emplace("title", std::move(*title));
  body.emplace("description", std::move(*description));
  body.emplace("url", std::move(*url));
  PutString(body, "btntxt", *btntxt);
  return core::Ok();
}

// news.articles / mpnews.articles: 1 to 8 objects.
core::Result<std::vector<Fields>> Articles(const Fields& f) {
  auto articles = f.Array("articles");
  if (!articles) return std::move(articles).error();
  std::size_t n = *articles == nullptr ? 0 : (*articles)->size();
  CORPHUB_TRY(CheckCount(n, 1, kMaxArticles, f.Path("articles")));
  return Items(**articles, f.Path("articles"));
}

core::Result<json::object> NewsArticle(const Fields& a) {
  auto title = a.Required("title", Bytes(kTitleBytes), ErrorKind::kMissingTitle);
  if (!title) return std::move(title).error();
  auto description = a.Optional("description", Bytes(kDescriptionBytes));
  if (!description) return std::move(description).error();
  auto url = a.Optional("url", Bytes(kUrlBytes));
  if (!url) return std::move(url).error();
  auto picurl = a.Optional("picurl", Bytes(kUrlBytes));
  if (!picurl) return std::move(picurl).error();
  auto appid = a.Optional("appid");
  if (!appid) return std::move(appid).error();
  auto pagepath = a.Optional("pagepath", Bytes(kPagepathBytes));
  if (!pagepath) return std::move(pagepath).error();
  if (!appid->empty() && pagepath->empty()) {
    return Invalid(a.Path("pagepath") + " is required with appid");
  }
  if (url->empty() && appid->empty()) {
    return Invalid(a.Path("url") + " is required (or appid and pagepath)");
  }
  json::object article;
  article.emplace("title", std::move(*title));
  PutString(article, "description", *description);
  PutString(article, "url", *url);
  PutString(article, "picurl", *picurl);
  PutString(article, "appid", *appid);
  PutString(article, "pagepath", *pagepath);
  return article;
}

core::Result<json::object> MpNewsArticle(const Fields& a, Content& out) {
  auto title = a.Required("title", Bytes(kTitleBytes), ErrorKind::kMissingTitle);
  if (!title) return std::move(title).error();
  auto thumb = a.Required("thumb_media_id", kNoMax, ErrorKind::kMissingMediaId);
  if (!thumb) return std::move(thumb).error();
  auto author = a.Optional("author", Bytes(kAuthorBytes));
  if (!author) return std::move(author).error();
  auto source_url = a.Optional("content_source_url");
  if (!source_url) return std::move(source_url).error();
  auto content = a.Required("content", Bytes(kMpNewsContentBytes), ErrorKind::kInvalidParameter);
  if (!content) return std::move(content).error();
  auto digest = a.Optional("digest", Bytes(kDescriptionBytes));
  if (!digest) return std::move(digest).error();
  auto show_cover_pic = a.Int("show_cover_pic");
  if (!show_cover_pic) return std::move(show_cover_pic).error();
  AddMedia(out, *thumb, "image");
  json::object article;
  article.emplace("title", std::move(*title));
  article.emplace("thumb_media_id", std::move(*thumb));
  PutString(article, "author", *author);
  PutString(article, "content_source_url", *source_url);
  article.emplace("content", std::move(*content));
  PutString(article, "digest", *digest);
  if (*show_cover_pic) article.emplace("show_cover_pic", **show_cover_pic);
  return article;
}

core::Status DecodeNews(const Fields& f, bool mpnews, json::object& body, Content& out) {
  auto articles = Articles(f);
  if (!articles) return std::move(articles).error();
  json::array encoded;
  for (const Fields& a : *articles) {
    auto article = mpnews ? MpNewsArticle(a, out) : NewsArticle(a);
    if (!article) return std::move(article).error();
    if (encoded.empty()) out.preview = Truncate(article->at("title").get_string(), kPreviewChars);
    encoded.emplace_back(std::move(*article));
  }
  body.emplace("articles", std::move(encoded));
  return core::Ok();
}

// ---- miniprogram_notice --------------------------------------------------------------------

// title and description: 4 to 12 characters.
core::Status CheckNoticeLength(const std::string& s, const std::string& path) {
  CORPHUB_TRY(CheckMax(s, Chars(kNoticeTitleMaxChars), path));
  if (CodePoints(s) < kNoticeTitleMinChars) {
    return Invalid(path + " is shorter than " + std::to_string(kNoticeTitleMinChars) +
                   " characters");
  }
  return core::Ok();
}

core::Status DecodeMiniprogramNotice(const Fields& f, json::object& body, Content& out) {
  auto appid = f.Required("appid", kNoMax, ErrorKind::kInvalidParameter);
  if (!appid) return std::move(appid).error();
  auto page = f.Optional("page");
  if (!page) return std::move(page).error();
  auto title = f.Required("title", kNoMax, ErrorKind::kMissingTitle);
  if (!title) return std::move(title).error();
  CORPHUB_TRY(CheckNoticeLength(*title, f.Path("title")));
  auto description = f.Optional("description");
  if (!description) return std::move(description).error();
  if (!description->empty()) CORPHUB_TRY(CheckNoticeLength(*description, f.Path("description")));
  auto emphasis = f.Bool("emphasis_first_item");
  if (!emphasis) return std::move(emphasis).error();
  auto items = f.Array("content_item");
  if (!items) return std::move(items).error();
  json::array encoded_items;
  if (*items != nullptr) {
    CORPHUB_TRY(CheckCount((*items)->size(), 0, kNoticeMaxItems, f.Path("content_item")));
    auto fields = Items(**items, f.Path("content_item"));
    if (!fields) return std::move(fields).error();
    for (const Fields& item : *fields) {
      auto key = item.Required("key", Chars(kNoticeKeyChars), ErrorKind::kInvalidParameter);
      if (!key) return std::move(key).error();
      auto value = item.Required("value", Chars(kNoticeValueChars), ErrorKind::kInvalidParameter);
      if (!value) return std::move(value).error();
      encoded_items.emplace_back(
          json::object{{"key", std::move(*key)}, {"value", std::move(*value)}});
    }
  }
  out.preview = Truncate(*title, kPreviewChars);
  body.emplace("appid", std::move(*appid));
  PutString(body, "page", *page);
  body.emplace("title", std::move(*title));
  PutString(body, "description", *description);
  if (*emphasis) body.emplace("emphasis_first_item", **emphasis);
  if (!encoded_items.empty()) body.emplace("content_item", std::move(encoded_items));
  return core::Ok();
}

// ---- template_card -------------------------------------------------------------------------

// The card's documented fields (doc 90236, 模板卡片消息), as a schema: each object keeps only
// the members named here, converted to the kind named, in this order.
enum class Kind { kString, kInt, kBool, kNumber, kObject, kObjects };

struct Spec {
  std::string_view name;
  Kind kind;
  std::span<const Spec> members = {};  // kObject: its members; kObjects: each item's members
};

constexpr Spec kSource[] = {
    {"icon_url", Kind::kString}, {"desc", Kind::kString}, {"desc_color", Kind::kInt}};
constexpr Spec kActionItem[] = {{"text", Kind::kString}, {"key", Kind::kString}};
constexpr Spec kActionMenu[] = {{"desc", Kind::kString},
                                {"action_list", Kind::kObjects, kActionItem}};
constexpr Spec kTitleDesc[] = {{"title", Kind::kString}, {"desc", Kind::kString}};
constexpr Spec kQuoteArea[] = {{"type", Kind::kInt},     {"url", Kind::kString},
                               {"appid", Kind::kString}, {"pagepath", Kind::kString},
                               {"title", Kind::kString}, {"quote_text", Kind::kString}};
constexpr Spec kHorizontal[] = {{"type", Kind::kInt},        {"keyname", Kind::kString},
                                {"value", Kind::kString},    {"url", Kind::kString},
                                {"media_id", Kind::kString}, {"userid", Kind::kString}};
constexpr Spec kJump[] = {{"type", Kind::kInt},
                          {"title", Kind::kString},
                          {"url", Kind::kString},
                          {"appid", Kind::kString},
                          {"pagepath", Kind::kString}};
constexpr Spec kCardAction[] = {{"type", Kind::kInt},
                                {"url", Kind::kString},
                                {"appid", Kind::kString},
                                {"pagepath", Kind::kString}};
constexpr Spec kCardImage[] = {{"url", Kind::kString}, {"aspect_ratio", Kind::kNumber}};
constexpr Spec kImageTextArea[] = {{"type", Kind::kInt},        {"url", Kind::kString},
                                   {"appid", Kind::kString},    {"pagepath", Kind::kString},
                                   {"title", Kind::kString},    {"desc", Kind::kString},
                                   {"image_url", Kind::kString}};
constexpr Spec kOption[] = {{"id", Kind::kString}, {"text", Kind::kString}};
constexpr Spec kButtonSelection[] = {{"question_key", Kind::kString},
                                     {"title", Kind::kString},
                                     {"option_list", Kind::kObjects, kOption},
                                     {"selected_id", Kind::kString}};
constexpr Spec kButton[] = {{"type", Kind::kInt},
                            {"text", Kind::kString},
                            {"style", Kind::kInt},
                            {"key", Kind::kString},
                            {"url", Kind::kString}};
constexpr Spec kCheckboxOption[] = {
    {"id", Kind::kString}, {"text", Kind::kString}, {"is_checked", Kind::kBool}};
constexpr Spec kCheckbox[] = {{"question_key", Kind::kString},
                              {"option_list", Kind::kObjects, kCheckboxOption},
                              {"mode", Kind::kInt}};
constexpr Spec kSubmitButton[] = {{"text", Kind::kString}, {"key", Kind::kString}};
constexpr Spec kSelect[] = {{"question_key", Kind::kString},
                            {"title", Kind::kString},
                            {"selected_id", Kind::kString},
                            {"option_list", Kind::kObjects, kOption}};
constexpr Spec kCard[] = {
    {"card_type", Kind::kString},
    {"source", Kind::kObject, kSource},
    {"action_menu", Kind::kObject, kActionMenu},
    {"main_title", Kind::kObject, kTitleDesc},
    {"quote_area", Kind::kObject, kQuoteArea},
    {"emphasis_content", Kind::kObject, kTitleDesc},
    {"sub_title_text", Kind::kString},
    {"horizontal_content_list", Kind::kObjects, kHorizontal},
    {"jump_list", Kind::kObjects, kJump},
    {"card_action", Kind::kObject, kCardAction},
    {"card_image", Kind::kObject, kCardImage},
    {"image_text_area", Kind::kObject, kImageTextArea},
    {"vertical_content_list", Kind::kObjects, kTitleDesc},
    {"task_id", Kind::kString},
    {"button_selection", Kind::kObject, kButtonSelection},
    {"button_list", Kind::kObjects, kButton},
    {"checkbox", Kind::kObject, kCheckbox},
    {"submit_button", Kind::kObject, kSubmitButton},
    {"select_list", Kind::kObjects, kSelect},
};

core::Result<json::object> Filter(const json::object& in, std::span<const Spec> specs,
                                  const std::string& path);

// One member converted to its kind; nullopt when absent, null, "" or an empty object or array.
core::Result<std::optional<json::value>> Member(const json::object& in, const Spec& spec,
                                                const std::string& path) {
  using Out = std::optional<json::value>;
  const json::value* v = in.if_contains(spec.name);
  if (v == nullptr || v->is_null()) return Out();
  switch (spec.kind) {
    case Kind::kString: {
      auto s = StringField(in, spec.name);
      if (!s) return Invalid(path + " must be a string");
      if (!*s || (*s)->empty()) return Out();
      return Out(json::value(**s));
    }
    case Kind::kInt: {
      auto n = IntField(in, spec.name, ErrorKind::kInvalidParameter);
      if (!n) return Invalid(path + " must be a number");
      if (!*n) return Out();
      return Out(json::value(**n));
    }
    case Kind::kBool: {
      if (v->is_string() && v->get_string().empty()) return Out();
      auto b = BoolOf(*v);
      if (!b) return Invalid(path + " must be a bool");
      return Out(json::value(*b));
    }
    case Kind::kNumber: {
      if (v->is_string() && v->get_string().empty()) return Out();
      auto n = NumberOf(*v);
      if (!n) return Invalid(path + " must be a number");
      return Out(std::move(*n));
    }
    case Kind::kObject: {
      if (!v->is_object()) return Invalid(path + " must be an object");
      auto obj = Filter(v->get_object(), spec.members, path);
      if (!obj) return std::move(obj).error();
      if (obj->empty()) return Out();
      return Out(json::value(std::move(*obj)));
    }
    case Kind::kObjects: {
      if (!v->is_array()) return Invalid(path + " must be an array");
      json::array items;
      const json::array& in_items = v->get_array();
      for (std::size_t i = 0; i < in_items.size(); ++i) {
        if (!in_items[i].is_object()) return Invalid(Indexed(path, i) + " must be an object");
        auto obj = Filter(in_items[i].get_object(), spec.members, Indexed(path, i));
        if (!obj) return std::move(obj).error();
        items.emplace_back(std::move(*obj));
      }
      if (items.empty()) return Out();
      return Out(json::value(std::move(items)));
    }
  }
  return Out();
}

core::Result<json::object> Filter(const json::object& in, std::span<const Spec> specs,
                                  const std::string& path) {
  json::object out;
  for (const Spec& spec : specs) {
    auto member = Member(in, spec, path + "." + std::string(spec.name));
    if (!member) return std::move(member).error();
    if (*member) out.emplace(spec.name, std::move(**member));
  }
  return out;
}

// Readers of the filtered card, whose members have their kinds already.
std::string_view StrAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}
std::int64_t IntAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}
const json::object* ObjAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}
const json::array* ArrAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}
std::size_t CountAt(const json::object* obj, std::string_view key) {
  const json::array* a = ArrAt(obj, key);
  return a == nullptr ? 0 : a->size();
}

core::Status RequireAt(const json::object* obj, std::string_view key, const std::string& path,
                       std::string_view why = {}, ErrorKind kind = ErrorKind::kInvalidParameter) {
  if (obj != nullptr && obj->contains(key)) return core::Ok();
  return core::MakeError(kind, path + "." + std::string(key) + " is required" +
                                   (why.empty() ? "" : " " + std::string(why)));
}

bool IsTaskIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-' || c == '@';
}

// A jump (card_action, quote_area, jump_list item, image_text_area): type 1 needs its url and
// type 2 its appid.
core::Status CheckJump(const json::object* obj, const std::string& path) {
  std::int64_t type = IntAt(obj, "type");
  if (type == 1) return RequireAt(obj, "url", path, "when type is 1");
  if (type == 2) return RequireAt(obj, "appid", path, "when type is 2");
  return core::Ok();
}

// The items of a list member, each checked by fn(item, path).
template <class Fn>
core::Status EachItem(const json::object* obj, std::string_view key, const std::string& path,
                      Fn fn) {
  const json::array* items = ArrAt(obj, key);
  if (items == nullptr) return core::Ok();
  for (std::size_t i = 0; i < items->size(); ++i) {
    CORPHUB_TRY(fn(&(*items)[i].get_object(), Indexed(path + "." + std::string(key), i)));
  }
  return core::Ok();
}

// horizontal_content_list items: type 1 links its url, 2 a file (media_id), 3 a member.
core::Status CheckHorizontal(const json::object* item, const std::string& path, Content& out) {
  CORPHUB_TRY(RequireAt(item, "keyname", path));
  switch (IntAt(item, "type")) {
    case 1:
      return RequireAt(item, "url", path, "when type is 1");
    case 2:
      CORPHUB_TRY(RequireAt(item, "media_id", path, "when type is 2", ErrorKind::kMissingMediaId));
      AddMedia(out, std::string(StrAt(item, "media_id")), "");
      return core::Ok();
    case 3:
      return RequireAt(item, "userid", path, "when type is 3");
    default:
      return core::Ok();
  }
}

// button_list items: type 1 opens its url; the others call back with their key.
core::Status CheckButton(const json::object* item, const std::string& path) {
  if (IntAt(item, "type") == 1) return RequireAt(item, "url", path, "when type is 1");
  return RequireAt(item, "key", path);
}

// select_list items: a question with 1 to 10 options.
core::Status CheckSelect(const json::object* item, const std::string& path) {
  CORPHUB_TRY(RequireAt(item, "question_key", path));
  return CheckCount(CountAt(item, "option_list"), 1, 10, path + ".option_list");
}

core::Status CheckCard(const json::object& card, Content& out) {
  const std::string path = "template_card";
  const json::object* c = &card;
  std::string_view card_type = StrAt(c, "card_type");
  bool text_notice = card_type == "text_notice";
  bool news_notice = card_type == "news_notice";
  bool buttons = card_type == "button_interaction";
  bool vote = card_type == "vote_interaction";
  bool multiple = card_type == "multiple_interaction";
  if (!text_notice && !news_notice && !buttons && !vote && !multiple) {
    return Invalid(path +
                   ".card_type must be text_notice, news_notice, button_interaction, "
                   "vote_interaction or multiple_interaction");
  }
  out.wants_response_code = buttons || vote || multiple;

  std::string_view task_id = StrAt(c, "task_id");
  CORPHUB_TRY(CheckMax(task_id, Bytes(kTaskIdBytes), path + ".task_id"));
  for (char ch : task_id) {
    if (!IsTaskIdChar(ch)) return Invalid(path + ".task_id may hold only 0-9, a-z, A-Z and _-@");
  }
  if (out.wants_response_code) {
    CORPHUB_TRY(RequireAt(c, "task_id", path, "for " + std::string(card_type)));
  }
  if (const json::object* menu = ObjAt(c, "action_menu")) {
    CORPHUB_TRY(CheckCount(CountAt(menu, "action_list"), 1, 3, path + ".action_menu.action_list"));
    CORPHUB_TRY(RequireAt(c, "task_id", path, "with action_menu"));
  }

  CORPHUB_TRY(
      CheckCount(CountAt(c, "horizontal_content_list"), 0, 6, path + ".horizontal_content_list"));
  CORPHUB_TRY(EachItem(c, "horizontal_content_list", path,
                       [&](const json::object* item, const std::string& p) {
                         return CheckHorizontal(item, p, out);
                       }));
  CORPHUB_TRY(CheckCount(CountAt(c, "jump_list"), 0, 3, path + ".jump_list"));
  CORPHUB_TRY(EachItem(c, "jump_list", path, CheckJump));
  CORPHUB_TRY(
      CheckCount(CountAt(c, "vertical_content_list"), 0, 4, path + ".vertical_content_list"));
  CORPHUB_TRY(CheckJump(ObjAt(c, "quote_area"), path + ".quote_area"));
  CORPHUB_TRY(CheckJump(ObjAt(c, "image_text_area"), path + ".image_text_area"));

  const json::object* action = ObjAt(c, "card_action");
  if (text_notice || news_notice) {
    CORPHUB_TRY(RequireAt(c, "card_action", path, "for " + std::string(card_type)));
    std::int64_t type = IntAt(action, "type");
    if (type != 1 && type != 2) {
      return Invalid(path + ".card_action.type must be 1 or 2 for " + std::string(card_type));
    }
  }
  CORPHUB_TRY(CheckJump(action, path + ".card_action"));

  const json::object* main_title = ObjAt(c, "main_title");
  if (text_notice && !(main_title && main_title->contains("title")) &&
      !c->contains("sub_title_text")) {
    return Invalid(path + ".main_title.title or " + path + ".sub_title_text is required");
  }
  if (news_notice) {
    CORPHUB_TRY(RequireAt(main_title, "title", path + ".main_title", "for news_notice"));
    if (!c->contains("card_image") && !c->contains("image_text_area")) {
      return Invalid(path + ".card_image or " + path + ".image_text_area is required");
    }
  }

  if (const json::object* selection = ObjAt(c, "button_selection")) {
    CORPHUB_TRY(RequireAt(selection, "question_key", path + ".button_selection"));
    CORPHUB_TRY(CheckCount(CountAt(selection, "option_list"), 1, 10,
                           path + ".button_selection.option_list"));
  }
  if (buttons) {
    CORPHUB_TRY(CheckCount(CountAt(c, "button_list"), 1, 6, path + ".button_list"));
  }
  CORPHUB_TRY(CheckCount(CountAt(c, "button_list"), 0, 6, path + ".button_list"));
  CORPHUB_TRY(EachItem(c, "button_list", path, CheckButton));
  if (vote) {
    CORPHUB_TRY(RequireAt(c, "checkbox", path, "for vote_interaction"));
    const json::object* checkbox = ObjAt(c, "checkbox");
    CORPHUB_TRY(RequireAt(checkbox, "question_key", path + ".checkbox"));
    CORPHUB_TRY(
        CheckCount(CountAt(checkbox, "option_list"), 1, 20, path + ".checkbox.option_list"));
  }
  if (multiple) {
    CORPHUB_TRY(CheckCount(CountAt(c, "select_list"), 1, 3, path + ".select_list"));
    CORPHUB_TRY(EachItem(c, "select_list", path, CheckSelect));
  }
  if (vote || multiple) {
    CORPHUB_TRY(RequireAt(c, "submit_button", path, "for " + std::string(card_type)));
    CORPHUB_TRY(RequireAt(ObjAt(c, "submit_button"), "key", path + ".submit_button"));
  }

  std::string_view preview = StrAt(main_title, "title");
  if (preview.empty()) preview = StrAt(c, "sub_title_text");
  out.preview = Truncate(preview, kPreviewChars);
  return core::Ok();
}

core::Status DecodeTemplateCard(const json::object& in, json::object& body, Content& out) {
  auto card = Filter(in, kCard, "template_card");
  if (!card) return std::move(card).error();
  CORPHUB_TRY(CheckCard(*card, out));
  body = std::move(*card);
  return core::Ok();
}

// ---- the request ---------------------------------------------------------------------------

// appchat/send's types (doc 90248): no miniprogram_notice or template_card.
// ---- the legacy taskcard -------------------------------------------------------------------

constexpr std::size_t kTaskButtons = 2;  // taskcard btn: one or two buttons
constexpr std::size_t kTaskButtonNameChars = 4;

core::Status DecodeTaskCard(const Fields& f, json::object& body, Content& out) {
  auto title = f.Required("title", Bytes(kTitleBytes), ErrorKind::kMissingTitle);
  if (!title) return std::move(title).error();
  auto description =
      f.Required("description", Bytes(kDescriptionBytes), ErrorKind::kInvalidParameter);
  if (!description) return std::move(description).error();
  auto url = f.Optional("url", Bytes(kUrlBytes));
  if (!url) return std::move(url).error();
  auto task_id = f.Required("task_id", Bytes(kTaskIdBytes), ErrorKind::kInvalidParameter);
  if (!task_id) return std::move(task_id).error();
  for (char ch : *task_id) {
    if (!IsTaskIdChar(ch))
      return Invalid(f.Path("task_id") + " may hold only 0-9, a-z, A-Z and _-@");
  }
  auto btn = f.Array("btn");
  if (!btn) return std::move(btn).error();
  const std::size_t n = *btn == nullptr ? 0 : (*btn)->size();
  CORPHUB_TRY(CheckCount(n, 1, kTaskButtons, f.Path("btn")));
  auto items = Items(**btn, f.Path("btn"));
  if (!items) return std::move(items).error();
  json::array buttons;
  for (const auto& b : *items) {
    auto key = b.Required("key", Bytes(kTaskIdBytes), ErrorKind::kInvalidParameter);
    if (!key) return std::move(key).error();
    auto name = b.Required("name", Chars(kTaskButtonNameChars), ErrorKind::kInvalidParameter);
    if (!name) return std::move(name).error();
    auto replace_name = b.Optional("replace_name", Chars(kTaskButtonNameChars));
    if (!replace_name) return std::move(replace_name).error();
    auto color = b.Optional("color", Bytes(16));
    if (!color) return std::move(color).error();
    auto bold = b.Bool("is_bold");
    if (!bold) return std::move(bold).error();
    json::object button;
    button.emplace("key", std::move(*key));
    button.emplace("name", std::move(*name));
    PutString(button, "replace_name", *replace_name);
    PutString(button, "color", *color);
    if (*bold) button.emplace("is_bold", **bold);
    buttons.push_back(std::move(button));
  }
  out.preview = Truncate(*title, kPreviewChars);
  body.emplace("title", std::move(*title));
  body.emplace("description", std::move(*description));
  PutString(body, "url", *url);
  body.emplace("task_id", std::move(*task_id));
  body.emplace("btn", std::move(buttons));
  return core::Ok();
}

bool AppchatTakes(MsgType type) {
  return type != MsgType::kMiniprogramNotice && type != MsgType::kTemplateCard &&
         type != MsgType::kTaskCard;
}

core::Status DecodeBody(MsgType type, const json::object& in, const std::string& name,
                        json::object& body, Content& out) {
  Fields f(in, name);
  switch (type) {
    case MsgType::kText:
    case MsgType::kMarkdown:
      return DecodeContent(f, body, out);
    case MsgType::kImage:
      return DecodeMedia(f, "image", body, out);
    case MsgType::kVoice:
      return DecodeMedia(f, "voice", body, out);
    case MsgType::kFile:
      return DecodeMedia(f, "", body, out);  // a file message may carry any uploaded media
    case MsgType::kVideo:
      return DecodeVideo(f, body, out);
    case MsgType::kTextCard:
      return DecodeTextCard(f, body, out);
    case MsgType::kNews:
      return DecodeNews(f, false, body, out);
    case MsgType::kMpNews:
      return DecodeNews(f, true, body, out);
    case MsgType::kMiniprogramNotice:
      return DecodeMiniprogramNotice(f, body, out);
    case MsgType::kTemplateCard:
      return DecodeTemplateCard(in, body, out);
    case MsgType::kTaskCard:
      return DecodeTaskCard(f, body, out);
  }
  return core::MakeError(ErrorKind::kInvalidMsgType, "msgtype " + name + " is not supported");
}

}  // namespace

core::Result<messaging::Content> DecodeMessageContent(const boost::json::object& request,
                                                      bool appchat) {
  const json::value* msgtype = request.if_contains("msgtype");
  if (msgtype == nullptr || !msgtype->is_string()) {
    return core::MakeError(ErrorKind::kInvalidMsgType, "msgtype is missing or not a string");
  }
  std::string name(msgtype->get_string());
  MsgType type{};
  if (!messaging::ParseMsgType(name, type)) {
    return core::MakeError(ErrorKind::kInvalidMsgType,
                           "msgtype \"" + Truncate(name, 32) + "\" is not one WeCom defines");
  }
  if (appchat && !AppchatTakes(type)) {
    return core::MakeError(ErrorKind::kInvalidMsgType,
                           "appchat/send does not take msgtype " + name);
  }
  auto safe = IntField(request, "safe", ErrorKind::kInvalidParameter);
  if (!safe) return Invalid("safe must be a number");
  if (type == MsgType::kNews && safe->value_or(0) != 0) {
    return core::MakeError(ErrorKind::kNewsSafeUnsupported,
                           "news messages cannot be safe; send mpnews instead");
  }

  const json::value* in = request.if_contains(name);
  if (in == nullptr || in->is_null()) {
    return core::MakeError(ErrorKind::kEmptyContent, name + " is missing");
  }
  if (!in->is_object()) return Invalid(name + " must be an object");

  Content out;
  out.type = type;
  json::object body;
  CORPHUB_TRY(DecodeBody(type, in->get_object(), name, body, out));
  Write(json::value(std::move(body)), out.body_json);
  return out;
}

}  // namespace corphub::api
