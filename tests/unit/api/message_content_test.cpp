// message/send and appchat/send bodies (reference §5): each msgtype's object checked with WeCom's
// rules and re-encoded with only its documented fields.
#include "api/message_content.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "messaging/content.hpp"

namespace corphub::core {
// Error kinds by name ("invalid_parameter") in failure messages.
inline void PrintTo(ErrorKind kind, std::ostream* os) { *os << InfoOf(kind).code; }
}  // namespace corphub::core

namespace corphub::api {
namespace {

using core::ErrorKind;
using messaging::Content;
using messaging::MsgType;

core::Result<Content> Decode(std::string_view request, bool appchat = false) {
  return DecodeMessageContent(boost::json::parse(request).as_object(), appchat);
}

std::optional<ErrorKind> KindOf(std::string_view request, bool appchat = false) {
  auto r = Decode(request, appchat);
  if (r.ok()) return std::nullopt;
  return r.error().kind;
}

std::string MessageOf(std::string_view request) {
  auto r = Decode(request);
  return r.ok() ? std::string("(ok)") : r.error().message;
}

// The body_json of a request that must decode.
std::string Body(std::string_view request) {
  auto r = Decode(request);
  if (!r.ok()) {
    ADD_FAILURE() << "decode failed: " << r.error().message;
    return {};
  }
  return r->body_json;
}

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// {"msgtype":"<type>","<type>":<body>}
std::string Request(std::string_view type, std::string_view body) {
  return std::string(R"({"msgtype":")") + std::string(type) + R"(",")" + std::string(type) +
         R"(":)" + std::string(body) + "}";
}

std::string Text(std::string_view content) {
  return Request("text", R"({"content":")" + std::string(content) + R"("})");
}

// ---- msgtype names -------------------------------------------------------------------------

TEST(MsgTypeNameTest, EveryTypeRoundTrips) {
  for (auto type : {MsgType::kText, MsgType::kImage, MsgType::kVoice, MsgType::kVideo,
                    MsgType::kFile, MsgType::kTextCard, MsgType::kNews, MsgType::kMpNews,
                    MsgType::kMarkdown, MsgType::kMiniprogramNotice, MsgType::kTemplateCard}) {
    MsgType parsed = MsgType::kText;
    ASSERT_TRUE(messaging::ParseMsgType(messaging::MsgTypeName(type), parsed))
        << messaging::MsgTypeName(type);
    EXPECT_EQ(parsed, type);
  }
  EXPECT_EQ(messaging::MsgTypeName(MsgType::kMiniprogramNotice), "miniprogram_notice");
  EXPECT_EQ(messaging::MsgTypeName(MsgType::kTemplateCard), "template_card");
  EXPECT_EQ(messaging::MsgTypeName(MsgType::kMpNews), "mpnews");
}

TEST(MsgTypeNameTest, UnknownNamesDoNotParse) {
  MsgType out = MsgType::kImage;
  EXPECT_FALSE(messaging::ParseMsgType("", out));
  EXPECT_FALSE(messaging::ParseMsgType("Text", out));
  EXPECT_FALSE(messaging::ParseMsgType("task_card", out));
  EXPECT_FALSE(messaging::ParseMsgType("text ", out));
  EXPECT_EQ(out, MsgType::kImage);
}

// ---- the legacy taskcard (go-workwx's SendTaskCardMessage) ---------------------------------

TEST(DecodeMessageContentTest, TaskCardKeepsItsButtons) {
  EXPECT_EQ(
      Body(
          R"({"msgtype":"taskcard","taskcard":{"title":"审批","description":"请假",)"
          R"("url":"https://oa/1","task_id":"t-1","x":1,"btn":[{"key":"yes","name":"同意",)"
          R"("replace_name":"已同意","color":"red","is_bold":true},{"key":"no","name":"驳回"}]}})"),
      R"({"title":"审批","description":"请假","url":"https://oa/1","task_id":"t-1",)"
      R"("btn":[{"key":"yes","name":"同意","replace_name":"已同意","color":"red",)"
      R"("is_bold":true},{"key":"no","name":"驳回"}]})");
}

TEST(DecodeMessageContentTest, TaskCardNeedsItsTitleTaskAndOneOrTwoButtons) {
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"description":"d","task_id":"t",)"
                   R"("btn":[{"key":"k","name":"n"}]}})"),
            ErrorKind::kMissingTitle);
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"title":"t","description":"d",)"
                   R"("btn":[{"key":"k","name":"n"}]}})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"title":"t","description":"d",)"
                   R"("task_id":"t","btn":[]}})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"title":"t","description":"d",)"
                   R"("task_id":"t","btn":[{"key":"a","name":"n"},{"key":"b","name":"n"},)"
                   R"({"key":"c","name":"n"}]}})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"title":"t","description":"d",)"
                   R"("task_id":"t t","btn":[{"key":"k","name":"n"}]}})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"taskcard","taskcard":{"title":"t","description":"d",)"
                   R"("task_id":"t","btn":[{"key":"k","name":"n"}]}})",
                   true),
            ErrorKind::kInvalidMsgType)
      << "appchat/send does not take task cards";
}

// ---- msgtype and the type's object ---------------------------------------------------------

TEST(DecodeMessageContentTest, MsgTypeMissingOrUnknownIsInvalidMsgType) {
  EXPECT_EQ(KindOf(R"({"text":{"content":"hi"}})"), ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":1,"text":{"content":"hi"}})"), ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":null})"), ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":"","":{"content":"hi"}})"), ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":"sms","sms":{"content":"hi"}})"), ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":"task_card","task_card":{"title":"t"}})"),
            ErrorKind::kInvalidMsgType);
  EXPECT_EQ(KindOf(R"({"msgtype":"TEXT","TEXT":{"content":"hi"}})"), ErrorKind::kInvalidMsgType);
}

