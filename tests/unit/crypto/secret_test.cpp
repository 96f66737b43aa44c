#include "crypto/secret.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "crypto/secret_box.hpp"

namespace corphub::crypto {
namespace {

template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
  os << value;
};

// The check itself works: it sees operator<< where there is one.
static_assert(Streamable<std::string>);
static_assert(!Streamable<SecretString>, "a SecretString must not be printable");
static_assert(!std::is_convertible_v<SecretString, std::string_view>);
static_assert(!std::is_convertible_v<SecretString, std::string>);
static_assert(!std::is_convertible_v<std::string, SecretString>, "construction is explicit");

TEST(SecretStringTest, HoldsTheValue) {
  const SecretString secret(std::string("app-secret-value"));
  EXPECT_EQ(secret.view(), "app-secret-value");
  EXPECT_EQ(secret.size(), 16u);
  EXPECT_FALSE(secret.empty());
  EXPECT_TRUE(SecretString().empty());
}

TEST(SecretStringTest, CopiesAreIndependent) {
  SecretString original(std::string("first-secret-value"));
  SecretString copy(original);
  EXPECT_EQ(copy.view(), "first-secret-value");
  original = SecretString(std::string("second"));
  EXPECT_EQ(original.view(), "second");
  EXPECT_EQ(copy.view(), "first-secret-value");
  copy = original;
  EXPECT_EQ(copy.view(), "second");
}

TEST(SecretStringTest, MoveTransfersAndEmptiesSource) {
  // Long enough to live on the heap, and short enough for the small-string buffer.
  for (const std::string& value : {std::string(100, 's'), std::string("short")}) {
    SecretString source(value);
    SecretString target(std::move(source));
    EXPECT_EQ(target.view(), value);
    EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): documented state

    SecretString assigned(std::string("old value"));
    assigned = std::move(target);
    EXPECT_EQ(assigned.view(), value);
    EXPECT_TRUE(target.empty());  // NOLINT(bugprone-use-after-move): documented state
  }
}

TEST(MaskSecretTest, ShortSecretsAreFullyHidden) {
  EXPECT_EQ(MaskSecret(""), "***");
  EXPECT_EQ(MaskSecret("a"), "***");
  EXPECT_EQ(MaskSecret("abcdefghijk"), "***");  // 11 bytes
}

TEST(MaskSecretTest, LongSecretsShowHeadAndTail) {
  EXPECT_EQ(MaskSecret("abcdefghijkl"), "abc***kl");  // 12 bytes
  EXPECT_EQ(MaskSecret("wwAbCdEfGhIjKlMnOpQrStUvWxYz0123456789xy"), "wwA***xy");
}

TEST(MaskSecretTest, NeverShowsNonPrintableBytes) {
  // "密钥" is 6 bytes of UTF-8; the head would cut its first character in half.
  EXPECT_EQ(MaskSecret("\xe5\xaf\x86\xe9\x92\xa5-token-12\n"), "???***2?");
}

}  // namespace
}  // namespace corphub::crypto

namespace corphub::crypto {
namespace {

TEST(SecretBoxTest, SealsSoOnlyTheSameKeyOpens) {
  auto box = SecretBox::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(box);
  const std::string sealed = box->Seal("JBSWY3DPEHPK3PXP");
  EXPECT_TRUE(SecretBox::IsSealed(sealed));
  EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
  EXPECT_NE(box->Seal("JBSWY3DPEHPK3PXP"), sealed) << "a fresh nonce each time";
  EXPECT_EQ(box->Open(sealed), "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(box->Open(box->Seal("")), "");

  auto other = SecretBox::FromKey(std::string(32, 'x'));
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->Open(sealed)) << "another key";
  std::string tampered = sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Open(tampered));
  EXPECT_FALSE(box->Open("sb1:not base64!"));
  EXPECT_FALSE(box->Open("sb1:AAAA"));
  EXPECT_EQ(box->Open("plain text"), "plain text") << "a value from before sealing";
  EXPECT_FALSE(SecretBox::FromKey("short"));
}

}  // namespace
}  // namespace corphub::crypto
