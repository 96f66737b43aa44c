#include "core/thread_role.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace corphub::core {
namespace {

TEST(ThreadRoleTest, AFreshThreadIsNotAnIoThread) {
  bool is_io = true;
  bool threw = true;
  std::thread t([&] {
    is_io = IsIoThread();
    try {
      AssertNotIoThread("db.Query");
      threw = false;
    } catch (const std::logic_error&) {
    }
  });
  t.join();
  EXPECT_FALSE(is_io);
  EXPECT_FALSE(threw);
}

TEST(ThreadRoleTest, AssertThrowsOnAMarkedThreadNamingTheCall) {
  bool is_io = false;
  std::string message;
  bool threw_logic_error = false;
  std::thread t([&] {
    MarkIoThread();
    is_io = IsIoThread();
    try {
      AssertNotIoThread("AdminRepository::Insert");
    } catch (const std::logic_error& e) {
      threw_logic_error = true;
      message = e.what();
    }
  });
  t.join();
  EXPECT_TRUE(is_io);
  EXPECT_TRUE(threw_logic_error);
  EXPECT_NE(message.find("AdminRepository::Insert"), std::string::npos) << message;
}

TEST(ThreadRoleTest, MarkingIsPerThread) {
  std::thread marked([] { MarkIoThread(); });
  marked.join();
  // This thread (the test's) was never marked, and neither is a new one.
  EXPECT_FALSE(IsIoThread());
  EXPECT_NO_THROW(AssertNotIoThread("x"));
  bool other_is_io = true;
  std::thread fresh([&] { other_is_io = IsIoThread(); });
  fresh.join();
  EXPECT_FALSE(other_is_io);
}

}  // namespace
}  // namespace corphub::core