TEST(DecodeMessageContentTest, MissingTypeObjectIsEmptyContent) {
  EXPECT_EQ(KindOf(R"({"msgtype":"text"})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":null})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"image"})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"news"})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"template_card"})"), ErrorKind::kEmptyContent);
  // Another type's object does not count.
  EXPECT_EQ(KindOf(R"({"msgtype":"text","markdown":{"content":"hi"}})"), ErrorKind::kEmptyContent);
}

TEST(DecodeMessageContentTest, TypeObjectOfAnotherJsonTypeIsInvalidParameter) {
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":"hi"})"), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":["hi"]})"), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"image","image":"m1"})"), ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, SafeMayBeANumericString) {
  EXPECT_TRUE(Decode(R"({"msgtype":"text","text":{"content":"hi"},"safe":"1"})").ok());
  EXPECT_TRUE(Decode(R"({"msgtype":"text","text":{"content":"hi"},"safe":""})").ok());
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":"hi"},"safe":"yes"})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":"hi"},"safe":[0]})"),
            ErrorKind::kInvalidParameter);
}

// ---- text and markdown ---------------------------------------------------------------------

TEST(DecodeMessageContentTest, TextKeepsOnlyContent) {
  auto r = Decode(
      R"({"touser":"u1","msgtype":"text","agentid":"1000002",)"
      R"("text":{"content":"Holiday <a href=\"http://x\">request</a>","mentioned_list":["@all"]},)"
      R"("safe":0,"enable_id_trans":0})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kText);
  EXPECT_EQ(r->body_json, R"({"content":"Holiday <a href=\"http://x\">request</a>"})");
  EXPECT_EQ(r->preview, R"(Holiday <a href="http://x">request</a>)");
  EXPECT_TRUE(r->media.empty());
  EXPECT_FALSE(r->wants_response_code);
}

TEST(DecodeMessageContentTest, TextEscapesAndKeepsUtf8) {
  EXPECT_EQ(Body(Text(R"(第一行\n\"引号\"\\ \t\u0001)")),
            R"({"content":"第一行\n\"引号\"\\ \t\u0001"})");
}

TEST(DecodeMessageContentTest, TextContentNumberIsTakenAsText) {
  EXPECT_EQ(Body(R"({"msgtype":"text","text":{"content":12345}})"), R"({"content":"12345"})");
}

TEST(DecodeMessageContentTest, TextWithoutContentIsEmptyContent) {
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{}})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":""}})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":null}})"), ErrorKind::kEmptyContent);
  EXPECT_EQ(MessageOf(R"({"msgtype":"text","text":{}})"), "text.content is required");
}

TEST(DecodeMessageContentTest, TextContentOfAnotherJsonTypeIsInvalidParameter) {
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":{"a":1}}})"),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"text","text":{"content":true}})"), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(R"({"msgtype":"text","text":{"content":["a"]}})"),
            "text.content must be a string");
}

TEST(DecodeMessageContentTest, TextContentUpTo2048Bytes) {
  EXPECT_TRUE(Decode(Text(Repeat("a", 2048))).ok());
  EXPECT_EQ(KindOf(Text(Repeat("a", 2049))), ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(Text(Repeat("a", 2049))), "text.content is longer than 2048 bytes");
  // Bytes, not characters: 682 three-byte characters and two ASCII ones make 2048 bytes.
  EXPECT_TRUE(Decode(Text(Repeat("中", 682) + "ab")).ok());
  EXPECT_EQ(KindOf(Text(Repeat("中", 683))), ErrorKind::kContentTooLong);
}

TEST(DecodeMessageContentTest, MarkdownIsLikeText) {
  auto r = Decode(Request("markdown", R"({"content":"# 标题\n> 引用","extra":1})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kMarkdown);
  EXPECT_EQ(r->body_json, R"({"content":"# 标题\n> 引用"})");
  EXPECT_EQ(r->preview, "# 标题\n> 引用");
  EXPECT_EQ(KindOf(Request("markdown", R"({"content":""})")), ErrorKind::kEmptyContent);
  EXPECT_TRUE(Decode(Request("markdown", R"({"content":")" + Repeat("x", 2048) + "\"}")).ok());
  EXPECT_EQ(KindOf(Request("markdown", R"({"content":")" + Repeat("x", 2049) + "\"}")),
            ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(Request("markdown", R"({"content":")" + Repeat("x", 2049) + "\"}")),
            "markdown.content is longer than 2048 bytes");
}

// ---- preview -------------------------------------------------------------------------------

TEST(DecodeMessageContentTest, PreviewIsAtMost60CodePoints) {
  std::string sixty = Repeat("企业微信", 15);  // 60 characters, 180 bytes
  auto exact = Decode(Text(sixty));
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->preview, sixty);

  auto longer = Decode(Text(sixty + "消息"));
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->preview, sixty);
  EXPECT_EQ(longer->preview.size(), 180u);

  // Mixed widths: 59 ASCII, then a 4-byte emoji (the 60th), then more.
  auto mixed = Decode(Text(Repeat("a", 59) + "😀中文"));
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->preview, Repeat("a", 59) + "😀");

  // The full content stays in the body.
  EXPECT_EQ(longer->body_json, R"({"content":")" + sixty + "消息\"}");
}

// ---- image, voice, file, video -------------------------------------------------------------

TEST(DecodeMessageContentTest, MediaTypesNameTheirMedia) {
  struct Case {
    std::string_view msgtype;
    MsgType type;
    std::string_view media_type;
  };
  for (const Case& c :
       {Case{"image", MsgType::kImage, "image"}, Case{"voice", MsgType::kVoice, "voice"},
        Case{"file", MsgType::kFile, ""}}) {
    auto r = Decode(Request(c.msgtype, R"({"media_id":"MEDIA_1","thumb_media_id":"x"})"));
    ASSERT_TRUE(r.ok()) << c.msgtype << ": " << r.error().message;
    EXPECT_EQ(r->type, c.type);
    EXPECT_EQ(r->body_json, R"({"media_id":"MEDIA_1"})");
    ASSERT_EQ(r->media.size(), 1u);
    EXPECT_EQ(r->media[0].media_id, "MEDIA_1");
    EXPECT_EQ(r->media[0].type, c.media_type);
    EXPECT_EQ(r->preview, "");
  }
}

