#include "net/http_message.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace corphub::net {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// ---- PercentDecode ----

TEST(PercentDecodeTest, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(PercentDecode("%E4%BD%A0%e5%a5%bd"), "你好");
  EXPECT_EQ(PercentDecode("a%2Fb%20c"), "a/b c");
  EXPECT_EQ(PercentDecode("plain"), "plain");
  EXPECT_EQ(PercentDecode(""), "");
  EXPECT_EQ(PercentDecode("%00"), std::string("\0", 1));
  EXPECT_EQ(PercentDecode("%2541"), "%41");  // decoded once only
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a%2Bb", true), "a+b");
}

TEST(PercentDecodeTest, RefusesMalformedEscapes) {
  for (const char* bad : {"%", "%4", "abc%", "abc%4", "%zz", "%4g", "%g4", "%%41", "a%-1"}) {
    EXPECT_EQ(PercentDecode(bad), std::nullopt) << bad;
  }
}

TEST(PercentDecodeTest, LeavesRawUtf8Alone) {
  EXPECT_EQ(PercentDecode("/成员/张三"), "/成员/张三");
}

// ---- ParseQuery ----

TEST(ParseQueryTest, SplitsPairsInOrderKeepingDuplicates) {
  EXPECT_EQ(ParseQuery("a=1&b=2&a=3"), (Pairs{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
  EXPECT_EQ(ParseQuery(""), Pairs{});
}

TEST(ParseQueryTest, SkipsEmptyPairs) {
  EXPECT_EQ(ParseQuery("&a=1"), (Pairs{{"a", "1"}}));
  EXPECT_EQ(ParseQuery("a=1&&b=2&"), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(ParseQuery("&&&"), Pairs{});
}

TEST(ParseQueryTest, DecodesKeysAndValuesWithPlusAsSpace) {
  EXPECT_EQ(ParseQuery("q=hello+world&name=%E5%BC%A0%E4%B8%89&a+b=c%2Bd"),
            (Pairs{{"q", "hello world"}, {"name", "张三"}, {"a b", "c+d"}}));
}

TEST(ParseQueryTest, KeepsRawUtf8) {
  EXPECT_EQ(ParseQuery("name=张三&city=北京"), (Pairs{{"name", "张三"}, {"city", "北京"}}));
}

TEST(ParseQueryTest, HandlesMissingValuesAndExtraEquals) {
  EXPECT_EQ(ParseQuery("flag&x=&y=1=2"), (Pairs{{"flag", ""}, {"x", ""}, {"y", "1=2"}}));
}

TEST(ParseQueryTest, DropsPairsWithEmptyKeysOrMalformedEscapes) {
  EXPECT_EQ(ParseQuery("=orphan&bad=%zz&%zz=1&ok=1"), (Pairs{{"ok", "1"}}));
}

// ---- Request ----

TEST(RequestTest, QueryFindsTheFirstDecodedValue) {
  Request req;
  req.query = "&access_token=A%2BB&userid=zhang+san&userid=second&empty=";
  EXPECT_EQ(req.Query("access_token"), "A+B");
  EXPECT_EQ(req.Query("userid"), "zhang san");
  EXPECT_EQ(req.Query("empty"), "");  // present but empty is not missing
  EXPECT_EQ(req.Query("missing"), std::nullopt);
  EXPECT_EQ(req.Query("Access_token"), std::nullopt);
}

TEST(RequestTest, HeaderFindsTheFirstByLowerCaseName) {
  Request req;
  req.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("x-a"), "1");
  EXPECT_EQ(req.Header("accept"), "");
}

// ---- Response ----

TEST(ResponseTest, ErrorIsAJsonObjectWithCodeAndMessage) {
  Response r = Response::Error(404, "not_found", "no user \"zhang\\san\"\nat all");
  EXPECT_EQ(r.status, 404);
  bool json_type = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type") json_type = v.starts_with("application/json");
  }
  EXPECT_TRUE(json_type);
  boost::system::error_code ec;
  auto doc = boost::json::parse(r.body, ec);
  ASSERT_FALSE(ec) << r.body;
  ASSERT_TRUE(doc.is_object()) << r.body;
  const auto& obj = doc.as_object();
  EXPECT_EQ(obj.size(), 2u) << r.body;
  const auto& err = obj;
  EXPECT_EQ(err.at("code").as_string(), "not_found");
  EXPECT_EQ(err.at("message").as_string(), "no user \"zhang\\san\"\nat all");
}

TEST(ResponseTest, SetReplacesAnExistingHeader) {
  Response r = Response::Text(200, "hi");
  r.Set("Content-Type", "text/html").Set("X-One", "1").Set("X-One", "2");
  int content_types = 0;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type") {
      ++content_types;
      EXPECT_EQ(v, "text/html");
    }
    if (k == "X-One") {
      EXPECT_EQ(v, "2");
    }
  }
  EXPECT_EQ(content_types, 1);
  EXPECT_EQ(r.headers.size(), 2u);
}

TEST(ResponseTest, JsonAndTextSetTheirContentTypes) {
  Response j = Response::Json(201, "{}");
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.body, "{}");
  ASSERT_EQ(j.headers.size(), 1u);
  EXPECT_EQ(j.headers[0].second, "application/json; charset=utf-8");
  Response t = Response::Text(503, "busy");
  ASSERT_EQ(t.headers.size(), 1u);
  EXPECT_EQ(t.headers[0].second, "text/plain; charset=utf-8");
}

TEST(ReasonPhraseTest, KnowsTheStatusesWeSend) {
  EXPECT_EQ(ReasonPhrase(200), "OK");
  EXPECT_EQ(ReasonPhrase(304), "Not Modified");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(405), "Method Not Allowed");
  EXPECT_EQ(ReasonPhrase(413), "Content Too Large");
  EXPECT_EQ(ReasonPhrase(503), "Service Unavailable");
  EXPECT_EQ(ReasonPhrase(599), "");
}

}  // namespace
}  // namespace corphub::net
