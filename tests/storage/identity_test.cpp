// Sign-in over every backend: one-time codes (hashing, expiry, tries, replacement, the limits
// per member and per address), activation, second verification, and members' sessions
// (listing, ending, liveness after a freeze) — identity::VerificationService and
// identity::MemberSessionService with a manual clock and mail and SMS that record.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "crypto/hash.hpp"
#include "directory/department_service.hpp"
#include "directory/member_service.hpp"
#include "identity/member_session_service.hpp"
#include "identity/verification_service.hpp"
#include "notify/outbound.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using identity::VerifyOutcome;
using std::chrono::hours;
using std::chrono::seconds;

class RecordingMail final : public notify::Mailer {
 public:
  core::Status Send(const notify::Mail& m) override {
    if (fail) return core::MakeError(ErrorKind::kDeliveryFailed, "refused");
    sent.push_back(m);
    return core::Ok();
  }
  bool Enabled() const override { return true; }
  std::vector<notify::Mail> sent;
  bool fail = false;
};

class RecordingSms final : public notify::SmsSender {
 public:
  core::Status Send(const notify::Sms& s) override {
    sent.push_back(s);
    return core::Ok();
  }
  bool Enabled() const override { return true; }
  std::vector<notify::Sms> sent;
};

std::string CodeIn(const std::string& text) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(text, m, std::regex("(^|[^0-9])([0-9]{6})([^0-9]|$)"))) << text;
  return m.size() > 2 ? m[2].str() : "";
}

class IdentityTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<directory::DepartmentService>(*store_, clock_);
    members_ = std::make_unique<directory::MemberService>(*store_, clock_, ids_,
                                                          directory::MemberLimits{});
    ASSERT_TRUE(departments_->EnsureRoot(org_.id, "总公司").ok());
    sessions_ = std::make_unique<identity::MemberSessionService>(*store_, clock_, ids_);
    MakeService({});
    Create("zhangsan", "13800001111", "ZhangSan@Example.com");
    Create("lisi", "13800002222", "");
  }

  void MakeService(identity::CodeLimits limits) {
    verification_ = std::make_unique<identity::VerificationService>(*store_, clock_, ids_,
                                                                    *members_, mail_, sms_, limits);
  }

  void Create(const std::string& userid, const std::string& mobile, const std::string& email) {
    directory::NewMember m;
    m.userid = userid;
    m.fields.name = userid;
    m.fields.departments = std::vector<std::int64_t>{1};
    if (!mobile.empty()) m.fields.mobile = mobile;
    if (!email.empty()) m.fields.email = email;
    auto s = members_->Create(actor_, org_.id, m);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  directory::MemberStatus StatusOf(const std::string& userid) {
    auto m = members_->Get(org_.id, userid);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->Status() : directory::MemberStatus::kLeft;
  }

  // Asks for a code by SMS; the challenge and the code the SMS carried.
  std::pair<std::string, std::string> SmsCode(const std::string& mobile) {
    auto sent = verification_->SendCode(org_.id, mobile, "10.0.0.1");
    EXPECT_TRUE(sent.ok()) << (sent.ok() ? "" : sent.error().message);
    if (!sent.ok() || sms_.sent.empty()) return {};
    return {sent->challenge, CodeIn(sms_.sent.back().text)};
  }

  std::unique_ptr<directory::DepartmentService> departments_;
  std::unique_ptr<directory::MemberService> members_;
  std::unique_ptr<identity::MemberSessionService> sessions_;
  std::unique_ptr<identity::VerificationService> verification_;
  RecordingMail mail_;
  RecordingSms sms_;
};

TEST_P(IdentityTest, TheRightCodeActivatesOnceAndTheCodeIsKeptOnlyAsAHash) {
  auto [challenge, code] = SmsCode("138-0000 1111");
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].mobile, "13800001111");
  EXPECT_NE(sms_.sent[0].text.find("【" + org_.name + "】"), std::string::npos);

  // Neither the code nor the challenge is in the table; their hashes are.
  ASSERT_TRUE(store_
                  ->ReadSql([&, c = challenge, k = code](Sql& sql) -> core::Status {
                    auto rows = sql.Query(
                        "SELECT challenge_hash, code_hash, channel, attempts FROM member_codes");
                    EXPECT_TRUE(rows.ok());
                    EXPECT_EQ(rows->size(), 1u);
                    const Row& r = rows->front();
                    EXPECT_EQ(r.GetString(0), crypto::Sha256Hex(c));
                    EXPECT_EQ(r.GetString(1), crypto::Sha256Hex(c + ":" + k));
                    EXPECT_EQ(r.GetString(2), "sms");
                    EXPECT_EQ(r.GetInt64(3), 0);
                    return core::Ok();
                  })
                  .ok());

  auto done = verification_->Verify(challenge, code, "10.0.0.1", "Chrome on Android");
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->outcome, VerifyOutcome::kActivated);
  EXPECT_EQ(done->userid, "zhangsan");
  ASSERT_TRUE(done->session);
  EXPECT_EQ(StatusOf("zhangsan"), directory::MemberStatus::kActive);
  auto session = sessions_->Authenticate(done->session->token);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->device, "Chrome on Android");

  auto again = verification_->Verify(challenge, code, "10.0.0.1", "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kCodeExpired);

  // Active now, the next code (a minute later) signs a device in.
  clock_.Advance(seconds(60));
  auto [c2, k2] = SmsCode("13800001111");
  auto in = verification_->Verify(c2, k2, "10.0.0.2", "Safari on iPhone");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->outcome, VerifyOutcome::kSignedIn);
}

