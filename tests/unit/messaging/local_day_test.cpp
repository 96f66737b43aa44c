// message/get_statistics counts "today" and "yesterday" in the server's time zone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "messaging/receipt_service.hpp"

namespace corphub::messaging {
namespace {

class LocalDayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
  }
  void TearDown() override {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  static void Use(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
  std::optional<std::string> saved_;
};

// 2026-12-01 10:00:00 UTC.
constexpr std::int64_t kMorningUtc = 1796119200;

TEST_F(LocalDayTest, TodayInChinaStartsAtSixteenHundredUtcTheDayBefore) {
  Use("CST-8");  // UTC+8, no daylight saving: the POSIX spelling needs no tz database
  const auto [from, to] = LocalDay(core::FromUnixSeconds(kMorningUtc), 0);
  EXPECT_EQ(core::UnixSeconds(from), 1796054400);  // 2026-11-30 16:00 UTC
  EXPECT_EQ(core::UnixSeconds(to), 1796054400 + 86400);
}

TEST_F(LocalDayTest, YesterdayIsTheDayBeforeAndADayLong) {
  Use("UTC0");
  const auto [from, to] = LocalDay(core::FromUnixSeconds(kMorningUtc), 1);
  EXPECT_EQ(core::UnixSeconds(from), 1796083200 - 86400);  // 2026-11-30 00:00 UTC
  EXPECT_EQ(core::UnixSeconds(to), 1796083200);
}

TEST_F(LocalDayTest, ADayWithADaylightSavingChangeIsNotTwentyFourHours) {
  Use("CET-1CEST,M3.5.0,M10.5.0/3");  // central Europe: 2026-03-29 has 23 hours
  // 2026-03-29 12:00 UTC.
  const auto [from, to] = LocalDay(core::FromUnixSeconds(1774785600), 0);
  EXPECT_EQ(core::UnixSeconds(to) - core::UnixSeconds(from), 23 * 3600);
}

}  // namespace
}  // namespace corphub::messaging