TEST(DecodeMessageContentTest, MediaTypesWithoutMediaIdAreMissingMediaId) {
  for (std::string_view type : {"image", "voice", "file", "video"}) {
    EXPECT_EQ(KindOf(Request(type, "{}")), ErrorKind::kMissingMediaId) << type;
    EXPECT_EQ(KindOf(Request(type, R"({"media_id":""})")), ErrorKind::kMissingMediaId) << type;
    EXPECT_EQ(KindOf(Request(type, R"({"media_id":{}})")), ErrorKind::kInvalidParameter) << type;
  }
  EXPECT_EQ(MessageOf(Request("voice", "{}")), "voice.media_id is required");
}

TEST(DecodeMessageContentTest, Video) {
  auto r = Decode(Request(
      "video", R"({"description":"描述","title":"标题","media_id":"V1","thumb_media_id":"T1"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kVideo);
  EXPECT_EQ(r->body_json, R"({"media_id":"V1","title":"标题","description":"描述"})");
  EXPECT_EQ(r->preview, "标题");
  ASSERT_EQ(r->media.size(), 1u);
  EXPECT_EQ(r->media[0].media_id, "V1");
  EXPECT_EQ(r->media[0].type, "video");

  // title and description are optional; "" is dropped (go-workwx sends every field).
  EXPECT_EQ(Body(Request("video", R"({"media_id":"V1","title":"","description":""})")),
            R"({"media_id":"V1"})");
}

TEST(DecodeMessageContentTest, VideoLimits) {
  auto video = [](std::string_view title, std::string_view description) {
    return Request("video", R"({"media_id":"V1","title":")" + std::string(title) +
                                R"(","description":")" + std::string(description) + "\"}");
  };
  EXPECT_TRUE(Decode(video(Repeat("t", 128), Repeat("d", 512))).ok());
  EXPECT_EQ(KindOf(video(Repeat("t", 129), "")), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(video("", Repeat("d", 513))), ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(video("", Repeat("d", 513))), "video.description is longer than 512 bytes");
}

// ---- textcard ------------------------------------------------------------------------------

std::string TextCard(std::string_view members) { return Request("textcard", members); }

TEST(DecodeMessageContentTest, TextCard) {
  auto r =
      Decode(TextCard(R"({"btntxt":"更多","url":"https://example.com/a?b=1","title":"领奖通知",)"
                      R"("description":"<div class=\"gray\">2016年9月26日</div>","picurl":"x"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kTextCard);
  EXPECT_EQ(r->body_json,
            R"({"title":"领奖通知","description":"<div class=\"gray\">2016年9月26日</div>",)"
            R"("url":"https://example.com/a?b=1","btntxt":"更多"})");
  EXPECT_EQ(r->preview, "领奖通知");
  EXPECT_TRUE(r->media.empty());
  // Without btntxt (the client shows 详情).
  EXPECT_EQ(Body(TextCard(R"({"title":"t","description":"d","url":"u","btntxt":""})")),
            R"({"title":"t","description":"d","url":"u"})");
}

TEST(DecodeMessageContentTest, TextCardRequiredFields) {
  EXPECT_EQ(KindOf(TextCard(R"({"description":"d","url":"u"})")), ErrorKind::kMissingTitle);
  EXPECT_EQ(KindOf(TextCard(R"({"title":"","description":"d","url":"u"})")),
            ErrorKind::kMissingTitle);
  EXPECT_EQ(KindOf(TextCard(R"({"title":"t","url":"u"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(TextCard(R"({"title":"t","description":"d"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(TextCard(R"({"title":"t","description":"d"})")), "textcard.url is required");
  EXPECT_EQ(KindOf(TextCard(R"({"title":["t"],"description":"d","url":"u"})")),
            ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, TextCardLimits) {
  auto card = [](std::string_view title, std::string_view description, std::string_view url,
                 std::string_view btntxt) {
    return TextCard(R"({"title":")" + std::string(title) + R"(","description":")" +
                    std::string(description) + R"(","url":")" + std::string(url) +
                    R"(","btntxt":")" + std::string(btntxt) + "\"}");
  };
  EXPECT_TRUE(Decode(card(Repeat("t", 128), Repeat("d", 512), Repeat("u", 2048), "更多详情")).ok());
  EXPECT_EQ(KindOf(card(Repeat("t", 129), "d", "u", "")), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(card("t", Repeat("d", 513), "u", "")), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(card("t", "d", Repeat("u", 2049), "")), ErrorKind::kContentTooLong);
  // btntxt counts characters: four Chinese ones (12 bytes) fit, five do not.
  EXPECT_EQ(KindOf(card("t", "d", "u", "更多详情啊")), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(card("t", "d", "u", "abcde")), ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(card("t", "d", "u", "abcde")), "textcard.btntxt is longer than 4 characters");
  // 128 bytes of Chinese is 42 characters and two bytes: 43 characters are 129 bytes.
  EXPECT_EQ(KindOf(card(Repeat("标", 43), "d", "u", "")), ErrorKind::kContentTooLong);
}

// ---- news ----------------------------------------------------------------------------------

std::string News(std::string_view articles, std::string_view extra = "") {
  return R"({"msgtype":"news","news":{"articles":)" + std::string(articles) + "}" +
         std::string(extra) + "}";
}

std::string Articles(std::string_view article, std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) out += (i ? "," : "") + std::string(article);
  return out + "]";
}

TEST(DecodeMessageContentTest, News) {
  auto r = Decode(News(R"([{"picurl":"http://p/1.png","url":"http://a/1","description":"第一篇",)"
                       R"("title":"中秋节礼品领取",)"
                       R"("btntxt":"更多"},)"
                       R"({"title":"小程序","appid":"wx123","pagepath":"pages/index","url":""}])",
                       R"(,"safe":"0")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kNews);
  EXPECT_EQ(r->body_json,
            R"({"articles":[{"title":"中秋节礼品领取","description":"第一篇","url":"http://a/1",)"
            R"("picurl":"http://p/1.png"},{"title":"小程序","appid":"wx123",)"
            R"("pagepath":"pages/index"}]})");
  EXPECT_EQ(r->preview, "中秋节礼品领取");
  EXPECT_TRUE(r->media.empty());
}

TEST(DecodeMessageContentTest, NewsTakesOneToEightArticles) {
  const std::string article = R"({"title":"t","url":"u"})";
  EXPECT_TRUE(Decode(News(Articles(article, 1))).ok());
  EXPECT_TRUE(Decode(News(Articles(article, 8))).ok());
  EXPECT_EQ(KindOf(News(Articles(article, 9))), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(News(Articles(article, 9))), "news.articles must hold 1 to 8 items, not 9");
  EXPECT_EQ(KindOf(News("[]")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(R"({"msgtype":"news","news":{}})"), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(News(article)), ErrorKind::kInvalidParameter);  // an object, not a list
  EXPECT_EQ(KindOf(News(R"(["t"])")), ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, NewsArticleRules) {
  EXPECT_EQ(KindOf(News(R"([{"url":"u"}])")), ErrorKind::kMissingTitle);
  EXPECT_EQ(MessageOf(News(R"([{"title":"a","url":"u"},{"url":"u"}])")),
            "news.articles[1].title is required");
  // A url, or an appid with its pagepath.
  EXPECT_EQ(KindOf(News(R"([{"title":"t"}])")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(News(R"([{"title":"t","appid":"wx1"}])")), ErrorKind::kInvalidParameter);
  EXPECT_TRUE(Decode(News(R"([{"title":"t","appid":"wx1","pagepath":"p"}])")).ok());
  EXPECT_TRUE(Decode(News(R"([{"title":"t","url":7}])")).ok());  // a number is its text
}

TEST(DecodeMessageContentTest, NewsArticleLimits) {
  auto article = [](std::string_view field, std::size_t n) {
    return News(R"([{"title":"t","url":"u",")" + std::string(field) + R"(":")" + Repeat("x", n) +
                "\"}]");
  };
  EXPECT_TRUE(Decode(article("title", 128)).ok());
  EXPECT_EQ(KindOf(article("title", 129)), ErrorKind::kContentTooLong);
  EXPECT_TRUE(Decode(article("description", 512)).ok());
  EXPECT_EQ(KindOf(article("description", 513)), ErrorKind::kContentTooLong);
  EXPECT_TRUE(Decode(article("url", 2048)).ok());
  EXPECT_EQ(KindOf(article("url", 2049)), ErrorKind::kContentTooLong);
  EXPECT_TRUE(Decode(article("picurl", 2048)).ok());
  EXPECT_EQ(KindOf(article("picurl", 2049)), ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(article("picurl", 2049)),
            "news.articles[0].picurl is longer than 2048 bytes");
  EXPECT_TRUE(Decode(article("pagepath", 128)).ok());
  EXPECT_EQ(KindOf(article("pagepath", 129)), ErrorKind::kContentTooLong);
}

TEST(DecodeMessageContentTest, NewsCannotBeSafe) {
  const std::string articles = R"([{"title":"t","url":"u"}])";
  EXPECT_EQ(KindOf(News(articles, R"(,"safe":1)")), ErrorKind::kNewsSafeUnsupported);
  EXPECT_EQ(KindOf(News(articles, R"(,"safe":"1")")), ErrorKind::kNewsSafeUnsupported);
  EXPECT_EQ(KindOf(News(articles, R"(,"safe":2)")), ErrorKind::kNewsSafeUnsupported);
  EXPECT_TRUE(Decode(News(articles, R"(,"safe":0)")).ok());
  EXPECT_TRUE(Decode(News(articles, R"(,"safe":"0")")).ok());
  EXPECT_TRUE(Decode(News(articles, R"(,"safe":null)")).ok());
  EXPECT_EQ(KindOf(News(articles, R"(,"safe":"x")")), ErrorKind::kInvalidParameter);
  // Before the body is looked at.
  EXPECT_EQ(KindOf(R"({"msgtype":"news","safe":1})"), ErrorKind::kNewsSafeUnsupported);
}

// ---- mpnews --------------------------------------------------------------------------------

std::string MpNews(std::string_view articles, std::string_view extra = "") {
  return R"({"msgtype":"mpnews","mpnews":{"articles":)" + std::string(articles) + "}" +
         std::string(extra) + "}";
}

TEST(DecodeMessageContentTest, MpNews) {
  auto r = Decode(
      MpNews(R"([{"show_cover_pic":"1","digest":"摘要","content":"<p>正文</p>",)"
             R"("content_source_url":"http://s",)"
             R"("author":"张三","thumb_media_id":"THUMB1","title":"标题一","need_open_comment":1},)"
             R"({"title":"标题二","thumb_media_id":"THUMB2","content":"c2","show_cover_pic":true},)"
             R"({"title":"标题三","thumb_media_id":"THUMB1","content":"c3","author":""}])",
             R"(,"safe":2)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kMpNews);
  EXPECT_EQ(r->body_json,
            R"({"articles":[{"title":"标题一","thumb_media_id":"THUMB1","author":"张三",)"
            R"("content_source_url":"http://s","content":"<p>正文</p>","digest":"摘要",)"
            R"("show_cover_pic":1},)"
            R"({"title":"标题二","thumb_media_id":"THUMB2","content":"c2","show_cover_pic":1},)"
            R"({"title":"标题三","thumb_media_id":"THUMB1","content":"c3"}]})");
  EXPECT_EQ(r->preview, "标题一");
  // Each thumbnail once, as an image.
  ASSERT_EQ(r->media.size(), 2u);
  EXPECT_EQ(r->media[0].media_id, "THUMB1");
  EXPECT_EQ(r->media[0].type, "image");
  EXPECT_EQ(r->media[1].media_id, "THUMB2");
  EXPECT_EQ(r->media[1].type, "image");
}

TEST(DecodeMessageContentTest, MpNewsArticleRules) {
  const std::string ok = R"({"title":"t","thumb_media_id":"m","content":"c"})";
  EXPECT_TRUE(Decode(MpNews(Articles(ok, 8))).ok());
  EXPECT_EQ(KindOf(MpNews(Articles(ok, 9))), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(MpNews("[]")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(MpNews(R"([{"thumb_media_id":"m","content":"c"}])")), ErrorKind::kMissingTitle);
  EXPECT_EQ(KindOf(MpNews(R"([{"title":"t","content":"c"}])")), ErrorKind::kMissingMediaId);
  EXPECT_EQ(MessageOf(MpNews(R"([{"title":"t","content":"c"}])")),
            "mpnews.articles[0].thumb_media_id is required");
  EXPECT_EQ(KindOf(MpNews(R"([{"title":"t","thumb_media_id":"m"}])")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(MpNews(R"([{"title":"t","thumb_media_id":"m","content":"c",)"
                          R"("show_cover_pic":"yes"}])")),
            ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, MpNewsLimits) {
  auto article = [](std::string_view field, std::size_t n) {
    std::string base = R"({"title":"t","thumb_media_id":"m","content":"c")";
    return MpNews("[" + base + R"(,")" + std::string(field) + R"(":")" + Repeat("x", n) + "\"}]");
  };
  EXPECT_TRUE(Decode(article("content", 666 * 1024)).ok());
  EXPECT_EQ(KindOf(article("content", 666 * 1024 + 1)), ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(article("content", 666 * 1024 + 1)),
            "mpnews.articles[0].content is longer than 681984 bytes");
  EXPECT_TRUE(Decode(article("author", 64)).ok());
  EXPECT_EQ(KindOf(article("author", 65)), ErrorKind::kContentTooLong);
  EXPECT_TRUE(Decode(article("digest", 512)).ok());
  EXPECT_EQ(KindOf(article("digest", 513)), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(article("title", 129)), ErrorKind::kContentTooLong);
}

// ---- miniprogram_notice --------------------------------------------------------------------

std::string Notice(std::string_view members) { return Request("miniprogram_notice", members); }

TEST(DecodeMessageContentTest, MiniprogramNotice) {
  auto r = Decode(Notice(
      R"({"content_item":[{"key":"会议室","value":"402","color":"red"},)"
      R"({"key":"会议时间","value":"2018年8月1日 09:00-09:30"}],)"
      R"("emphasis_first_item":"true","description":"4月27日 16:16","title":"会议室预订成功通知",)"
      R"("page":"pages/index?userid=zhangsan&orderid=123123123","appid":"wx123123123123123"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kMiniprogramNotice);
  EXPECT_EQ(
      r->body_json,
      R"({"appid":"wx123123123123123","page":"pages/index?userid=zhangsan&orderid=123123123",)"
      R"("title":"会议室预订成功通知","description":"4月27日 16:16","emphasis_first_item":true,)"
      R"("content_item":[{"key":"会议室","value":"402"},)"
      R"({"key":"会议时间","value":"2018年8月1日 09:00-09:30"}]})");
  EXPECT_EQ(r->preview, "会议室预订成功通知");
  EXPECT_TRUE(r->media.empty());

  EXPECT_EQ(Body(Notice(R"({"appid":"wx1","title":"会议通知啊","emphasis_first_item":0})")),
            R"({"appid":"wx1","title":"会议通知啊","emphasis_first_item":false})");
  EXPECT_EQ(Body(Notice(R"({"appid":"wx1","title":"会议通知啊","emphasis_first_item":"1"})")),
            R"({"appid":"wx1","title":"会议通知啊","emphasis_first_item":true})");
}

TEST(DecodeMessageContentTest, MiniprogramNoticeRules) {
  EXPECT_EQ(KindOf(Notice(R"({"title":"会议通知"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1"})")), ErrorKind::kMissingTitle);
  // title and description: 4 to 12 characters.
  EXPECT_TRUE(Decode(Notice(R"({"appid":"wx1","title":"会议通知"})")).ok());
  EXPECT_TRUE(Decode(Notice(R"({"appid":"wx1","title":")" + Repeat("会", 12) + "\"}")).ok());
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1","title":")" + Repeat("会", 13) + "\"}")),
            ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1","title":"会议"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(Notice(R"({"appid":"wx1","title":"会议"})")),
            "miniprogram_notice.title is shorter than 4 characters");
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1","title":"会议通知","description":"短"})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1","title":"会议通知","description":")" +
                          Repeat("长", 13) + "\"}")),
            ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(Notice(R"({"appid":"wx1","title":"会议通知","emphasis_first_item":"maybe"})")),
            ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, MiniprogramNoticeContentItems) {
  auto notice = [](std::string_view items) {
    return Notice(R"({"appid":"wx1","title":"会议通知","content_item":)" + std::string(items) +
                  "}");
  };
  const std::string item = R"({"key":"k","value":"v"})";
  EXPECT_TRUE(Decode(notice(Articles(item, 10))).ok());
  EXPECT_EQ(KindOf(notice(Articles(item, 11))), ErrorKind::kInvalidParameter);
  EXPECT_TRUE(Decode(notice(R"([{"key":")" + Repeat("键", 10) + R"(","value":")" +
                            Repeat("值", 30) + "\"}]"))
                  .ok());
  EXPECT_EQ(KindOf(notice(R"([{"key":")" + Repeat("键", 11) + R"(","value":"v"}])")),
            ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(notice(R"([{"key":"k","value":")" + Repeat("值", 31) + "\"}]")),
            ErrorKind::kContentTooLong);
  EXPECT_EQ(MessageOf(notice(R"([{"key":"k","value":")" + Repeat("值", 31) + "\"}]")),
            "miniprogram_notice.content_item[0].value is longer than 30 characters");
  EXPECT_EQ(KindOf(notice(R"([{"key":"k"}])")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(notice(R"({"key":"k","value":"v"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(notice(R"(["k"])")), ErrorKind::kInvalidParameter);
}

// ---- template_card -------------------------------------------------------------------------

std::string Card(std::string_view members) { return Request("template_card", members); }

TEST(DecodeMessageContentTest, TemplateCardTextNotice) {
  auto r = Decode(Card(
      R"({"card_type":"text_notice","unknown":{"a":1},)"
      R"("source":{"icon_url":"http://i","desc":"企业微信","desc_color":"1","size":3},)"
      R"("main_title":{"title":"欢迎使用企业微信","desc":"您的好友正在邀请您加入企业微信"},)"
      R"("emphasis_content":{"title":"100","desc":"核心数据"},)"
      R"("quote_area":{"type":1,"url":"http://q","title":"引用","quote_text":"文本"},)"
      R"("sub_title_text":"下载企业微信还能抢红包！",)"
      R"("horizontal_content_list":[{"keyname":"邀请人","value":"张三"},)"
      R"({"type":"2","keyname":"企业微信下载","value":"企业微信.apk","media_id":"FILE1","x":1},)"
      R"({"type":3,"keyname":"员工信息","value":"点击查看","userid":"zhangsan"}],)"
      R"("jump_list":[{"type":1,"title":"企业微信官网","url":"https://work.weixin.qq.com"}],)"
      R"("card_action":{"type":1,"url":"https://work.weixin.qq.com","appid":"","pagepath":""},)"
      R"("card_image":{"url":"http://img","aspect_ratio":"1.3"},)"
      R"("task_id":"task_id-1@x"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, MsgType::kTemplateCard);
  EXPECT_EQ(r->body_json,
            R"({"card_type":"text_notice",)"
            R"("source":{"icon_url":"http://i","desc":"企业微信","desc_color":1},)"
            R"("main_title":{"title":"欢迎使用企业微信","desc":"您的好友正在邀请您加入企业微信"},)"
            R"("quote_area":{"type":1,"url":"http://q","title":"引用","quote_text":"文本"},)"
            R"("emphasis_content":{"title":"100","desc":"核心数据"},)"
            R"("sub_title_text":"下载企业微信还能抢红包！",)"
            R"("horizontal_content_list":[{"keyname":"邀请人","value":"张三"},)"
            R"({"type":2,"keyname":"企业微信下载","value":"企业微信.apk","media_id":"FILE1"},)"
            R"({"type":3,"keyname":"员工信息","value":"点击查看","userid":"zhangsan"}],)"
            R"("jump_list":[{"type":1,"title":"企业微信官网","url":"https://work.weixin.qq.com"}],)"
            R"("card_action":{"type":1,"url":"https://work.weixin.qq.com"},)"
            R"("card_image":{"url":"http://img","aspect_ratio":1.3},"task_id":"task_id-1@x"})");
  EXPECT_EQ(r->preview, "欢迎使用企业微信");
  EXPECT_FALSE(r->wants_response_code);
  ASSERT_EQ(r->media.size(), 1u);
  EXPECT_EQ(r->media[0].media_id, "FILE1");
  EXPECT_EQ(r->media[0].type, "");
}

TEST(DecodeMessageContentTest, TemplateCardTextNoticeRules) {
  const std::string action = R"("card_action":{"type":1,"url":"u"})";
  EXPECT_TRUE(
      Decode(Card(R"({"card_type":"text_notice","sub_title_text":"s",)" + action + "}")).ok());
  // The preview falls back to sub_title_text.
  auto sub =
      Decode(Card(R"({"card_type":"text_notice","sub_title_text":"二级文本",)" + action + "}"));
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->preview, "二级文本");
  // card_action is required (an empty one counts as missing), with a url for type 1.
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","sub_title_text":"s"})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(Card(R"({"card_type":"text_notice","sub_title_text":"s"})")),
            "template_card.card_action is required for text_notice");
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","sub_title_text":"s","card_action":{}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","sub_title_text":"s",)"
                        R"("card_action":{"type":1}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","sub_title_text":"s",)"
                        R"("card_action":{"type":2,"appid":"wx1"}})")),
            std::nullopt);
  // main_title.title or sub_title_text.
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","main_title":{"desc":"d"},)" + action + "}")),
            ErrorKind::kInvalidParameter);
  // action_menu needs a task_id.
  EXPECT_EQ(KindOf(Card(R"({"card_type":"text_notice","sub_title_text":"s",)"
                        R"("action_menu":{"desc":"d","action_list":[{"text":"t","key":"k"}]},)" +
                        action + "}")),
            ErrorKind::kInvalidParameter);
  EXPECT_TRUE(Decode(Card(R"({"card_type":"text_notice","sub_title_text":"s","task_id":"t1",)"
                          R"("action_menu":{"desc":"d","action_list":[{"text":"t","key":"k"}]},)" +
                          action + "}"))
                  .ok());
}

TEST(DecodeMessageContentTest, TemplateCardLists) {
  auto card = [](std::string_view list, std::string_view item, std::size_t n) {
    return Card(
        R"({"card_type":"text_notice","sub_title_text":"s","card_action":{"type":1,"url":"u"},")" +
        std::string(list) + R"(":)" + Articles(item, n) + "}");
  };
  const std::string h = R"({"keyname":"k","value":"v"})";
  EXPECT_TRUE(Decode(card("horizontal_content_list", h, 6)).ok());
  EXPECT_EQ(KindOf(card("horizontal_content_list", h, 7)), ErrorKind::kInvalidParameter);
  const std::string j = R"({"type":1,"title":"t","url":"u"})";
  EXPECT_TRUE(Decode(card("jump_list", j, 3)).ok());
  EXPECT_EQ(KindOf(card("jump_list", j, 4)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(card("jump_list", j, 4)),
            "template_card.jump_list must hold at most 3 items, not 4");
  const std::string v = R"({"title":"t","desc":"d"})";
  EXPECT_TRUE(Decode(card("vertical_content_list", v, 4)).ok());
  EXPECT_EQ(KindOf(card("vertical_content_list", v, 5)), ErrorKind::kInvalidParameter);
  // An attachment needs its media_id.
  EXPECT_EQ(KindOf(card("horizontal_content_list", R"({"type":2,"keyname":"k"})", 1)),
            ErrorKind::kMissingMediaId);
  EXPECT_EQ(KindOf(card("horizontal_content_list", R"({"type":1,"keyname":"k"})", 1)),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(card("horizontal_content_list", R"({"value":"v"})", 1)),
            ErrorKind::kInvalidParameter);
  // Media named twice is listed once.
  auto twice =
      Decode(card("horizontal_content_list", R"({"type":2,"keyname":"k","media_id":"F"})", 2));
  ASSERT_TRUE(twice.ok()) << twice.error().message;
  EXPECT_EQ(twice->media.size(), 1u);
}

TEST(DecodeMessageContentTest, TemplateCardFieldsOfAnotherJsonTypeAreInvalid) {
  const std::string base =
      R"("card_type":"text_notice","sub_title_text":"s","card_action":{"type":1,"url":"u"})";
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"main_title":"t"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(Card("{" + base + R"(,"main_title":"t"})")),
            "template_card.main_title must be an object");
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"horizontal_content_list":{}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"jump_list":["x"]})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"source":{"desc_color":"red"}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(Card("{" + base + R"(,"source":{"desc_color":"red"}})")),
            "template_card.source.desc_color must be a number");
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"card_image":{"url":"u","aspect_ratio":"wide"}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"card_image":{"url":"u","aspect_ratio":"inf"}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"card_image":{"url":"u","aspect_ratio":"nan"}})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card("{" + base + R"(,"sub_title_text":{"a":1}})")),
            ErrorKind::kInvalidParameter);
  // Unknown members may have any type.
  EXPECT_EQ(Body(Card("{" + base +
                      R"(,"whatever":[1,{"x":null}],"card_image":{"url":"u","aspect_ratio":2}})")),
            R"({"card_type":"text_notice","sub_title_text":"s","card_action":{"type":1,"url":"u"},)"
            R"("card_image":{"url":"u","aspect_ratio":2}})");
}

