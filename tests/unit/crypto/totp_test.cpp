#include "crypto/totp.hpp"

#include <gtest/gtest.h>

namespace corphub::crypto {
namespace {

// RFC 6238 appendix B's SHA-1 secret: the ASCII digits "1234567890" repeated to 20 bytes.
const std::string kRfcSecret = "12345678901234567890";

TEST(TotpTest, HotpMatchesRfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t i = 0; i < 10; ++i) EXPECT_EQ(Hotp(kRfcSecret, i), expected[i]) << i;
}

TEST(TotpTest, TotpMatchesRfc6238AppendixB) {
  // Eight-digit values in the RFC; the six-digit code is their last six digits.
  struct Case {
    std::int64_t time;
    const char* eight;
  } cases[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
               {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Hotp(kRfcSecret, static_cast<std::uint64_t>(c.time / 30), 8), c.eight) << c.time;
    const std::string six = std::string(c.eight).substr(2);
    EXPECT_EQ(TotpMatch(kRfcSecret, six, c.time, 0), c.time / 30) << c.time;
  }
}

TEST(TotpTest, AcceptsOneStepOfClockDriftButNotTwo) {
  const std::int64_t now = 1234567890;
  const std::string prev = Hotp(kRfcSecret, now / 30 - 1);
  const std::string next = Hotp(kRfcSecret, now / 30 + 1);
  const std::string old = Hotp(kRfcSecret, now / 30 - 2);
  EXPECT_EQ(TotpMatch(kRfcSecret, prev, now, 0), now / 30 - 1);
  EXPECT_EQ(TotpMatch(kRfcSecret, next, now, 0), now / 30 + 1);
  EXPECT_FALSE(TotpMatch(kRfcSecret, old, now, 0));
}

TEST(TotpTest, ACodeWorksOnceAndRefusesMalformedInput) {
  const std::int64_t now = 1111111111;
  const std::string code = Hotp(kRfcSecret, now / 30);
  auto step = TotpMatch(kRfcSecret, code, now, 0);
  ASSERT_TRUE(step);
  EXPECT_FALSE(TotpMatch(kRfcSecret, code, now, *step)) << "replayed";
  EXPECT_FALSE(TotpMatch(kRfcSecret, "12345", now, 0));
  EXPECT_FALSE(TotpMatch(kRfcSecret, "12345a", now, 0));
  EXPECT_FALSE(TotpMatch("", code, now, 0));
  EXPECT_FALSE(TotpMatch("another secret", code, now, 0));
}

TEST(TotpTest, Base32RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));
  const std::string bytes("\x00\xff\x10\x80 secret", 11);
  EXPECT_EQ(Base32Decode(Base32Encode(bytes)), bytes);
}

TEST(TotpTest, OtpauthUriEscapesIssuerAndAccount) {
  EXPECT_EQ(OtpauthUri("corphub 示例", "admin@x", "MZXW6"),
            "otpauth://totp/corphub%20%E7%A4%BA%E4%BE%8B:admin%40x?secret=MZXW6&issuer="
            "corphub%20%E7%A4%BA%E4%BE%8B&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace corphub::crypto
