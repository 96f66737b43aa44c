#include <gtest/gtest.h>

#include "core/rate_limiter.hpp"
#include "identity/device_name.hpp"
#include "identity/registration_service.hpp"
#include "identity/verification_service.hpp"

namespace corphub::identity {
namespace {

using std::chrono::seconds;

TEST(DeviceNameTest, NamesTheBrowserAndTheSystem) {
  EXPECT_EQ(DeviceName("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) Chrome/126.0 Mobile Safari/537.36"),
            "Chrome on Android");
  EXPECT_EQ(
      DeviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
      "Safari on iPhone");
  EXPECT_EQ(DeviceName("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) Chrome/126.0 Safari/537.36 Edg/126.0"),
            "Edge on Windows");
  EXPECT_EQ(DeviceName("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/116.0 Mobile "
                       "Safari/537.36 MicroMessenger/8.0.47"),
            "WeChat on Android");
  EXPECT_EQ(DeviceName("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 "
                       "Firefox/127.0"),
            "Firefox on macOS");
  EXPECT_EQ(DeviceName("curl/8.0"), "curl/8.0");
  EXPECT_EQ(DeviceName(""), "unknown");
}

TEST(MaskTest, ShowsEnoughToRecogniseAndNoMore) {
  EXPECT_EQ(VerificationService::MaskMobile("13800001111"), "138****1111");
  EXPECT_EQ(VerificationService::MaskMobile("+8613800001111"), "+86*******1111");
  EXPECT_EQ(VerificationService::MaskMobile("1234567"), "*****67");
  EXPECT_EQ(VerificationService::MaskEmail("zhangsan@example.com"), "z***@example.com");
  EXPECT_EQ(VerificationService::MaskEmail("broken"), "***");
}

TEST(WindowLimiterTest, CountsPerKeyAndForgetsAfterTheWindow) {
  core::ManualClock clock;
  core::WindowLimiter limiter(2, seconds(60));
  const auto t0 = clock.Now();
  EXPECT_EQ(limiter.RetryAfter("a", t0), 0);
  limiter.Count("a", t0);
  limiter.Count("a", t0 + seconds(10));
  EXPECT_EQ(limiter.RetryAfter("a", t0 + seconds(10)), 50);
  EXPECT_EQ(limiter.RetryAfter("b", t0 + seconds(10)), 0);
  EXPECT_EQ(limiter.RetryAfter("a", t0 + seconds(60)), 0);
  limiter.Count("a", t0 + seconds(60));
  EXPECT_EQ(limiter.RetryAfter("a", t0 + seconds(60)), 0) << "a new window, one event in it";
}

TEST(WindowLimiterTest, StaysBoundedWhenFull) {
  core::ManualClock clock;
  core::WindowLimiter limiter(1, seconds(60), 2);
  const auto t0 = clock.Now();
  limiter.Count("a", t0);
  limiter.Count("b", t0);
  limiter.Count("c", t0);  // full of live windows: not counted
  EXPECT_EQ(limiter.RetryAfter("c", t0), 0);
  EXPECT_GT(limiter.RetryAfter("a", t0), 0);
  limiter.Count("c", t0 + seconds(61));  // the old windows ended and are dropped
  EXPECT_GT(limiter.RetryAfter("c", t0 + seconds(61)), 0);
}

}  // namespace
}  // namespace corphub::identity

namespace corphub::identity {
namespace {

TEST(RegistrationRulesTest, UseridStemsComeFromThePinyinOfTheName) {
  EXPECT_EQ(RegistrationService::UseridStem("张三丰"), "zhangsanfeng");
  EXPECT_EQ(RegistrationService::UseridStem("Li Lei"), "lilei");
  EXPECT_EQ(RegistrationService::UseridStem("欧阳娜娜2"), "ouyangnana2");
  EXPECT_EQ(RegistrationService::UseridStem("José"), "jos") << "only what a userid may hold";
  EXPECT_EQ(RegistrationService::UseridStem("・・"), "member");
  EXPECT_EQ(RegistrationService::UseridStem(std::string(100, 'a')).size(), 60u);
}

TEST(RegistrationRulesTest, StatusNamesRoundTrip) {
  for (auto s : {RegistrationStatus::kPending, RegistrationStatus::kApproved,
                 RegistrationStatus::kRejected}) {
    EXPECT_EQ(ParseRegistrationStatus(RegistrationStatusName(s)), s);
  }
  EXPECT_FALSE(ParseRegistrationStatus("all"));
}

TEST(RegistrationRulesTest, TheRejectionSaysWhyInBothLanguages) {
  Registration r;
  r.name = "王五";
  r.email = "w@example.com";
  r.mobile = "13800138000";
  r.reason = "请用学校邮箱";
  auto mail = RegistrationService::RejectionMail(r, "示例大学");
  EXPECT_EQ(mail.to, "w@example.com");
  EXPECT_NE(mail.subject.find("未通过"), std::string::npos);
  EXPECT_NE(mail.text.find("原因：请用学校邮箱"), std::string::npos);
  EXPECT_NE(mail.text.find("The reason given: 请用学校邮箱"), std::string::npos);
  auto sms = RegistrationService::RejectionSms(r, "示例大学");
  EXPECT_EQ(sms.mobile, "13800138000");
  EXPECT_EQ(sms.text.rfind("【示例大学】王五", 0), 0u);
  EXPECT_NE(sms.text.find("（请用学校邮箱）"), std::string::npos);
  r.reason.clear();
  EXPECT_EQ(RegistrationService::RejectionMail(r, "示例大学").text.find("原因"), std::string::npos);
}

}  // namespace
}  // namespace corphub::identity