TEST(DecodeMessageContentTest, TemplateCardType) {
  EXPECT_EQ(KindOf(Card(R"({"sub_title_text":"s"})")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":"taskcard","sub_title_text":"s"})")),
            ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":1})")), ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, TemplateCardNewsNotice) {
  auto r =
      Decode(Card(R"({"card_type":"news_notice","main_title":{"title":"图文展示"},)"
                  R"("image_text_area":{"type":1,"url":"http://a","title":"t","desc":"d",)"
                  R"("image_url":"http://i"},)"
                  R"("vertical_content_list":[{"title":"惊喜红包等你来拿","desc":"下载企业微信"}],)"
                  R"("card_action":{"type":2,"appid":"wx1","pagepath":"index"}})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body_json,
            R"({"card_type":"news_notice","main_title":{"title":"图文展示"},)"
            R"("card_action":{"type":2,"appid":"wx1","pagepath":"index"},)"
            R"("image_text_area":{"type":1,"url":"http://a","title":"t","desc":"d",)"
            R"("image_url":"http://i"},)"
            R"("vertical_content_list":[{"title":"惊喜红包等你来拿","desc":"下载企业微信"}]})");
  EXPECT_EQ(r->preview, "图文展示");
  EXPECT_FALSE(r->wants_response_code);

  const std::string action = R"("card_action":{"type":1,"url":"u"})";
  EXPECT_EQ(
      KindOf(Card(R"({"card_type":"news_notice","sub_title_text":"s","card_image":{"url":"i"},)" +
                  action + "}")),
      ErrorKind::kInvalidParameter);
  EXPECT_EQ(
      KindOf(Card(R"({"card_type":"news_notice","main_title":{"title":"t"},)" + action + "}")),
      ErrorKind::kInvalidParameter);
  EXPECT_EQ(
      KindOf(Card(
          R"({"card_type":"news_notice","main_title":{"title":"t"},"card_image":{"url":"i"}})")),
      ErrorKind::kInvalidParameter);
}

std::string Buttons(std::size_t n, std::string_view task_id = R"("task_id":"T1",)") {
  return Card(R"({"card_type":"button_interaction","main_title":{"title":"审批"},)" +
              std::string(task_id) + R"("button_list":)" +
              Articles(R"({"text":"同意","style":1,"key":"agree"})", n) + "}");
}

TEST(DecodeMessageContentTest, TemplateCardButtonInteraction) {
  auto r = Decode(Buttons(2));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->wants_response_code);
  EXPECT_EQ(r->preview, "审批");
  EXPECT_EQ(r->body_json,
            R"({"card_type":"button_interaction","main_title":{"title":"审批"},"task_id":"T1",)"
            R"("button_list":[{"text":"同意","style":1,"key":"agree"},)"
            R"({"text":"同意","style":1,"key":"agree"}]})");
  EXPECT_TRUE(Decode(Buttons(6)).ok());
  EXPECT_EQ(KindOf(Buttons(7)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Buttons(0)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Buttons(1, "")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(MessageOf(Buttons(1, "")), "template_card.task_id is required for button_interaction");
  // A button calls back with its key, or opens its url.
  EXPECT_EQ(KindOf(Card(R"({"card_type":"button_interaction","task_id":"T",)"
                        R"("button_list":[{"text":"t"}]})")),
            ErrorKind::kInvalidParameter);
  EXPECT_TRUE(Decode(Card(R"({"card_type":"button_interaction","task_id":"T",)"
                          R"("button_list":[{"type":1,"text":"t","url":"u"}]})"))
                  .ok());
}

TEST(DecodeMessageContentTest, TemplateCardTaskId) {
  auto with = [](std::string_view id) {
    return Buttons(1, R"("task_id":")" + std::string(id) + "\",");
  };
  EXPECT_TRUE(Decode(with("Az09_-@")).ok());
  EXPECT_TRUE(Decode(with(Repeat("t", 128))).ok());
  EXPECT_EQ(KindOf(with(Repeat("t", 129))), ErrorKind::kContentTooLong);
  EXPECT_EQ(KindOf(with("task id")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(with("task.1")), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(with("任务")), ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, TemplateCardVoteInteraction) {
  auto vote = [](std::size_t options, bool submit) {
    return Card(R"({"card_type":"vote_interaction","main_title":{"title":"投票"},"task_id":"T",)"
                R"("checkbox":{"question_key":"q","mode":"1","option_list":)" +
                Articles(R"({"id":"o","text":"选项","is_checked":"true"})", options) + "}" +
                (submit ? R"(,"submit_button":{"text":"提交","key":"s"})" : "") + "}");
  };
  auto r = Decode(vote(1, true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->wants_response_code);
  EXPECT_EQ(
      r->body_json,
      R"({"card_type":"vote_interaction","main_title":{"title":"投票"},"task_id":"T",)"
      R"("checkbox":{"question_key":"q","option_list":[{"id":"o","text":"选项","is_checked":true}],)"
      R"("mode":1},"submit_button":{"text":"提交","key":"s"}})");
  EXPECT_TRUE(Decode(vote(20, true)).ok());
  EXPECT_EQ(KindOf(vote(21, true)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(vote(0, true)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(vote(1, false)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":"vote_interaction","task_id":"T",)"
                        R"("submit_button":{"text":"提交","key":"s"}})")),
            ErrorKind::kInvalidParameter);
}

TEST(DecodeMessageContentTest, TemplateCardMultipleInteraction) {
  auto multiple = [](std::size_t selects, bool submit) {
    return Card(
        R"({"card_type":"multiple_interaction","main_title":{"title":"多选"},"task_id":"T",)"
        R"("select_list":)" +
        Articles(R"({"question_key":"q","title":"t","option_list":[{"id":"a","text":"A"}]})",
                 selects) +
        (submit ? R"(,"submit_button":{"text":"提交","key":"s"})" : "") + "}");
  };
  auto r = Decode(multiple(3, true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->wants_response_code);
  EXPECT_EQ(KindOf(multiple(4, true)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(multiple(0, true)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(multiple(1, false)), ErrorKind::kInvalidParameter);
  EXPECT_EQ(KindOf(Card(R"({"card_type":"multiple_interaction","task_id":"T",)"
                        R"("select_list":[{"question_key":"q","option_list":[]}],)"
                        R"("submit_button":{"key":"s"}})")),
            ErrorKind::kInvalidParameter);
}

// ---- appchat/send --------------------------------------------------------------------------

// One valid request of each type.
const std::vector<std::pair<std::string_view, std::string>>& Valid() {
  static const std::vector<std::pair<std::string_view, std::string>> kValid = {
      {"text", Text("hi")},
      {"image", Request("image", R"({"media_id":"m"})")},
      {"voice", Request("voice", R"({"media_id":"m"})")},
      {"video", Request("video", R"({"media_id":"m"})")},
      {"file", Request("file", R"({"media_id":"m"})")},
      {"textcard", Request("textcard", R"({"title":"t","description":"d","url":"u"})")},
      {"news", News(R"([{"title":"t","url":"u"}])")},
      {"mpnews", MpNews(R"([{"title":"t","thumb_media_id":"m","content":"c"}])")},
      {"markdown", Request("markdown", R"({"content":"**hi**"})")},
      {"miniprogram_notice", Notice(R"({"appid":"wx1","title":"会议通知"})")},
      {"template_card", Buttons(1)},
  };
  return kValid;
}

TEST(DecodeMessageContentTest, AppchatTakesNineTypes) {
  for (const auto& [type, request] : Valid()) {
    auto send = Decode(request, false);
    EXPECT_TRUE(send.ok()) << type << ": " << send.error().message;
    bool appchat_type = type != "miniprogram_notice" && type != "template_card";
    auto appchat = Decode(request, true);
    if (appchat_type) {
      EXPECT_TRUE(appchat.ok()) << type;
    } else {
      ASSERT_FALSE(appchat.ok()) << type;
      EXPECT_EQ(appchat.error().kind, ErrorKind::kInvalidMsgType) << type;
    }
  }
}

TEST(DecodeMessageContentTest, OnlyInteractionCardsWantAResponseCode) {
  for (const auto& [type, request] : Valid()) {
    auto r = Decode(request);
    ASSERT_TRUE(r.ok()) << type;
    EXPECT_EQ(r->wants_response_code, type == "template_card") << type;
  }
}

}  // namespace
}  // namespace corphub::api
