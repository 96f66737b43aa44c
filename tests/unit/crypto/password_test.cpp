#include "crypto/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <stdexcept>
#include <string>

namespace corphub::crypto {
namespace {

class PasswordHasherTest : public ::testing::Test {
 protected:
  PasswordHasher hasher_{PasswordParams::kTesting};
};

TEST_F(PasswordHasherTest, HashIsArgon2idPhcString) {
  const std::string hash = hasher_.Hash("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST_F(PasswordHasherTest, VerifiesTheRightPasswordOnly) {
  const std::string hash = hasher_.Hash("correct horse battery staple");
  EXPECT_TRUE(hasher_.Verify(hash, "correct horse battery staple"));
  EXPECT_FALSE(hasher_.Verify(hash, "correct horse battery stapl"));
  EXPECT_FALSE(hasher_.Verify(hash, "Correct horse battery staple"));
  EXPECT_FALSE(hasher_.Verify(hash, ""));
}

TEST_F(PasswordHasherTest, SaltsEveryHash) {
  const std::string a = hasher_.Hash("same password");
  const std::string b = hasher_.Hash("same password");
  EXPECT_NE(a, b);
  EXPECT_TRUE(hasher_.Verify(a, "same password"));
  EXPECT_TRUE(hasher_.Verify(b, "same password"));
}

TEST_F(PasswordHasherTest, PasswordBytesAfterNulCount) {
  const std::string password("pass\0word", 9);
  const std::string hash = hasher_.Hash(password);
  EXPECT_TRUE(hasher_.Verify(hash, password));
  EXPECT_FALSE(hasher_.Verify(hash, "pass"));
}

TEST_F(PasswordHasherTest, EmptyPasswordIsHashable) {
  const std::string hash = hasher_.Hash("");
  EXPECT_TRUE(hasher_.Verify(hash, ""));
  EXPECT_FALSE(hasher_.Verify(hash, " "));
}

TEST_F(PasswordHasherTest, RejectsMalformedHashes) {
  const std::string hash = hasher_.Hash("pw");
  EXPECT_FALSE(hasher_.Verify("", "pw"));
  EXPECT_FALSE(hasher_.Verify("not a hash", "pw"));
  EXPECT_FALSE(hasher_.Verify(hash.substr(0, hash.size() - 4), "pw"));
  EXPECT_FALSE(hasher_.Verify(hash + std::string(200, 'A'), "pw"));
  // A NUL must not hide trailing garbage from libsodium.
  EXPECT_FALSE(hasher_.Verify(hash + std::string("\0junk", 5), "pw"));
}

TEST_F(PasswordHasherTest, LengthLimit) {
  const std::string longest(PasswordHasher::kMaxPasswordBytes, 'p');
  const std::string hash = hasher_.Hash(longest);
  EXPECT_TRUE(hasher_.Verify(hash, longest));
  const std::string too_long = longest + "p";
  EXPECT_THROW(static_cast<void>(hasher_.Hash(too_long)), std::invalid_argument);
  EXPECT_FALSE(hasher_.Verify(hash, too_long));
}

TEST_F(PasswordHasherTest, NeedsRehashWhenParamsDiffer) {
  const std::string hash = hasher_.Hash("pw");
  EXPECT_FALSE(hasher_.NeedsRehash(hash));

  const PasswordHasher more_ops(
      {PasswordParams::kTesting.ops_limit + 1, PasswordParams::kTesting.mem_limit});
  EXPECT_TRUE(more_ops.NeedsRehash(hash));
  const PasswordHasher more_mem(
      {PasswordParams::kTesting.ops_limit, PasswordParams::kTesting.mem_limit * 2});
  EXPECT_TRUE(more_mem.NeedsRehash(hash));
  EXPECT_FALSE(more_mem.NeedsRehash(more_mem.Hash("pw")));
  // Verification reads the params from the string, so an old hash still verifies.
  EXPECT_TRUE(more_ops.Verify(hash, "pw"));
}

TEST_F(PasswordHasherTest, NeedsRehashForForeignOrMalformedHashes) {
  EXPECT_TRUE(hasher_.NeedsRehash(""));
  EXPECT_TRUE(hasher_.NeedsRehash("$argon2id$garbage"));
}

TEST(PasswordHasherPolicyTest, NeedsRehashForArgon2iEvenWithMatchingLimits) {
  // argon2i needs at least 3 passes, so use limits both algorithms accept.
  const PasswordParams params{3, PasswordParams::kTesting.mem_limit};
  const PasswordHasher hasher(params);
  char argon2i[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(argon2i, "pw", 2, params.ops_limit, params.mem_limit,
                                  crypto_pwhash_ALG_ARGON2I13),
            0);
  // libsodium alone would call this hash current; the hasher's policy is argon2id only.
  ASSERT_EQ(crypto_pwhash_str_needs_rehash(argon2i, params.ops_limit, params.mem_limit), 0);
  EXPECT_TRUE(hasher.NeedsRehash(argon2i));
  EXPECT_TRUE(hasher.Verify(argon2i, "pw"));
}

TEST(PasswordParamsTest, Presets) {
  EXPECT_EQ(PasswordParams::kInteractive.ops_limit, 2u);
  EXPECT_EQ(PasswordParams::kInteractive.mem_limit, 64u * 1024 * 1024);
  EXPECT_LT(PasswordParams::kTesting.mem_limit, PasswordParams::kInteractive.mem_limit);
}

TEST(PasswordParamsTest, RejectsParamsBelowMinimum) {
  EXPECT_THROW(PasswordHasher({0, PasswordParams::kTesting.mem_limit}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({1, 1024}), std::invalid_argument);
}

}  // namespace
}  // namespace corphub::crypto
