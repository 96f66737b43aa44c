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
#include "api/message_fields.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace corphub::api {
namespace {

using namespace content;  // NOLINT(google-build-using-namespace): this file's own helpers

// ---- text, markdown and the media types ----------------------------------------------------

core::Status DecodeContent(const Fields& f, json::object& body, Content& out) {
  auto content = f.Required("content", Bytes(kContentBytes), ErrorKind::kEmptyContent);
  if (!content) return std::move(content).error();
  out.preview = TruncateChars(*content, kPreviewChars);
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
  out.preview = TruncateChars(*title, kPreviewChars);
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
  out.preview = TruncateChars(*title, kPreviewChars);
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
    if (encoded.empty())
      out.preview = TruncateChars(article->at("title").get_string(), kPreviewChars);
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
  out.preview = TruncateChars(*title, kPreviewChars);
  body.emplace("appid", std::move(*appid));
  PutString(body, "page", *page);
  body.emplace("title", std::move(*title));
  PutString(body, "description", *description);
  if (*emphasis) body.emplace("emphasis_first_item", **emphasis);
  if (!encoded_items.empty()) body.emplace("content_item", std::move(encoded_items));
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
  out.preview = TruncateChars(*title, kPreviewChars);
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
                           "msgtype \"" + TruncateChars(name, 32) + "\" is not one WeCom defines");
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