TEST_P(IdentityTest, CodesExpire) {
  auto [challenge, code] = SmsCode("13800001111");
  clock_.Advance(seconds(601));
  auto done = verification_->Verify(challenge, code, "10.0.0.1", "");
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().kind, ErrorKind::kCodeExpired);
  EXPECT_EQ(StatusOf("zhangsan"), directory::MemberStatus::kNotActivated);
}

TEST_P(IdentityTest, WrongCodesCountDownThenTheCodeIsSpent) {
  auto [challenge, code] = SmsCode("13800001111");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int left = 4; left >= 1; --left) {
    auto r = verification_->Verify(challenge, wrong, "10.0.0.1", "");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kWrongCode);
    EXPECT_NE(r.error().message.find(std::to_string(left)), std::string::npos) << r.error().message;
  }
  auto last = verification_->Verify(challenge, wrong, "10.0.0.1", "");
  EXPECT_EQ(last.error().kind, ErrorKind::kCodeExpired);
  auto right = verification_->Verify(challenge, code, "10.0.0.1", "");
  EXPECT_EQ(right.error().kind, ErrorKind::kCodeExpired);
}

TEST_P(IdentityTest, OneCodeAMinuteAndTenADayPerMember) {
  MakeService({seconds(600), 5, seconds(60), 3, 1000});
  SmsCode("13800001111");
  auto soon = verification_->SendCode(org_.id, "13800001111", "10.0.0.1");
  ASSERT_FALSE(soon.ok());
  EXPECT_EQ(soon.error().kind, ErrorKind::kRateLimited);
  EXPECT_NE(soon.error().message.find("60 seconds"), std::string::npos) << soon.error().message;
  clock_.Advance(seconds(60));
  SmsCode("13800001111");
  clock_.Advance(seconds(60));
  SmsCode("13800001111");
  clock_.Advance(seconds(60));
  auto fourth = verification_->SendCode(org_.id, "13800001111", "10.0.0.1");
  ASSERT_FALSE(fourth.ok());
  EXPECT_NE(fourth.error().message.find("today"), std::string::npos);
  // Another member is not held back, and a day later this one may go on.
  EXPECT_TRUE(verification_->SendCode(org_.id, "13800002222", "10.0.0.1").ok());
  clock_.Advance(hours(24));
  EXPECT_TRUE(verification_->SendCode(org_.id, "13800001111", "10.0.0.1").ok());
}

TEST_P(IdentityTest, AnAddressIsLimitedInLookupsAndWrongCodes) {
  MakeService({seconds(600), 5, seconds(0), 100, 3});
  auto [challenge, code] = SmsCode("13800001111");  // 1
  EXPECT_EQ(verification_->SendCode(org_.id, "13900000000", "10.0.0.1").error().kind,
            ErrorKind::kNoMatch);  // 2
  EXPECT_EQ(verification_->Verify(challenge, code == "000000" ? "111111" : "000000", "10.0.0.1", "")
                .error()
                .kind,
            ErrorKind::kWrongCode);  // 3
  EXPECT_EQ(verification_->SendCode(org_.id, "13800002222", "10.0.0.1").error().kind,
            ErrorKind::kRateLimited);
  EXPECT_EQ(verification_->Verify(challenge, code, "10.0.0.1", "").error().kind,
            ErrorKind::kRateLimited);
  // Another address may still use the code; an hour later this one may go on.
  EXPECT_TRUE(verification_->Verify(challenge, code, "10.0.0.9", "").ok());
  clock_.Advance(hours(1));
  EXPECT_TRUE(verification_->SendCode(org_.id, "13800002222", "10.0.0.1").ok());
}

TEST_P(IdentityTest, EmailMatchesEitherAddressIgnoringCase) {
  auto sent = verification_->SendCode(org_.id, " zhangsan@EXAMPLE.com ", "10.0.0.1");
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(sent->channel, "email");
  EXPECT_EQ(sent->masked, "Z***@Example.com");
  ASSERT_EQ(mail_.sent.size(), 1u);
  EXPECT_EQ(mail_.sent[0].to, "ZhangSan@Example.com");
  auto done = verification_->Verify(sent->challenge, CodeIn(mail_.sent[0].text), "10.0.0.1", "");
  EXPECT_TRUE(done.ok());

  auto none = verification_->SendCode(org_.id, "lisi@example.com", "10.0.0.1");
  EXPECT_EQ(none.error().kind, ErrorKind::kNoMatch);
  auto bad = verification_->SendCode(org_.id, "13x", "10.0.0.1");
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
}

