#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace corphub::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ManualClockTest, StartsAtAFixedInstant) {
  ManualClock clock;
  EXPECT_EQ(UnixSeconds(clock.Now()), 1'700'000'000);
  EXPECT_EQ(clock.Now(), clock.Now());
}

TEST(ManualClockTest, StartsWhereTold) {
  ManualClock clock(TimePoint{seconds{86400}});
  EXPECT_EQ(UnixSeconds(clock.Now()), 86400);
}

TEST(ManualClockTest, SetMovesToTheInstant) {
  ManualClock clock;
  clock.Set(TimePoint{seconds{42}});
  EXPECT_EQ(clock.Now(), TimePoint{seconds{42}});
  clock.Set(TimePoint{seconds{2'000'000'000}});  // forwards and backwards alike
  EXPECT_EQ(UnixSeconds(clock.Now()), 2'000'000'000);
}

TEST(ManualClockTest, AdvanceAddsDurations) {
  ManualClock clock(TimePoint{seconds{100}});
  const TimePoint start = clock.Now();
  clock.Advance(seconds{5});
  EXPECT_EQ(clock.Now() - start, seconds{5});
  clock.Advance(milliseconds{1500});
  EXPECT_EQ(clock.Now() - start, milliseconds{6500});
  EXPECT_EQ(UnixSeconds(clock.Now()), 106);  // truncated to whole seconds
  clock.Advance(std::chrono::nanoseconds{1});
  EXPECT_EQ(clock.Now() - start, milliseconds{6500} + std::chrono::nanoseconds{1});
}

TEST(ManualClockTest, WorksThroughTheClockInterface) {
  ManualClock manual;
  const Clock& clock = manual;
  const TimePoint before = clock.Now();
  manual.Advance(std::chrono::hours{1});
  EXPECT_EQ(clock.Now() - before, std::chrono::hours{1});
}

}  // namespace
}  // namespace corphub::core
