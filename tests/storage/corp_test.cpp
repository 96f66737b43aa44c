// The organisation and access tokens: repositories and the services over them, on every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "apps/app_service.hpp"
#include "corp/corp_service.hpp"
#include "corp/token_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using corp::CorpService;
using corp::CorpUnit;
using corp::TokenService;

TEST_P(StoreTest, DefaultOrganisationIsMadeOnceAndKept) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  core::ManualClock clock;
  core::SequenceIdGenerator ids;
  CorpService corps(*store, clock, ids);
  auto first = corps.EnsureDefault();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->corpid.rfind("ww", 0), 0u);
  EXPECT_EQ(first->corpid.size(), 2 + CorpService::kCorpIdSuffixChars);
  EXPECT_EQ(first->contacts_secret.size(), CorpService::kSecretChars);
  EXPECT_GT(first->id, 0);

  auto again = corps.EnsureDefault();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->corpid, first->corpid);
  EXPECT_EQ(again->contacts_secret, first->contacts_secret);
  EXPECT_EQ(core::UnixSeconds(again->created_at), core::UnixSeconds(clock.Now()));

  auto by_corpid = core::ReadValue<CorpUnit>(
      *store, [&](CorpUnit& u) { return u.Organisations().FindByCorpId(first->corpid); });
  ASSERT_TRUE(by_corpid.ok());
  ASSERT_TRUE(by_corpid->has_value());
  EXPECT_EQ((*by_corpid)->id, first->id);
  auto missing = core::ReadValue<CorpUnit>(
      *store, [&](CorpUnit& u) { return u.Organisations().FindByCorpId("wwnosuch"); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreTest, OnlyOneDefaultOrganisationCanExist) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  corp::Organisation a{0, "wwaaaa", "a", "secret-a", {}};
  corp::Organisation b{0, "wwbbbb", "b", "secret-b", {}};
  auto first = core::WriteValue<CorpUnit>(
      *store, [&](CorpUnit& u) { return u.Organisations().InsertDefault(a); });
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = core::WriteValue<CorpUnit>(
      *store, [&](CorpUnit& u) { return u.Organisations().InsertDefault(b); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::kAlreadyExists);
}

TEST_P(StoreTest, ProcessesStartingTogetherShareOneOrganisation) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 3; ++i) {
    stores.push_back(OpenMigrated());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<std::string> corpids(stores.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back([&, i] {
      core::SystemClock clock;
      core::SequenceIdGenerator ids;  // each "process" would make a different corpid...
      for (std::size_t k = 0; k < i * 7; ++k) ids.Token(1);
      CorpService corps(*stores[i], clock, ids);
      auto org = corps.EnsureDefault();
      if (org.ok()) corpids[i] = org->corpid;
    });
  }
  for (auto& t : threads) t.join();
  // ...yet all of them end up with the same one.
  EXPECT_FALSE(corpids[0].empty());
  EXPECT_EQ(std::set<std::string>(corpids.begin(), corpids.end()).size(), 1u);
}

class TokenTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    tokens_ = std::make_unique<TokenService>(*store_, clock_, ids_);
  }

  std::unique_ptr<TokenService> tokens_;
};

TEST_P(TokenTest, IssuesTokensThatAuthenticateUntilTheyExpire) {
  auto issued = tokens_->Issue(org_.corpid, org_.contacts_secret);
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->expires_in, 7200);
  EXPECT_EQ(issued->access_token.size(), TokenService::kTokenChars);

  auto who = tokens_->Authenticate(issued->access_token);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->org_id, org_.id);
  EXPECT_EQ(who->principal, "contacts");

  clock_.Advance(std::chrono::seconds(7199));
  EXPECT_TRUE(tokens_->Authenticate(issued->access_token).ok());
  clock_.Advance(std::chrono::seconds(1));
  auto expired = tokens_->Authenticate(issued->access_token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().WecomCode(), 42001);
}

TEST_P(TokenTest, ANewTokenLeavesOlderOnesValid) {
  auto first = tokens_->Issue(org_.corpid, org_.contacts_secret);
  auto second = tokens_->Issue(org_.corpid, org_.contacts_secret);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->access_token, second->access_token);
  EXPECT_TRUE(tokens_->Authenticate(first->access_token).ok());
  EXPECT_TRUE(tokens_->Authenticate(second->access_token).ok());
}

TEST_P(TokenTest, TokensAreStoredOnlyAsHashesAndSurviveARestart) {
  auto issued = tokens_->Issue(org_.corpid, org_.contacts_secret);
  ASSERT_TRUE(issued.ok());
  std::vector<std::string> stored;
  ASSERT_TRUE(store_
                  ->ReadSql([&](Sql& sql) -> core::Status {
                    auto rows = sql.Query("SELECT token_hash FROM access_tokens");
                    if (!rows.ok()) return std::move(rows).error();
                    for (const auto& row : *rows) stored.push_back(row.GetString(0));
                    return core::Ok();
                  })
                  .ok());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_NE(stored[0], issued->access_token);
  EXPECT_EQ(stored[0].size(), 64u);  // hex SHA-256

  // A fresh service (a restarted process: empty cache) still knows the token.
  TokenService restarted(*store_, clock_, ids_);
  EXPECT_TRUE(restarted.Authenticate(issued->access_token).ok());
}

