#include "crypto/hash.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/crypto/test_bytes.hpp"

namespace corphub::crypto {
namespace {

using test_support::Bytes;

constexpr std::string_view kTwoBlockMessage =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

// FIPS 180-2 / NIST CSRC example values.
TEST(Sha1Test, KnownVectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex(kTwoBlockMessage), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(Sha1Test, RawDigestIsTwentyBytesMatchingHex) {
  const std::string digest = Sha1("abc");
  ASSERT_EQ(digest.size(), 20u);
  EXPECT_EQ(digest, Bytes("a9993e364706816aba3e25717850c26c9cd0d89d"));
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(kTwoBlockMessage),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, RawDigestIsThirtyTwoBytesMatchingHex) {
  const std::string digest = Sha256("abc");
  ASSERT_EQ(digest.size(), 32u);
  EXPECT_EQ(digest, Bytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(Sha256Test, EmbeddedNulIsHashed) {
  // A digest that stopped at the NUL would equal Sha256("a").
  EXPECT_NE(Sha256(std::string("a\0b", 3)), Sha256("a"));
}

// RFC 4231 §4.2, test case 1.
TEST(HmacSha256Test, Rfc4231Case1) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(HmacSha256(key, "Hi There"),
            Bytes("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
}

// RFC 4231 §4.3, test case 2: a key shorter than the output.
TEST(HmacSha256Test, Rfc4231Case2) {
  EXPECT_EQ(HmacSha256("Jefe", "what do ya want for nothing?"),
            Bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

// RFC 4231 §4.7, test case 6: a key longer than the block size is hashed first.
TEST(HmacSha256Test, Rfc4231Case6LongKey) {
  const std::string key(131, '\xaa');
  EXPECT_EQ(HmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            Bytes("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

TEST(HmacSha256Test, EmptyKeyAndMessage) {
  EXPECT_EQ(HmacSha256(std::string_view{}, std::string_view{}),
            Bytes("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
}

TEST(HmacSha256Test, KeyChangesResult) {
  EXPECT_NE(HmacSha256("key-a", "data"), HmacSha256("key-b", "data"));
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("signature", "signature"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "signaturE"));
  EXPECT_FALSE(ConstantTimeEquals("Signature", "signature"));
  EXPECT_FALSE(ConstantTimeEquals("sig", "signature"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace corphub::crypto
