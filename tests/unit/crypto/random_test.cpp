#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace corphub::crypto {
namespace {

constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Each equality below has probability 2^-64 or less for a working generator.

TEST(RandomBytesTest, LengthAndFreshness) {
  EXPECT_TRUE(RandomBytes(0).empty());
  const std::string a = RandomBytes(32);
  const std::string b = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(RandomBytes(1000).size(), 1000u);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(32, '\0'));
}

TEST(RandomTokenTest, LengthAndAlphabet) {
  EXPECT_TRUE(RandomToken(0).empty());
  for (const std::size_t len : {1u, 16u, 43u, 500u}) {
    const std::string token = RandomToken(len);
    ASSERT_EQ(token.size(), len);
    EXPECT_EQ(token.find_first_not_of(kAlphanumeric), std::string::npos) << token;
  }
}

TEST(RandomTokenTest, TwoDrawsDiffer) { EXPECT_NE(RandomToken(32), RandomToken(32)); }

TEST(RandomTokenTest, ReachesTheWholeAlphabet) {
  // 62,000 draws: a working generator misses a given character with probability about e^-1000,
  // while one that, say, only produced letters, or skipped the last characters, fails at once.
  const std::string token = RandomToken(62'000);
  const std::set<char> seen(token.begin(), token.end());
  EXPECT_EQ(seen.size(), kAlphanumeric.size());
  for (const char c : kAlphanumeric) {
    EXPECT_TRUE(seen.contains(c)) << c;
  }
}

TEST(RandomHexTest, LengthAlphabetAndFreshness) {
  EXPECT_TRUE(RandomHex(0).empty());
  const std::string hex = RandomHex(16);
  ASSERT_EQ(hex.size(), 32u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  EXPECT_NE(hex, RandomHex(16));
}

TEST(RandomU64Test, TwoDrawsDiffer) { EXPECT_NE(RandomU64(), RandomU64()); }

}  // namespace
}  // namespace corphub::crypto