TEST_P(TokenTest, RefusesWithWecomCodes) {
  auto code = [](const core::Result<corp::IssuedToken>& r) {
    return r.ok() ? 0 : r.error().WecomCode();
  };
  EXPECT_EQ(code(tokens_->Issue("", org_.contacts_secret)), 41002);
  EXPECT_EQ(code(tokens_->Issue(org_.corpid, "")), 41004);
  EXPECT_EQ(code(tokens_->Issue("wwnosuchcorp", org_.contacts_secret)), 40013);
  EXPECT_EQ(code(tokens_->Issue(org_.corpid, org_.contacts_secret + "x")), 40001);
  EXPECT_EQ(tokens_->Authenticate("").error().WecomCode(), 41001);
  EXPECT_EQ(tokens_->Authenticate("not-a-token").error().WecomCode(), 40014);
}

TEST_P(TokenTest, TokensExpiredForADayArePurgedWhenTheNextIsIssued) {
  auto old = tokens_->Issue(org_.corpid, org_.contacts_secret);
  ASSERT_TRUE(old.ok());
  clock_.Advance(TokenService::kLifetime + TokenService::kKeepExpired + std::chrono::seconds(1));
  ASSERT_TRUE(tokens_->Issue(org_.corpid, org_.contacts_secret).ok());
  TokenService restarted(*store_, clock_, ids_);
  auto gone = restarted.Authenticate(old->access_token);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().WecomCode(), 40014);
}

// Two nodes share the store; each has its own token cache and app guard. Node A resets the
// secret; node B, which has the old token in memory, refuses it once its guard is re-read.
TEST_P(TokenTest, AResetSecretIsRefusedByANodeThatHadTheTokenInMemory) {
  apps::AppService apps_a(*store_, clock_, ids_);
  apps::AppService apps_b(*store_, clock_, ids_);
  TokenService tokens_b(*store_, clock_, ids_);
  auto app = apps_a.Create(org_.id, "OA");
  ASSERT_TRUE(app.ok()) << app.error().message;
  const std::int64_t agentid = app->app.agentid;
  auto old = tokens_->Issue(org_.corpid, app->secret);
  ASSERT_TRUE(old.ok()) << old.error().message;
  auto on_b = tokens_b.Authenticate(old->access_token);
  ASSERT_TRUE(on_b.ok()) << on_b.error().message;
  EXPECT_EQ(on_b->agentid, agentid);
  EXPECT_EQ(on_b->secret_tag, apps::SecretTag(app->app.secret_hash));
  ASSERT_TRUE(apps_b.CheckCaller(org_.id, agentid, on_b->secret_tag, "10.0.0.1").ok());

  auto fresh = apps_a.ResetSecret(actor_, org_.id, agentid);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  ASSERT_TRUE(tokens_->Revoke(org_.id, "app:" + std::to_string(agentid)).ok());
  // Node A forgot the token; node B still has it and its guard, for at most kGuardTtl.
  EXPECT_EQ(tokens_->Authenticate(old->access_token).error().WecomCode(), 40014);
  auto cached = tokens_b.AuthenticateCached(old->access_token);
  ASSERT_TRUE(cached.has_value() && cached->ok());
  auto still = apps_b.CheckCallerCached(org_.id, agentid, cached->value().secret_tag, "10.0.0.1");
  ASSERT_TRUE(still.has_value());
  EXPECT_TRUE(still->ok());
  clock_.Advance(apps::AppService::kGuardTtl);
  EXPECT_FALSE(apps_b.CheckCallerCached(org_.id, agentid, cached->value().secret_tag, "10.0.0.1")
                   .has_value());
  auto refused = apps_b.CheckCaller(org_.id, agentid, cached->value().secret_tag, "10.0.0.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().WecomCode(), 40014);

  // The old secret gives nothing; the new one's token passes on both nodes, after a restart too.
  EXPECT_EQ(tokens_->Issue(org_.corpid, app->secret).error().WecomCode(), 40001);
  auto renewed = tokens_->Issue(org_.corpid, *fresh);
  ASSERT_TRUE(renewed.ok()) << renewed.error().message;
  TokenService restarted(*store_, clock_, ids_);
  auto who = restarted.Authenticate(renewed->access_token);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_TRUE(apps_b.CheckCaller(org_.id, agentid, who->secret_tag, "10.0.0.1").ok());
  EXPECT_TRUE(apps_a.CheckCaller(org_.id, agentid, who->secret_tag, "10.0.0.1").ok());
}

TEST_P(TokenTest, TheContactsSecretsTokensCarryNoSecretTag) {
  auto issued = tokens_->Issue(org_.corpid, org_.contacts_secret);
  ASSERT_TRUE(issued.ok());
  TokenService restarted(*store_, clock_, ids_);
  auto who = restarted.Authenticate(issued->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->IsApp());
  EXPECT_TRUE(who->secret_tag.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
