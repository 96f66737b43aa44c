#include "crypto/aes.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "unit/crypto/test_bytes.hpp"

namespace corphub::crypto {
namespace {

using test_support::Bytes;

// NIST SP 800-38A, Appendix F.2.5 (CBC-AES256.Encrypt) and F.2.6 (Decrypt).
const std::string kKey = Bytes("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const std::string kIv = Bytes("000102030405060708090a0b0c0d0e0f");
const std::string kPlaintext = Bytes(
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710");
const std::string kCiphertext = Bytes(
    "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
    "9cfc4e967edb808d679f777bc6702c7d"
    "39f23369a9d9bacfa530e26304231461"
    "b2eb05e2c39be9fcda6c19078c6a9d1b");

TEST(Aes256CbcTest, NistVectorEncrypt) {
  EXPECT_EQ(Aes256CbcEncrypt(kKey, kIv, kPlaintext, Padding::kNone), kCiphertext);
}

TEST(Aes256CbcTest, NistVectorDecrypt) {
  EXPECT_EQ(Aes256CbcDecrypt(kKey, kIv, kCiphertext, Padding::kNone), kPlaintext);
}

TEST(Aes256CbcTest, Pkcs7AddsAFullBlockToAlignedInput) {
  const auto encrypted = Aes256CbcEncrypt(kKey, kIv, kPlaintext, Padding::kPkcs7);
  ASSERT_TRUE(encrypted.has_value());
  ASSERT_EQ(encrypted->size(), kPlaintext.size() + kAesBlockBytes);
  EXPECT_EQ(encrypted->substr(0, kCiphertext.size()), kCiphertext);
  EXPECT_EQ(Aes256CbcDecrypt(kKey, kIv, *encrypted, Padding::kPkcs7), kPlaintext);
}

TEST(Aes256CbcTest, Pkcs7RoundTripAtEveryLength) {
  for (std::size_t len = 0; len <= 40; ++len) {
    const std::string text(len, static_cast<char>('a' + len % 26));
    const auto encrypted = Aes256CbcEncrypt(kKey, kIv, text, Padding::kPkcs7);
    ASSERT_TRUE(encrypted.has_value()) << len;
    EXPECT_EQ(encrypted->size(), (len / kAesBlockBytes + 1) * kAesBlockBytes) << len;
    EXPECT_EQ(Aes256CbcDecrypt(kKey, kIv, *encrypted, Padding::kPkcs7), text) << len;
  }
}

TEST(Aes256CbcTest, NoPaddingRequiresWholeBlocks) {
  EXPECT_EQ(Aes256CbcEncrypt(kKey, kIv, "", Padding::kNone), std::string());
  EXPECT_FALSE(Aes256CbcEncrypt(kKey, kIv, std::string(15, 'x'), Padding::kNone).has_value());
  EXPECT_FALSE(Aes256CbcEncrypt(kKey, kIv, std::string(17, 'x'), Padding::kNone).has_value());
  EXPECT_FALSE(Aes256CbcDecrypt(kKey, kIv, kCiphertext.substr(0, 31), Padding::kNone));
}

TEST(Aes256CbcTest, RejectsWrongKeyAndIvSizes) {
  const std::string block(16, 'x');
  for (const Padding padding : {Padding::kNone, Padding::kPkcs7}) {
    EXPECT_FALSE(Aes256CbcEncrypt(kKey.substr(0, 31), kIv, block, padding));
    EXPECT_FALSE(Aes256CbcEncrypt(kKey + "x", kIv, block, padding));
    EXPECT_FALSE(Aes256CbcEncrypt(kKey.substr(0, 16), kIv, block, padding));  // AES-128 key
    EXPECT_FALSE(Aes256CbcEncrypt(kKey, kIv.substr(0, 15), block, padding));
    EXPECT_FALSE(Aes256CbcEncrypt(kKey, kIv + "x", block, padding));
    EXPECT_FALSE(Aes256CbcDecrypt(kKey.substr(0, 31), kIv, kCiphertext, padding));
    EXPECT_FALSE(Aes256CbcDecrypt(kKey, "", kCiphertext, padding));
  }
}

TEST(Aes256CbcTest, Pkcs7DecryptRejectsMalformedCiphertext) {
  EXPECT_FALSE(Aes256CbcDecrypt(kKey, kIv, "", Padding::kPkcs7));
  EXPECT_FALSE(Aes256CbcDecrypt(kKey, kIv, std::string(20, 'x'), Padding::kPkcs7));
  // The NIST plaintext's last byte is 0x10 but its last block is not sixteen 0x10 bytes.
  EXPECT_FALSE(Aes256CbcDecrypt(kKey, kIv, kCiphertext, Padding::kPkcs7));
}

TEST(Aes256CbcTest, WrongKeyDoesNotRecoverPlaintext) {
  std::string other_key = kKey;
  other_key[0] = static_cast<char>(other_key[0] ^ 1);
  const auto decrypted = Aes256CbcDecrypt(other_key, kIv, kCiphertext, Padding::kNone);
  ASSERT_TRUE(decrypted.has_value());
  EXPECT_NE(*decrypted, kPlaintext);
}

// The WeCom callback scheme: PKCS#7 over 32 bytes by hand, then AES without padding.
TEST(Aes256CbcTest, WeComStyleThirtyTwoBytePadding) {
  const std::string text = "<xml><Content>hello</Content></xml>";
  const std::string padded = Pkcs7Pad(text, 32);
  ASSERT_EQ(padded.size(), 64u);
  const auto encrypted = Aes256CbcEncrypt(kKey, kKey.substr(0, 16), padded, Padding::kNone);
  ASSERT_TRUE(encrypted.has_value());
  EXPECT_EQ(encrypted->size(), 64u);
  const auto decrypted = Aes256CbcDecrypt(kKey, kKey.substr(0, 16), *encrypted, Padding::kNone);
  ASSERT_TRUE(decrypted.has_value());
  EXPECT_EQ(Pkcs7Unpad(*decrypted, 32), text);
}

TEST(Pkcs7Test, RoundTripBlock32AtAllLengths) {
  for (std::size_t len = 0; len <= 70; ++len) {
    const std::string text(len, static_cast<char>(len));
    const std::string padded = Pkcs7Pad(text, 32);
    const std::size_t pad = 32 - len % 32;
    ASSERT_EQ(padded.size(), len + pad) << len;
    EXPECT_EQ(padded.size() % 32, 0u) << len;
    EXPECT_EQ(padded.substr(0, len), text) << len;
    EXPECT_EQ(padded.substr(len), std::string(pad, static_cast<char>(pad))) << len;
    EXPECT_EQ(Pkcs7Unpad(padded, 32), text) << len;
  }
}

TEST(Pkcs7Test, KnownPaddings) {
  EXPECT_EQ(Pkcs7Pad("", 16), std::string(16, '\x10'));
  EXPECT_EQ(Pkcs7Pad("abc", 4), "abc\x01");
  EXPECT_EQ(Pkcs7Pad("abcd", 4), "abcd\x04\x04\x04\x04");
  EXPECT_EQ(Pkcs7Pad("ab", 1), "ab\x01");
  EXPECT_EQ(Pkcs7Pad("", 255), std::string(255, '\xff'));
}

TEST(Pkcs7Test, PadRejectsUnrepresentableBlockSizes) {
  EXPECT_THROW(Pkcs7Pad("abc", 0), std::invalid_argument);
  EXPECT_THROW(Pkcs7Pad("abc", 256), std::invalid_argument);
}

TEST(Pkcs7Test, UnpadRejectsBadPadding) {
  const std::string body(29, 'x');
  EXPECT_FALSE(Pkcs7Unpad("", 32));
  EXPECT_FALSE(Pkcs7Unpad(body + "\x03\x03", 32));            // 31 bytes: not a whole block
  EXPECT_FALSE(Pkcs7Unpad(body + "\x03\x03\x03" + "y", 32));  // 33 bytes
  EXPECT_FALSE(Pkcs7Unpad(body + std::string("\x03\x03\x00", 3), 32));  // pad value 0
  EXPECT_FALSE(Pkcs7Unpad(std::string(31, 'x') + "\x21", 32));          // pad value 33 > block
  EXPECT_FALSE(Pkcs7Unpad(body + "\x03\x02\x03", 32));                  // inner byte differs
  EXPECT_FALSE(Pkcs7Unpad(body + "\x02\x03\x03", 32));                  // first pad byte differs
  std::string full(32, '\x20');
  full[0] = '\x1f';  // a full block of padding with its first byte wrong
  EXPECT_FALSE(Pkcs7Unpad(full, 32));
}

TEST(Pkcs7Test, UnpadAcceptsMinimalAndFullBlockPadding) {
  EXPECT_EQ(Pkcs7Unpad(std::string(31, 'x') + "\x01", 32), std::string(31, 'x'));
  EXPECT_EQ(Pkcs7Unpad(std::string(32, 'x') + std::string(32, '\x20'), 32), std::string(32, 'x'));
  EXPECT_EQ(Pkcs7Unpad(std::string(32, '\x20'), 32), std::string());
}

TEST(Pkcs7Test, UnpadRejectsUnrepresentableBlockSizes) {
  EXPECT_FALSE(Pkcs7Unpad("\x01", 0));
  EXPECT_FALSE(Pkcs7Unpad(std::string(256, '\x01'), 256));
}

}  // namespace
}  // namespace corphub::crypto
