#include "notify/outbound.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "crypto/encoding.hpp"
#include "notify/mail_text.hpp"

namespace corphub::notify {
namespace {

TEST(MailAddressTest, TakesTheAddressAndRefusesHeaderInjection) {
  EXPECT_EQ(MailAddress("corphub <noreply@example.com>"), "noreply@example.com");
  EXPECT_EQ(MailAddress("noreply@example.com"), "noreply@example.com");
  EXPECT_EQ(MailAddress("\"企业门户\" < a@b.cn >"), "a@b.cn");
  EXPECT_FALSE(MailAddress("a@b.cn\r\nBcc: x@y.z"));
  EXPECT_FALSE(MailAddress("no-at-sign"));
  EXPECT_FALSE(MailAddress("a@"));
  EXPECT_FALSE(MailAddress("x <a@b.cn"));
}

TEST(EncodeHeaderWordTest, LeavesAsciiAloneAndSplitsLongUtf8AtCharacters) {
  EXPECT_EQ(EncodeHeaderWord("Your code"), "Your code");
  const std::string zh = "验证码";
  EXPECT_EQ(EncodeHeaderWord(zh), "=?UTF-8?B?" + crypto::Base64Encode(zh) + "?=");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "码";  // 120 bytes
  const std::string out = EncodeHeaderWord(many);
  std::string joined;
  std::size_t at = 0;
  while ((at = out.find("=?UTF-8?B?", at)) != std::string::npos) {
    auto end = out.find("?=", at);
    const std::string word = out.substr(at, end + 2 - at);
    EXPECT_LE(word.size(), 75u);
    auto part = crypto::Base64Decode(word.substr(10, word.size() - 12));
    ASSERT_TRUE(part);
    EXPECT_EQ(part->size() % 3, 0u) << "a word holds whole characters";
    joined += *part;
    at = end;
  }
  EXPECT_EQ(joined, many);
}

TEST(BuildMailTest, WritesHeadersAndABase64BodyWithCrlf) {
  Mail m{"zhangsan@example.com", "总公司 验证码", "第一行\n第二行 123456\n"};
  const std::string text =
      BuildMail("企业门户 <noreply@corp.cn>", m, core::FromUnixSeconds(1764547200), "abc");
  EXPECT_NE(text.find("Date: Mon, 01 Dec 2025 00:00:00 +0000\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find(" <noreply@corp.cn>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: <zhangsan@example.com>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <abc@corp.cn>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: base64\r\n\r\n"), std::string::npos);
  const std::string body = text.substr(text.find("\r\n\r\n") + 4);
  std::string b64;
  for (char c : body) {
    if (c != '\r' && c != '\n') b64 += c;
  }
  EXPECT_EQ(crypto::Base64Decode(b64), "第一行\r\n第二行 123456\r\n");
}

TEST(FillSmsBodyTest, EscapesForJsonOrForms) {
  SmsOptions json;
  Sms sms{"13800001111", "【总公司】\"code\" 123456"};
  EXPECT_EQ(FillSmsBody(json, sms),
            R"({"mobile":"13800001111","text":"【总公司】\"code\" 123456"})");
  SmsOptions form;
  form.content_type = "application/x-www-form-urlencoded";
  form.body = "to={mobile}&msg={text}&sign=x";
  EXPECT_EQ(FillSmsBody(form, Sms{"+86 138", "a&b=c"}), "to=%2B86%20138&msg=a%26b%3Dc&sign=x");
}

TEST(MakeMailerTest, RefusesIncompleteSettings) {
  MailOptions o;
  o.driver = "smtp";
  o.smtp_url = "http://mail";
  o.from = "a@b.cn";
  EXPECT_EQ(MakeMailer(o, "/tmp").error().kind, core::ErrorKind::kInvalidArgument);
  o.smtp_url = "smtp://mail:25";
  o.from = "";
  EXPECT_EQ(MakeMailer(o, "/tmp").error().kind, core::ErrorKind::kInvalidArgument);
  o.driver = "pigeon";
  EXPECT_FALSE(MakeMailer(o, "/tmp").ok());
  SmsOptions s;
  s.driver = "http";
  s.url = "ftp://x";
  EXPECT_FALSE(MakeSmsSender(s, "/tmp").ok());
}

TEST(FileOutboxTest, AppendsOneJsonLinePerMessageReadableOnlyByTheServer) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("corphub-outbox-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto sms = MakeSmsSender(SmsOptions{}, dir);
  ASSERT_TRUE(sms.ok());
  ASSERT_TRUE((*sms)->Send(Sms{"13800001111", "code 1"}).ok());
  ASSERT_TRUE((*sms)->Send(Sms{"13800002222", "code 2"}).ok());
  std::ifstream in(dir / "sms.log");
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_NE(line.find("\"mobile\":\"1380000"), std::string::npos) << line;
  }
  EXPECT_EQ(lines, 2);
  auto perms = std::filesystem::status(dir / "sms.log").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
  MailOptions off_options;
  off_options.driver = "off";
  auto off = MakeMailer(off_options, dir);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE((*off)->Enabled());
  EXPECT_EQ((*off)->Send(Mail{}).error().kind, core::ErrorKind::kChannelUnavailable);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace corphub::notify
