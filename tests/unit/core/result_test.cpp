#include "core/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace corphub::core {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return MakeError(ErrorKind::kInvalidArgument, "odd: " + std::to_string(n));
  return n / 2;
}

// Uses CORPHUB_TRY in a Status-returning function; `reached` proves where control went.
Status HalveInto(int n, int& out, bool& reached) {
  CORPHUB_TRY(Half(n));
  reached = true;
  out = *Half(n);
  return Ok();
}

// CORPHUB_TRY on a Status inside a Result<T>-returning function.
Result<std::string> Describe(const Status& precondition) {
  CORPHUB_TRY(precondition);
  return std::string("fine");
}

TEST(ResultTest, HoldsAValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  r.value() = 7;
  EXPECT_EQ(*r, 7);
}

TEST(ResultTest, ArrowReachesTheValue) {
  Result<std::string> r = std::string("hello");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 5u);
  const Result<std::string>& cr = r;
  EXPECT_EQ(cr->front(), 'h');
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r = MakeError(ErrorKind::kNotFound, "no user 7");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(r.error().message, "no user 7");
  EXPECT_EQ(r.error().WecomCode(), 46004);
  EXPECT_EQ(r.error().HttpStatus(), 404);
  EXPECT_EQ(r.error().Code(), "not_found");
}

TEST(ResultTest, MovesAMoveOnlyValueOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, MovesTheErrorOut) {
  Result<int> r = MakeError(ErrorKind::kConflict, std::string(100, 'm'));
  Error e = std::move(r).error();
  EXPECT_EQ(e.kind, ErrorKind::kConflict);
  EXPECT_EQ(e.message, std::string(100, 'm'));
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(Ok().ok());
  EXPECT_TRUE(static_cast<bool>(Ok()));
}

TEST(StatusTest, HoldsAnError) {
  Status s = MakeError(ErrorKind::kUnavailable, "database down");
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(s.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(s.error().message, "database down");
  Error moved = std::move(s).error();
  EXPECT_EQ(moved.message, "database down");
}

TEST(StatusTest, DefaultErrorKindIsInternal) {
  Error e;
  EXPECT_EQ(e.kind, ErrorKind::kInternal);
  EXPECT_EQ(e.HttpStatus(), 500);
}

TEST(CorphubTryTest, ContinuesOnSuccess) {
  int out = 0;
  bool reached = false;
  Status s = HalveInto(10, out, reached);
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(reached);
  EXPECT_EQ(out, 5);
}

TEST(CorphubTryTest, ReturnsTheErrorEarly) {
  int out = -1;
  bool reached = false;
  Status s = HalveInto(7, out, reached);
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(reached);
  EXPECT_EQ(out, -1);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(s.error().message, "odd: 7");
}

TEST(CorphubTryTest, PropagatesAStatusIntoAResult) {
  Result<std::string> good = Describe(Ok());
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, "fine");

  Result<std::string> bad = Describe(MakeError(ErrorKind::kPermissionDenied, "nope"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kPermissionDenied);
  EXPECT_EQ(bad.error().message, "nope");
}

TEST(CorphubTryTest, EvaluatesItsExpressionOnce) {
  int calls = 0;
  auto f = [&]() -> Status {
    CORPHUB_TRY([&]() -> Status {
      ++calls;
      return MakeError(ErrorKind::kInternal, "x");
    }());
    return Ok();
  };
  EXPECT_FALSE(f().ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace corphub::core
