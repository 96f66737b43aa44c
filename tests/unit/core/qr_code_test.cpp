#include "core/qr_code.hpp"

#include <gtest/gtest.h>

#include <string>

namespace corphub::core {
namespace {

TEST(QrCodeTest, ReedSolomonMatchesTheStandardsWorkedExample) {
  // "HELLO WORLD" as version 1-M (alphanumeric mode) data codewords, and their ten EC codewords.
  const std::vector<std::uint8_t> data = {32, 91, 11,  120, 209, 114, 220, 77,
                                          67, 64, 236, 17,  236, 17,  236, 17};
  EXPECT_EQ(QrCode::ErrorCorrection(data, 10),
            (std::vector<std::uint8_t>{196, 35, 39, 119, 235, 215, 231, 226, 93, 23}));
}

TEST(QrCodeTest, FormatAndVersionBitsAreTheStandardsValues) {
  EXPECT_EQ(QrCode::FormatBits(0), 0x5412u);  // level M, mask 0: all zero data, then the XOR
  EXPECT_EQ(QrCode::FormatBits(5), 0x40CEu);
  EXPECT_EQ(QrCode::VersionBits(7), 0x07C94u);
  EXPECT_EQ(QrCode::VersionBits(10), 0x0A4D3u);
}

TEST(QrCodeTest, PicksTheSmallestVersionThatHoldsTheText) {
  EXPECT_EQ(QrCode::Encode(std::string(14, 'x'))->Version(), 1);
  EXPECT_EQ(QrCode::Encode(std::string(15, 'x'))->Version(), 2);
  EXPECT_EQ(QrCode::Encode(std::string(106, 'x'))->Version(), 6);
  EXPECT_EQ(QrCode::Encode(std::string(107, 'x'))->Version(), 7);
  auto big = QrCode::Encode(std::string(QrCode::kMaxBytes, 'x'));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->Version(), 10);
  EXPECT_EQ(big->Size(), 57);
  auto too_big = QrCode::Encode(std::string(QrCode::kMaxBytes + 1, 'x'));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind, ErrorKind::kInvalidArgument);
}

TEST(QrCodeTest, DrawsTheFindersTimingAndTheDarkModule) {
  auto qr = QrCode::Encode("https://corp.example/signin");
  ASSERT_TRUE(qr.ok());
  const int n = qr->Size();
  for (auto [ox, oy] : {std::pair{0, 0}, std::pair{n - 7, 0}, std::pair{0, n - 7}}) {
    for (int i = 0; i < 7; ++i) {
      EXPECT_TRUE(qr->Dark(ox + i, oy)) << "finder's top edge";
      EXPECT_TRUE(qr->Dark(ox, oy + i)) << "finder's left edge";
    }
    EXPECT_FALSE(qr->Dark(ox + 1, oy + 1));
    EXPECT_TRUE(qr->Dark(ox + 3, oy + 3)) << "finder's centre";
  }
  for (int i = 8; i < n - 8; ++i) {
    EXPECT_EQ(qr->Dark(i, 6), i % 2 == 0);
    EXPECT_EQ(qr->Dark(6, i), i % 2 == 0);
  }
  EXPECT_TRUE(qr->Dark(8, n - 8));
  // The format bits read back from around the top-left finder name the chosen mask.
  std::uint32_t bits = 0;
  for (int i = 0; i <= 5; ++i) bits |= (qr->Dark(8, i) ? 1u : 0u) << i;
  bits |= (qr->Dark(8, 7) ? 1u : 0u) << 6;
  bits |= (qr->Dark(8, 8) ? 1u : 0u) << 7;
  bits |= (qr->Dark(7, 8) ? 1u : 0u) << 8;
  for (int i = 9; i < 15; ++i) bits |= (qr->Dark(14 - i, 8) ? 1u : 0u) << i;
  EXPECT_EQ(bits, QrCode::FormatBits(qr->Mask()));
}

}  // namespace
}  // namespace corphub::core
