// The callback queue on every backend: each member's deliveries of an app go out in order, a
// leased delivery is not sent twice, a retry waits, the contact cursor moves once.
#include "callback/callback.hpp"

#include <gtest/gtest.h>

#include "apps/app_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using callback::CallbackUnit;
using callback::Delivery;
using callback::DeliveryState;
using callback::Outcome;

class CallbackTest : public OrgStoreTest {
 protected:
  Delivery Make(std::int64_t agentid, std::string event_id, std::string member,
                std::int64_t next_at_ms = 1000) {
    Delivery d;
    d.org_id = org_.id;
    d.agentid = agentid;
    d.event_id = std::move(event_id);
    d.member_key = std::move(member);
    d.kind = "test";
    d.payload = "<xml/>";
    d.next_at_ms = next_at_ms;
    d.created_at = clock_.Now();
    return d;
  }

  void Enqueue(const std::vector<Delivery>& ds) {
    ASSERT_TRUE(store_->Write([&](CallbackUnit& u) { return u.Callbacks().Enqueue(ds); }).ok());
  }

  std::vector<std::string> Claim(std::int64_t now_ms, std::int64_t lease_ms = 60000) {
    std::vector<Delivery> got;
    EXPECT_TRUE(store_
                    ->Write([&](CallbackUnit& u) -> core::Status {
                      auto c = u.Callbacks().Claim(now_ms, now_ms + lease_ms, 100);
                      if (!c) return std::move(c).error();
                      got = std::move(*c);
                      return core::Ok();
                    })
                    .ok());
    std::vector<std::string> ids;
    for (const auto& d : got) ids.push_back(d.event_id + "@" + std::to_string(d.id));
    last_ = got;
    return ids;
  }

  std::int64_t IdOf(const std::string& event_id, std::int64_t agentid = 1000002) {
    for (const auto& d : last_) {
      if (d.event_id == event_id && d.agentid == agentid) return d.id;
    }
    ADD_FAILURE() << "not claimed: " << event_id;
    return 0;
  }

  void Record(std::vector<Outcome> outcomes) {
    ASSERT_TRUE(
        store_->Write([&](CallbackUnit& u) { return u.Callbacks().Record(outcomes, clock_.Now()); })
            .ok());
  }

  static std::vector<std::string> Events(const std::vector<std::string>& claimed) {
    std::vector<std::string> out;
    for (const auto& c : claimed) out.push_back(c.substr(0, c.find('@')));
    return out;
  }

  std::vector<Delivery> last_;
};

using V = std::vector<std::string>;

TEST_P(CallbackTest, EachMembersEarliestPendingDeliveryIsClaimedOnceWhileLeased) {
  Enqueue({Make(1000002, "a1", "alice"), Make(1000002, "a2", "alice"), Make(1000002, "b1", "bob"),
           Make(1000003, "a1", "alice"), Make(1000002, "later", "carol", 5000)});
  // The same event id for the same app is queued once.
  Enqueue({Make(1000002, "a1", "alice")});
  EXPECT_EQ(Events(Claim(1000)), (V{"a1", "b1", "a1"}));
  const std::int64_t a1 = IdOf("a1");
  // Leased: not claimed again until the lease ends; alice's a2 waits behind a1.
  EXPECT_EQ(Claim(2000), V{});
  EXPECT_EQ(Events(Claim(1000 + 60000)), (V{"a1", "b1", "a1", "later"})) << "the lease ran out";
  Record({Outcome{a1, true, 200, "", 1, 0}});
  EXPECT_EQ(Events(Claim(1000 + 120000)), (V{"a2", "b1", "a1", "later"}));
}

