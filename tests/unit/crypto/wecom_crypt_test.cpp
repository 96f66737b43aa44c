#include "crypto/wecom_crypt.hpp"

#include <gtest/gtest.h>

#include "crypto/aes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace corphub::crypto {
namespace {

constexpr std::string_view kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr std::string_view kCorp = "wwcorphubtest0001";
constexpr std::string_view kMessage =
    "<xml><ToUserName><![CDATA[wwcorphubtest0001]]></ToUserName><Content><![CDATA[你好]]>"
    "</Content></xml>";
// Sealed and signed by wechatpy 1.8.18's WeChatCrypto("corphubtoken", kKey, kCorp) with
// timestamp 1710000000 and nonce "n0nce".
constexpr std::string_view kWechatpySealed =
    "6TpdEwOVAaH72AsSlTOmbL5NrmoUDYvwAnpZ+YPyESydxTxdCCWpHOEKb+6pc6xCVyIgnV4qh5gSqQaQGe1NwRMK9Owa+"
    "m+uRW92divnGXVtJddYtuRWBQWEXgn5GxQdHhtdugKSopX81EMPQeEhVmcNtX1BGa0U3hb3oYR5DQuSXvDSbQvnrpyta"
    "s7IIaP3Hv/pKov7ZMpEyq3YiD/Qsw==";
constexpr std::string_view kWechatpySignature = "0a0c3085335e621d83b7f316c87bb13fb0f2d167";

WecomCrypt Crypt(std::string receive_id = std::string(kCorp)) {
  auto c = WecomCrypt::Make("corphubtoken", kKey, std::move(receive_id));
  EXPECT_TRUE(c.has_value());
  return *c;
}

TEST(WecomCryptTest, OpensAndVerifiesWhatWechatpySealed) {
  const WecomCrypt c = Crypt();
  EXPECT_EQ(c.Sign("1710000000", "n0nce", kWechatpySealed), kWechatpySignature);
  EXPECT_TRUE(c.Verify(kWechatpySignature, "1710000000", "n0nce", kWechatpySealed));
  EXPECT_FALSE(c.Verify(kWechatpySignature, "1710000001", "n0nce", kWechatpySealed));
  auto opened = c.Open(kWechatpySealed);
  ASSERT_TRUE(opened.message.has_value());
  EXPECT_EQ(*opened.message, kMessage);
}

TEST(WecomCryptTest, TheSignatureIsSha1OfTheSortedParts) {
  const WecomCrypt c = Crypt();
  EXPECT_EQ(c.Sign("b", "c", "a"), Sha1Hex(std::string("abccorphubtoken")));
  EXPECT_EQ(c.Sign("c", "a", "b"), c.Sign("a", "b", "c"));
}

TEST(WecomCryptTest, SealsInWecomsLayout) {
  const WecomCrypt c = Crypt();
  const std::string sealed = c.SealWith("hello", "0123456789abcdef");
  auto cipher = Base64Decode(sealed);
  ASSERT_TRUE(cipher.has_value());
  EXPECT_EQ(cipher->size() % kWecomPadBlock, 0u);
  // kKey's last character with its 2 spare bits cleared ("G" → "E"), for the strict decoder.
  auto key = Base64Decode(std::string(kKey.substr(0, 42)) + "E=");
  ASSERT_TRUE(key.has_value());
  auto padded = Aes256CbcDecrypt(*key, key->substr(0, 16), *cipher, Padding::kNone);
  ASSERT_TRUE(padded.has_value());
  // 16 + 4 + 5 + 17 = 42 bytes, padded with 22 bytes of 22 to 64.
  ASSERT_EQ(padded->size(), 64u);
  EXPECT_EQ(padded->substr(0, 16), "0123456789abcdef");
  EXPECT_EQ(padded->substr(16, 4), std::string("\0\0\0\5", 4));
  EXPECT_EQ(padded->substr(20, 5), "hello");
  EXPECT_EQ(padded->substr(25, 17), kCorp);
  EXPECT_EQ(padded->substr(42), std::string(22, '\x16'));
  EXPECT_EQ(c.Open(sealed).message.value_or(""), "hello");
}

TEST(WecomCryptTest, RoundTripsWithFreshRandomness) {
  const WecomCrypt c = Crypt();
  const std::string a = c.Seal(kMessage);
  const std::string b = c.Seal(kMessage);
  EXPECT_NE(a, b);
  EXPECT_EQ(c.Open(a).message.value_or(""), kMessage);
  EXPECT_EQ(c.Open(b).message.value_or(""), kMessage);
  EXPECT_EQ(c.Open(c.Seal("")).message.value_or("x"), "");
  // 12 bytes of message + 16 + 4 + 17 = 49: a whole 32-byte pad block is never skipped.
  for (std::size_t n = 0; n < 80; ++n) {
    const std::string m(n, 'm');
    EXPECT_EQ(c.Open(c.Seal(m)).message.value_or("x"), m) << n;
  }
}

TEST(WecomCryptTest, RefusesWhatIsNotOurs) {
  const WecomCrypt c = Crypt();
  EXPECT_EQ(Crypt("wwsomeoneelse").Open(kWechatpySealed).failure, OpenFailure::kReceiveId);
  EXPECT_FALSE(Crypt("wwsomeoneelse").Open(kWechatpySealed).message.has_value());
  EXPECT_EQ(c.Open("not base64!").failure, OpenFailure::kBase64);
  EXPECT_EQ(c.Open(Base64Encode("short")).failure, OpenFailure::kDecrypt);
  // CBC alone does not notice a changed block (it opens to other bytes): the signature does.
  std::string tampered(kWechatpySealed);
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_NE(c.Open(tampered).message.value_or(""), kMessage);
  EXPECT_FALSE(c.Verify(kWechatpySignature, "1710000000", "n0nce", tampered));
  auto other = WecomCrypt::Make("corphubtoken", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",
                                std::string(kCorp));
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->Open(kWechatpySealed).message.has_value());
}

TEST(WecomCryptTest, EncodingAesKeys) {
  EXPECT_TRUE(IsEncodingAesKey(kKey));
  EXPECT_FALSE(IsEncodingAesKey(kKey.substr(1)));
  EXPECT_FALSE(IsEncodingAesKey(std::string(kKey) + "A"));
  EXPECT_FALSE(IsEncodingAesKey("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+"));
  EXPECT_FALSE(WecomCrypt::Make("t", "short", "c").has_value());
  for (int i = 0; i < 20; ++i) {
    const std::string key = NewEncodingAesKey();
    EXPECT_TRUE(IsEncodingAesKey(key)) << key;
    EXPECT_TRUE(WecomCrypt::Make("t", key, "c").has_value()) << key;
  }
}

}  // namespace
}  // namespace corphub::crypto