TEST_P(IdentityTest, AFailedDeliveryLeavesNoWorkingCode) {
  mail_.fail = true;
  auto sent = verification_->SendCode(org_.id, "zhangsan@example.com", "10.0.0.1");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind, ErrorKind::kDeliveryFailed);
  ASSERT_TRUE(store_
                  ->ReadSql([](Sql& sql) -> core::Status {
                    auto rows =
                        sql.Query("SELECT COUNT(*) FROM member_codes WHERE spent_at IS NULL");
                    EXPECT_EQ(rows->front().GetInt64(0), 0);
                    return core::Ok();
                  })
                  .ok());
}

TEST_P(IdentityTest, FrozenAndDepartedMembersGetNoCode) {
  directory::MemberChange off;
  off.userid = "zhangsan";
  off.fields.enable = 0;
  ASSERT_TRUE(members_->Update(actor_, org_.id, off).ok());
  auto sent = verification_->SendCode(org_.id, "13800001111", "10.0.0.1");
  EXPECT_EQ(sent.error().kind, ErrorKind::kAccountUnavailable);
  EXPECT_TRUE(sms_.sent.empty());
}

TEST_P(IdentityTest, AFreezeAfterTheCodeWasSentStopsTheSignIn) {
  auto [challenge, code] = SmsCode("13800001111");
  directory::MemberChange off;
  off.userid = "zhangsan";
  off.fields.enable = 0;
  ASSERT_TRUE(members_->Update(actor_, org_.id, off).ok());
  auto done = verification_->Verify(challenge, code, "10.0.0.1", "");
  EXPECT_EQ(done.error().kind, ErrorKind::kAccountUnavailable);
}

TEST_P(IdentityTest, SecondVerificationWaitsForApprovalOrAuthsucc) {
  ASSERT_TRUE(verification_->SetSecondVerification(actor_, org_.id, true).ok());
  auto second = verification_->SecondVerification(org_.id);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(*second);
  for (const char* mobile : {"13800001111", "13800002222"}) {
    auto [challenge, code] = SmsCode(mobile);
    auto done = verification_->Verify(challenge, code, "10.0.0.1", "");
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(done->outcome, VerifyOutcome::kPending);
    EXPECT_FALSE(done->session);
  }
  auto pending = verification_->Pending(org_.id);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].userid, "zhangsan");
  EXPECT_EQ((*pending)[0].channel, "sms");

  ASSERT_TRUE(verification_->Approve(actor_, org_.id, "zhangsan").ok());
  ASSERT_TRUE(members_->ConfirmActivation(actor_, org_.id, "lisi").ok());  // user/authsucc
  EXPECT_EQ(StatusOf("zhangsan"), directory::MemberStatus::kActive);
  EXPECT_EQ(StatusOf("lisi"), directory::MemberStatus::kActive);
  EXPECT_TRUE(verification_->Pending(org_.id)->empty());
  auto unknown = verification_->Reject(actor_, org_.id, "nobody");
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUserNotFound);
}

TEST_P(IdentityTest, SessionsAreListedEndedAndDieWithAFreeze) {
  auto a = sessions_->Open(org_.id, "zhangsan", "10.0.0.1", "Chrome on Android");
  clock_.Advance(seconds(1));
  auto b = sessions_->Open(org_.id, "zhangsan", "10.0.0.2", "Edge on Windows");
  auto c = sessions_->Open(org_.id, "lisi", "10.0.0.3", "");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::int64_t member = a->session.member_id;
  auto list = sessions_->List(member);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].device, "Edge on Windows");  // newest first

  const std::vector<std::int64_t> all = {a->session.id, b->session.id, c->session.id};
  EXPECT_EQ(*sessions_->Live(all), all);
  // Another member's session cannot be ended by this one.
  auto foreign = sessions_->End(member, c->session.id);
  EXPECT_EQ(foreign.error().kind, ErrorKind::kNotFound);
  auto others = sessions_->End(member, std::nullopt, b->session.id);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(*others, std::vector<std::int64_t>{a->session.id});

  directory::MemberChange off;
  off.userid = "lisi";
  off.fields.enable = 0;
  ASSERT_TRUE(members_->Update(actor_, org_.id, off).ok());
  EXPECT_EQ(*sessions_->Live(all), std::vector<std::int64_t>{b->session.id});
  clock_.Advance(hours(24 * 31));
  EXPECT_TRUE(sessions_->Live(all)->empty()) << "expired sessions are not live";
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
