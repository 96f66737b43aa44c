#include "core/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace corphub::core {
namespace {

// ---- RedactTarget ----

TEST(RedactTargetTest, MasksTheCorpSecret) {
  EXPECT_EQ(RedactTarget("/cgi-bin/gettoken?corpid=ww123&corpsecret=s3cr3t"),
            "/cgi-bin/gettoken?corpid=ww123&corpsecret=***");
}

TEST(RedactTargetTest, MasksAccessTokenAndPasswordKeepingOtherParams) {
  EXPECT_EQ(RedactTarget("/cgi-bin/user/get?access_token=TOKEN123&userid=zhangsan"),
            "/cgi-bin/user/get?access_token=***&userid=zhangsan");
  EXPECT_EQ(RedactTarget("/login?user=alice&password=hunter2hunter2&next=%2Fhome"),
            "/login?user=alice&password=***&next=%2Fhome");
}

TEST(RedactTargetTest, MasksEveryOccurrence) {
  const std::string out = RedactTarget("/x?access_token=AAA&access_token=BBB");
  EXPECT_EQ(out, "/x?access_token=***&access_token=***");
}

TEST(RedactTargetTest, MasksOtherSecretBearingParams) {
  const std::string out =
      RedactTarget("/cb?secret=S1&code=C1&token=T1&ticket=K1&key=Y1&sig=G1&msg_signature=ok");
  for (const char* leaked : {"S1", "C1", "T1", "K1", "Y1", "G1"}) {
    EXPECT_EQ(out.find(leaked), std::string::npos) << leaked << " in " << out;
  }
  EXPECT_NE(out.find("msg_signature=ok"), std::string::npos) << out;
}

TEST(RedactTargetTest, LeavesATargetWithoutQueryAlone) {
  EXPECT_EQ(RedactTarget("/cgi-bin/gettoken"), "/cgi-bin/gettoken");
  EXPECT_EQ(RedactTarget("/"), "/");
  EXPECT_EQ(RedactTarget(""), "");
}

TEST(RedactTargetTest, KeepsNonSecretParamsVerbatim) {
  EXPECT_EQ(RedactTarget("/a?x=1&y=&z"), "/a?x=1&y=&z");
  EXPECT_EQ(RedactTarget("/a?"), "/a?");
}

TEST(RedactTargetTest, ToleratesEmptyPairs) {
  EXPECT_EQ(RedactTarget("/a?&access_token=T&&b=2"), "/a?&access_token=***&&b=2");
}

TEST(RedactTargetTest, OnlyExactNamesAreSecret) {
  // "tokens" and "my_password" are not secret names; "access_token" with no '=' has no value.
  EXPECT_EQ(RedactTarget("/a?tokens=5&my_password=x&access_token"),
            "/a?tokens=5&my_password=x&access_token");
}

// Handlers see percent-decoded names ("corp%73ecret" is corpsecret), so redaction decodes too.
TEST(RedactTargetTest, MasksPercentEncodedSecretNames) {
  const std::string out = RedactTarget("/cgi-bin/gettoken?corpid=ww1&corp%73ecret=LEAKED");
  EXPECT_EQ(out.find("LEAKED"), std::string::npos) << out;
  const std::string out2 = RedactTarget("/cgi-bin/user/get?access%5Ftoken=LEAKED2");
  EXPECT_EQ(out2.find("LEAKED2"), std::string::npos) << out2;
}

// A name that cannot be decoded could be anything: only the path is kept.
TEST(RedactTargetTest, CutsAMalformedTargetAtTheQuery) {
  const std::string out = RedactTarget("/cgi-bin/gettoken?corp%zzsecret=LEAKED&corpid=ww1");
  EXPECT_TRUE(out == "/cgi-bin/gettoken" || out == "/cgi-bin/gettoken?") << out;
}

// ---- JsonEscape ----

TEST(JsonEscapeTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(JsonEscape(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(JsonEscape(R"(C:\dir\f)"), R"(C:\\dir\\f)");
}

TEST(JsonEscapeTest, EscapesCommonControlCharacters) {
  EXPECT_EQ(JsonEscape("a\nb\rc\td"), "a\\nb\\rc\\td");
}

TEST(JsonEscapeTest, EscapesOtherControlCharactersAsUnicode) {
  EXPECT_EQ(JsonEscape(std::string("\x01", 1)), "\\u0001");
  EXPECT_EQ(JsonEscape(std::string("\x1f", 1)), "\\u001f");
  EXPECT_EQ(JsonEscape(std::string("\x08\x0c", 2)), "\\u0008\\u000c");
  EXPECT_EQ(JsonEscape(std::string("a\0b", 3)), "a\\u0000b");
}

TEST(JsonEscapeTest, LeavesPlainTextAndUtf8Untouched) {
  EXPECT_EQ(JsonEscape(""), "");
  EXPECT_EQ(JsonEscape("hello world /path?x=1"), "hello world /path?x=1");
  EXPECT_EQ(JsonEscape("你好，世界 😀 café"), "你好，世界 😀 café");
}

// Every ASCII byte, escaped and wrapped in quotes, parses back (by Boost.JSON) to itself.
TEST(JsonEscapeTest, RoundTripsThroughAJsonParser) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  all += "张三 ✓ 😀";
  const std::string literal = "\"" + JsonEscape(all) + "\"";
  boost::system::error_code ec;
  auto parsed = boost::json::parse(literal, ec);
  ASSERT_FALSE(ec) << ec.message() << " in " << literal;
  ASSERT_TRUE(parsed.is_string());
  EXPECT_EQ(std::string(parsed.as_string()), all);
}

// Invalid UTF-8 must not make the JSON invalid (paths are decoded before they are echoed).
TEST(JsonEscapeTest, OutputIsValidJsonEvenForInvalidUtf8) {
  for (const std::string& bad :
       {std::string("/cgi-bin/\xff"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
        std::string("\x80"
                    "abc")}) {
    const std::string literal = "\"" + JsonEscape(bad) + "\"";
    boost::system::error_code ec;
    boost::json::parse(literal, ec);
    EXPECT_FALSE(ec) << ec.message() << " for input of " << bad.size() << " bytes";
  }
}

}  // namespace
}  // namespace corphub::core
