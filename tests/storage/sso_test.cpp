// Single sign-on's codes, user tickets and JS-SDK tickets on every backend: a code is taken once
// and not after it expired, a ticket is found until it expires, a live JS-SDK ticket is kept
// when another node tries to put its own, an expired one is replaced.
#include "sso/sso.hpp"

#include <gtest/gtest.h>

#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using sso::SsoUnit;

class SsoTest : public OrgStoreTest {
 protected:
  sso::AuthCode Code(std::string hash, std::int64_t expires_at_ms) {
    sso::AuthCode c;
    c.code_hash = std::move(hash);
    c.org_id = org_.id;
    c.member_id = 7;
    c.agentid = 1000002;
    c.scope = "snsapi_privateinfo";
    c.redirect_host = "oa.example.com";
    c.device_id = "42";
    c.expires_at_ms = expires_at_ms;
    return c;
  }

  std::optional<sso::AuthCode> Take(const std::string& hash, std::int64_t now_ms) {
    std::optional<sso::AuthCode> got;
    EXPECT_TRUE(store_
                    ->Write([&](SsoUnit& u) -> core::Status {
                      auto t = u.Sso().TakeCode(hash, now_ms);
                      if (!t) return std::move(t).error();
                      got = std::move(*t);
                      return core::Ok();
                    })
                    .ok());
    return got;
  }

  std::string Put(const std::string& ticket, std::int64_t expires_at_ms, std::int64_t now_ms) {
    sso::JsapiTicket t{org_.id, 0, ticket, expires_at_ms};
    std::string kept;
    EXPECT_TRUE(store_
                    ->Write([&](SsoUnit& u) -> core::Status {
                      auto p = u.Sso().PutJsapiTicket(t, now_ms);
                      if (!p) return std::move(p).error();
                      kept = p->ticket;
                      return core::Ok();
                    })
                    .ok());
    return kept;
  }
};

TEST_P(SsoTest, ACodeIsTakenOnceAndNotAfterItExpired) {
  ASSERT_TRUE(store_
                  ->Write([&](SsoUnit& u) -> core::Status {
                    CORPHUB_TRY(u.Sso().InsertCode(Code("live", 10'000)));
                    return u.Sso().InsertCode(Code("old", 2'000));
                  })
                  .ok());
  auto got = Take("live", 5'000);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->member_id, 7);
  EXPECT_EQ(got->agentid, 1000002);
  EXPECT_EQ(got->scope, "snsapi_privateinfo");
  EXPECT_EQ(got->redirect_host, "oa.example.com");
  EXPECT_EQ(got->device_id, "42");
  EXPECT_FALSE(Take("live", 5'000).has_value()) << "a code is single-use";
  EXPECT_FALSE(Take("old", 5'000).has_value()) << "an expired code is refused";
  EXPECT_FALSE(Take("never", 5'000).has_value());
}

TEST_P(SsoTest, AUserTicketIsFoundUntilItExpiresAndPurgeForgetsIt) {
  sso::UserTicket t{"t1", org_.id, 7, 1000002, 10'000};
  ASSERT_TRUE(store_->Write([&](SsoUnit& u) { return u.Sso().InsertTicket(t); }).ok());
  auto find = [&](std::int64_t now) {
    std::optional<sso::UserTicket> got;
    EXPECT_TRUE(store_
                    ->Read([&](SsoUnit& u) -> core::Status {
                      auto f = u.Sso().FindTicket("t1", now);
                      if (!f) return std::move(f).error();
                      got = std::move(*f);
                      return core::Ok();
                    })
                    .ok());
    return got;
  };
  ASSERT_TRUE(find(9'999).has_value());
  EXPECT_EQ(find(9'999)->agentid, 1000002);
  EXPECT_FALSE(find(10'000).has_value());
  ASSERT_TRUE(store_->Write([&](SsoUnit& u) { return u.Sso().Purge(20'000); }).ok());
  EXPECT_FALSE(find(0).has_value()) << "purged";
}

TEST_P(SsoTest, ALiveJsapiTicketIsKeptAndAnExpiredOneReplaced) {
  EXPECT_EQ(Put("first", 10'000, 1'000), "first");
  EXPECT_EQ(Put("second", 12'000, 2'000), "first") << "another node's live ticket stays";
  EXPECT_EQ(Put("third", 30'000, 10'000), "third") << "an expired one is replaced";
  std::optional<sso::JsapiTicket> got;
  ASSERT_TRUE(store_
                  ->Read([&](SsoUnit& u) -> core::Status {
                    auto f = u.Sso().FindJsapiTicket(org_.id, 0, 11'000);
                    if (!f) return std::move(f).error();
                    got = std::move(*f);
                    return core::Ok();
                  })
                  .ok());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->ticket, "third");
  EXPECT_EQ(got->expires_at_ms, 30'000);
}

INSTANTIATE_TEST_SUITE_P(Backends, SsoTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
