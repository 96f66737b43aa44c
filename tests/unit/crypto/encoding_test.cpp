#include "crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace corphub::crypto {
namespace {

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  return bytes;
}

// RFC 4648 §10.
const std::vector<std::pair<std::string, std::string>> kRfc4648Base64 = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64Test, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kRfc4648Base64) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    EXPECT_EQ(Base64Decode(encoded), plain) << encoded;
  }
}

TEST(Base64Test, UsesStandardAlphabetForHighBits) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(Base64Decode("+/+/"), "\xfb\xff\xbf");
}

TEST(Base64Test, RoundTripsEveryByteValueAtEveryLength) {
  const std::string bytes = AllByteValues();
  for (std::size_t len = 0; len <= bytes.size(); ++len) {
    const std::string input = bytes.substr(bytes.size() - len);
    const std::string encoded = Base64Encode(input);
    EXPECT_EQ(encoded.size(), (len + 2) / 3 * 4) << len;
    EXPECT_EQ(Base64Decode(encoded), input) << len;
  }
}

TEST(Base64Test, RejectsInvalidInput) {
  const std::vector<std::string> invalid = {
      "Zg",                            // missing padding
      "Zg=",                           // short padding
      "Zg===",                         // extra padding
      "Z",                             // one character cannot encode a byte
      "Z===",                          // same, padded
      "====",                          // padding only
      "Zg==Zm8=",                      // padding in the middle
      "Zm9v!A==",                      // character outside the alphabet
      "Zm9v YmFy",                     // whitespace
      "Zm9v\nYmFy",                    // line break
      "Zm9vYmFy\n",                    // trailing newline
      "-_-_",                          // URL-safe alphabet
      "Zh==",                          // non-zero bits after the last byte (non-canonical "f")
      "Zm9=",                          // non-canonical "fo"
      std::string("Zm9v\0\0\0\0", 8),  // NUL bytes
      "AAA\x80",                       // a byte over 0x7F (once read as '/')
      "AAA\xff",
      "\xc3\xa9"
      "AA",  // UTF-8
  };
  for (const auto& text : invalid) {
    EXPECT_FALSE(Base64Decode(text).has_value()) << text;
  }
}

TEST(HexTest, EncodesLowercase) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10\xab", 4)), "00ff10ab");
  EXPECT_EQ(HexEncode("abc"), "616263");
}

TEST(HexTest, RoundTripsEveryByteValue) {
  const std::string bytes = AllByteValues();
  const std::string encoded = HexEncode(bytes);
  ASSERT_EQ(encoded.size(), 512u);
  EXPECT_EQ(encoded.substr(0, 8), "00010203");
  EXPECT_EQ(encoded.substr(504), "fcfdfeff");
  EXPECT_EQ(HexDecode(encoded), bytes);
}

TEST(HexTest, DecodesEitherCase) {
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("00FF10Ab"), std::string("\x00\xff\x10\xab", 4));
}

TEST(HexTest, RejectsInvalidInput) {
  const std::vector<std::string> invalid = {
      "0",   "abc", "zz",   "0g",   "g0", " 00",
      "00 ", "0 0", "0x00", "00\n", "-1", std::string("00\0", 3),
  };
  for (const auto& text : invalid) {
    EXPECT_FALSE(HexDecode(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace corphub::crypto
