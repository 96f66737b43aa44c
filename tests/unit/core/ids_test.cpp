#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace corphub::core {
namespace {

TEST(SequenceIdGeneratorTest, CountsUpAndPadsToTheLength) {
  SequenceIdGenerator ids;
  EXPECT_EQ(ids.Token(6), "t1xxxx");
  EXPECT_EQ(ids.Token(6), "t2xxxx");
  EXPECT_EQ(ids.Token(2), "t3");
  EXPECT_EQ(ids.Token(10), "t4xxxxxxxx");
}

TEST(SequenceIdGeneratorTest, TokensHaveTheRequestedLengthAndAlphabet) {
  SequenceIdGenerator ids;
  for (std::size_t len : {4u, 16u, 32u, 43u}) {
    std::string t = ids.Token(len);
    EXPECT_EQ(t.size(), len) << t;
    for (char c : t) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << t;
    }
  }
}

TEST(SequenceIdGeneratorTest, GeneratorsAreIndependent) {
  SequenceIdGenerator a;
  SequenceIdGenerator b;
  EXPECT_EQ(a.Token(4), "t1xx");
  EXPECT_EQ(a.Token(4), "t2xx");
  EXPECT_EQ(b.Token(4), "t1xx");
}

TEST(SequenceIdGeneratorTest, IsUniqueAcrossThreads) {
  SequenceIdGenerator ids;
  IdGenerator& gen = ids;
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&gen, &made, t] {
      for (int i = 0; i < kEach; ++i) made[static_cast<std::size_t>(t)].push_back(gen.Token(8));
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : made) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace corphub::core