TEST_P(CallbackTest, ARetryWaitsAndHoldsBackTheMembersLaterDeliveries) {
  Enqueue({Make(1000002, "a1", "alice"), Make(1000002, "a2", "alice"), Make(1000002, "b1", "bob")});
  Claim(1000);
  const std::int64_t a1 = IdOf("a1");
  const std::int64_t b1 = IdOf("b1");
  Record({Outcome{a1, false, 500, "HTTP 500", 1, 3000}, Outcome{b1, true, 200, "", 1, 0}});
  EXPECT_EQ(Claim(2000), V{}) << "a1 is not due and a2 waits behind it";
  EXPECT_EQ(Events(Claim(3000)), V{"a1"});
  Record({Outcome{a1, false, 0, "timeout", 2, 0}});  // given up
  EXPECT_EQ(Events(Claim(3001)), V{"a2"}) << "a failed delivery no longer holds the others";

  std::vector<Delivery> failed;
  ASSERT_TRUE(store_
                  ->Read([&](CallbackUnit& u) -> core::Status {
                    auto l = u.Callbacks().List(org_.id, 1000002, DeliveryState::kFailed, 0, 10);
                    if (!l) return std::move(l).error();
                    failed = std::move(*l);
                    return core::Ok();
                  })
                  .ok());
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].event_id, "a1");
  EXPECT_EQ(failed[0].attempts, 2);
  EXPECT_EQ(failed[0].last_error, "timeout");
  // Retried: pending and due again.
  bool found = false;
  ASSERT_TRUE(store_
                  ->Write([&](CallbackUnit& u) -> core::Status {
                    auto r = u.Callbacks().Retry(org_.id, 1000002, a1, 4000);
                    if (!r) return std::move(r).error();
                    found = *r;
                    auto other = u.Callbacks().Retry(org_.id, 1000003, a1, 4000);
                    if (!other) return std::move(other).error();
                    EXPECT_FALSE(*other) << "another app's delivery";
                    return core::Ok();
                  })
                  .ok());
  EXPECT_TRUE(found);
}

TEST_P(CallbackTest, TheContactCursorMovesOnlyFromWhereItWas) {
  ASSERT_TRUE(store_
                  ->Write([&](CallbackUnit& u) -> core::Status {
                    auto c = u.Callbacks().ContactCursor(org_.id);
                    EXPECT_TRUE(c.ok() && *c == 0);
                    auto first = u.Callbacks().AdvanceContactCursor(org_.id, 0, 5);
                    EXPECT_TRUE(first.ok() && *first);
                    auto stale = u.Callbacks().AdvanceContactCursor(org_.id, 0, 7);
                    EXPECT_TRUE(stale.ok() && !*stale);
                    auto next = u.Callbacks().AdvanceContactCursor(org_.id, 5, 9);
                    EXPECT_TRUE(next.ok() && *next);
                    auto now = u.Callbacks().ContactCursor(org_.id);
                    EXPECT_TRUE(now.ok() && *now == 9);
                    return core::Ok();
                  })
                  .ok());
}

TEST_P(CallbackTest, ConfigsAreKeptPerApp) {
  callback::CallbackConfig c{org_.id,
                             1000002,
                             "http://127.0.0.1:1/cb",
                             "tok",
                             "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                             clock_.Now()};
  ASSERT_TRUE(store_->Write([&](CallbackUnit& u) { return u.Callbacks().Put(c); }).ok());
  c.url = "http://127.0.0.1:2/cb";
  ASSERT_TRUE(store_->Write([&](CallbackUnit& u) { return u.Callbacks().Put(c); }).ok());
  ASSERT_TRUE(store_
                  ->Read([&](CallbackUnit& u) -> core::Status {
                    auto got = u.Callbacks().Get(org_.id, 1000002);
                    EXPECT_TRUE(got.ok() && got->has_value());
                    if (got.ok() && got->has_value()) {
                      EXPECT_EQ((*got)->url, "http://127.0.0.1:2/cb");
                      EXPECT_EQ((*got)->token, "tok");
                    }
                    auto none = u.Callbacks().Get(org_.id, 1000003);
                    EXPECT_TRUE(none.ok() && !none->has_value());
                    auto orgs = u.Callbacks().Organisations();
                    EXPECT_TRUE(orgs.ok() && *orgs == std::vector<std::int64_t>{org_.id});
                    return core::Ok();
                  })
                  .ok());
  ASSERT_TRUE(
      store_->Write([&](CallbackUnit& u) { return u.Callbacks().Delete(org_.id, 1000002); }).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, CallbackTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
