#include "identity/verification_service.hpp"

#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "directory/member.hpp"
#include "directory/member_service.hpp"

namespace corphub::identity {

using core::ErrorKind;
using core::MakeError;
using directory::MemberState;

namespace {

std::string CodeHash(std::string_view challenge, std::string_view code) {
  return crypto::Sha256Hex(std::string(challenge) + ":" + std::string(code));
}

core::Error Unavailable() {
  return MakeError(ErrorKind::kAccountUnavailable,
                   "this account cannot sign in now; ask your administrator");
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A mobile as members type it: digits, perhaps a leading '+', spaces and hyphens.
bool LooksLikeMobile(std::string_view s) {
  std::string key = directory::MobileKey(s);
  if (!key.empty() && key.front() == '+') key.erase(0, 1);
  return key.size() >= 5 && key.size() <= 20 && AllDigits(key);
}

std::string Minutes(std::chrono::seconds s) {
  return std::to_string(std::max<std::int64_t>(1, (s.count() + 59) / 60));
}

notify::Sms CodeSms(const SignInMember& m, const std::string& code, std::chrono::seconds ttl) {
  return {m.mobile, "【" + m.org_name + "】验证码 " + code + "，" + Minutes(ttl) +
                        " 分钟内有效，请勿告诉他人。Your " + m.org_name + " code is " + code +
                        "; it works for " + Minutes(ttl) + " minutes. Do not share it."};
}

notify::Mail CodeMail(const SignInMember& m, const std::string& code, std::chrono::seconds ttl) {
  notify::Mail mail;
  mail.to = m.email;
  mail.subject = m.org_name + " 验证码 / verification code";
  mail.text = m.name + "，您好：\n\n您的验证码是 " + code + "，" + Minutes(ttl) +
              " 分钟内有效。如果不是您本人操作，请忽略这封邮件。\n\n" + "Hello " + m.name +
              ",\n\nYour verification code is " + code + ". It works for " + Minutes(ttl) +
              " minutes. If you did not ask for it, ignore this mail.\n\n-- " + m.org_name + "\n";
  return mail;
}

}  // namespace

VerificationService::VerificationService(core::Transactor<IdentityUnit>& store,
                                         const core::Clock& clock, core::IdGenerator& ids,
                                         directory::MemberService& members, notify::Mailer& mail,
                                         notify::SmsSender& sms, CodeLimits limits)
    : store_(store),
      clock_(clock),
      ids_(ids),
      members_(members),
      mail_(mail),
      sms_(sms),
      limits_(limits),
      by_address_(limits.per_address_hour, std::chrono::hours(1)) {}

core::Error VerificationService::Limited(std::int64_t seconds) const {
  return MakeError(ErrorKind::kRateLimited,
                   "too many tries; try again in " + std::to_string(seconds) + " seconds");
}

std::string VerificationService::MaskMobile(std::string_view mobile) {
  std::string m = directory::MobileKey(mobile);
  if (m.size() >= 11)
    return m.substr(0, 3) + std::string(m.size() - 7, '*') + m.substr(m.size() - 4);
  if (m.size() > 4) return std::string(m.size() - 2, '*') + m.substr(m.size() - 2);
  return std::string(m.size(), '*');
}

std::string VerificationService::MaskEmail(std::string_view email) {
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

core::Result<SentCode> VerificationService::SendCode(std::int64_t org_id,
                                                     std::string_view identifier,
                                                     std::string_view address) {
  const auto now = clock_.Now();
  const std::string addr(address);
  if (auto wait = by_address_.RetryAfter(addr, now); wait > 0) return Limited(wait);

  const std::string id(core::TrimSpaces(identifier));
  const bool by_email = id.find('@') != std::string::npos;
  if (id.empty() || id.size() > 128 || (!by_email && !LooksLikeMobile(id))) {
    return MakeError(ErrorKind::kInvalidArgument, "enter your mobile number or e-mail address");
  }
  // Every lookup counts, found or not, so the answers cannot be used to list who is registered.
  by_address_.Count(addr, now);

  auto found = core::ReadValue(store_, [&](IdentityUnit& u) {
    return by_email ? u.Verifications().FindByEmail(org_id, directory::EmailKey(id))
                    : u.Verifications().FindByMobile(org_id, directory::MobileKey(id));
  });
  if (!found) return std::move(found).error();
  if (!*found) {
    return MakeError(ErrorKind::kNoMatch,
                     "no member is registered with this " +
                         std::string(by_email ? "e-mail address" : "mobile number"));
  }
  const SignInMember m = std::move(**found);
  if (!m.enable || m.state == static_cast<int>(MemberState::kLeft)) {
    return MakeError(ErrorKind::kAccountUnavailable,
                     "this account cannot sign in now; ask your administrator");
  }
  const bool email = by_email;
  if (email ? !mail_.Enabled() : !sms_.Enabled()) {
    return MakeError(ErrorKind::kChannelUnavailable,
                     email ? "codes cannot be sent by e-mail on this server; use your mobile"
                           : "codes cannot be sent by SMS on this server; use your e-mail");
  }

  SentCode out;
  out.challenge = ids_.Token(kChallengeChars);
  out.channel = email ? "email" : "sms";
  out.masked = email ? MaskEmail(m.email) : MaskMobile(m.mobile);
  out.expires_at = now + limits_.ttl;
  out.resend_after_s = limits_.interval.count();
  const std::string code = ids_.Digits(kCodeDigits);
  MemberCode row;
  row.org_id = m.org_id;
  row.member_id = m.id;
  row.challenge_hash = crypto::Sha256Hex(out.challenge);
  row.code_hash = CodeHash(out.challenge, code);
  row.channel = out.channel;
  row.address = addr;
  row.created_at = now;
  row.expires_at = out.expires_at;
  std::optional<core::Error> refused;
  core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
    refused.reset();
    auto& v = u.Verifications();
    auto last = v.LastCodeAt(m.id);
    if (!last) return std::move(last).error();
    if (*last && **last + limits_.interval > now) {
      refused =
          Limited(std::chrono::ceil<std::chrono::seconds>(**last + limits_.interval - now).count());
      return core::Ok();
    }
    auto today = v.CountCodesSince(m.id, now - std::chrono::hours(24));
    if (!today) return std::move(today).error();
    if (*today >= limits_.per_day) {
      refused = MakeError(ErrorKind::kRateLimited,
                          "too many codes for this account today; try again tomorrow");
      return core::Ok();
    }
    CORPHUB_TRY(v.SpendCodesOf(m.id, now));
    return v.InsertCode(row);
  });
  if (!written) return std::move(written).error();
  if (refused) return std::move(*refused);

  core::Status sent =
      email ? mail_.Send(CodeMail(m, code, limits_.ttl)) : sms_.Send(CodeSms(m, code, limits_.ttl));
  if (!sent) {
    // A code that never arrived must not work later either.
    row.spent_at = now;
    (void)store_.Write([&](IdentityUnit& u) { return u.Verifications().UpdateCode(row); });
    return std::move(sent).error();
  }
  return out;
}

core::Result<Verified> VerificationService::Verify(std::string_view challenge,
                                                   std::string_view code, std::string_view address,
                                                   std::string_view device) {
  const auto now = clock_.Now();
  const std::string addr(address);
  if (auto wait = by_address_.RetryAfter(addr, now); wait > 0) return Limited(wait);
  auto expired = [] {
    return MakeError(ErrorKind::kCodeExpired,
                     "this code has expired or was used; ask for a new one");
  };
  if (challenge.size() != kChallengeChars) return expired();
  std::string digits(code);
  std::erase(digits, ' ');
  if (digits.size() != kCodeDigits || !AllDigits(digits)) {
    return MakeError(ErrorKind::kWrongCode, "the code is the " + std::to_string(kCodeDigits) +
                                                "-digit number in the message");
  }

  Verified out;
  std::optional<core::Error> refused;
  bool wrong = false;
  NewMemberSession fresh = MemberSessionService::Prepare(ids_, now, addr, device);
  core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
    refused.reset();
    wrong = false;
    auto& v = u.Verifications();
    auto found = v.FindCode(crypto::Sha256Hex(challenge));
    if (!found) return std::move(found).error();
    if (!*found || (*found)->spent_at || (*found)->expires_at <= now) {
      refused = expired();
      return core::Ok();
    }
    MemberCode c = std::move(**found);
    if (!crypto::ConstantTimeEquals(CodeHash(challenge, digits), c.code_hash)) {
      wrong = true;
      ++c.attempts;
      const std::int64_t left = limits_.attempts - c.attempts;
      if (left <= 0) c.spent_at = now;
      CORPHUB_TRY(v.UpdateCode(c));
      refused = left <= 0 ? MakeError(ErrorKind::kCodeExpired,
                                      "wrong code, and no tries are left; ask for a new one")
                          : MakeError(ErrorKind::kWrongCode, "wrong code; " + std::to_string(left) +
                                                                 (left == 1 ? " try" : " tries") +
                                                                 " left");
      return core::Ok();
    }
    c.spent_at = now;
    CORPHUB_TRY(v.UpdateCode(c));
    auto member = v.FindMember(c.member_id);
    if (!member) return std::move(member).error();
    if (!*member) {
      refused = Unavailable();
      return core::Ok();
    }
    return CompleteIn(u, **member, c.channel, addr, now, out, fresh, refused);
  });
  if (!written) return std::move(written).error();
  if (wrong) by_address_.Count(addr, now);
  if (refused) return std::move(*refused);
  if (out.outcome != VerifyOutcome::kPending) out.session = std::move(fresh);
  return out;
}

core::Status VerificationService::CompleteIn(IdentityUnit& u, const SignInMember& m,
                                             std::string_view channel, const std::string& addr,
                                             core::TimePoint now, Verified& out,
                                             NewMemberSession& fresh,
                                             std::optional<core::Error>& refused) {
  auto& v = u.Verifications();
  if (!m.enable || m.state == static_cast<int>(MemberState::kLeft)) {
    refused = Unavailable();
    return core::Ok();
  }
  out.userid = m.userid;
  out.outcome = VerifyOutcome::kSignedIn;
  if (m.state == static_cast<int>(MemberState::kNotActivated)) {
    auto second = v.SecondVerification(m.org_id);
    if (!second) return std::move(second).error();
    if (*second) {
      out.outcome = VerifyOutcome::kPending;
      return v.UpsertPending(
          PendingActivation{m.id, m.org_id, std::string(channel), addr, now, {}, {}});
    }
    out.outcome = VerifyOutcome::kActivated;
    CORPHUB_TRY(members_.ConfirmActivationIn(u, core::Actor{"member:" + m.userid, addr}, m.org_id,
                                             m.userid));
    CORPHUB_TRY(v.DeletePending(m.id));
  }
  fresh.session.member_id = m.id;
  fresh.session.org_id = m.org_id;
  return u.MemberSessions().Insert(fresh.session);
}

core::Result<Verified> VerificationService::VerifyAccount(std::int64_t org_id,
                                                          std::string_view account,
                                                          std::string_view password,
                                                          std::string_view address,
                                                          std::string_view device) {
  if (accounts_ == nullptr) {
    return MakeError(ErrorKind::kChannelUnavailable,
                     "this server has no account service; sign in with a code");
  }
  const auto now = clock_.Now();
  const std::string addr(address);
  if (auto wait = by_address_.RetryAfter(addr, now); wait > 0) return Limited(wait);
  const std::string id(core::TrimSpaces(account));
  auto wrong = [] {
    return MakeError(ErrorKind::kInvalidCredentials, "wrong account or password");
  };
  if (id.empty() || id.size() > 128 || password.empty() || password.size() > 1024) return wrong();
  const std::string key = "account:" + directory::UseridKey(id);
  if (auto wait = by_account_.RetryAfter(key, now); wait > 0) {
    return MakeError(ErrorKind::kLoginLocked,
                     "too many wrong passwords for this account; try again in " +
                         std::to_string((wait + 59) / 60) + " minutes, or sign in with a code");
  }
  auto match = accounts_->Check(id, password);
  if (!match) {
    // The service's address stays in the server's log; the member is told what to do.
    core::Logger("identity")->warn("account service: {}", match.error().message);
    return MakeError(ErrorKind::kUnavailable,
                     "the organisation's account service is not answering; try again later or "
                     "sign in with a code");
  }
  if (!*match) {
    by_address_.Count(addr, now);
    by_account_.Count(key, now);
    return wrong();
  }
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Verifications().FindByExternalId(org_id, id); });
  if (!found) return std::move(found).error();
  if (!*found) {
    by_address_.Count(addr, now);
    return MakeError(ErrorKind::kNoMatch,
                     "this account is not linked to a member here; ask your administrator");
  }
  Verified out;
  std::optional<core::Error> refused;
  NewMemberSession fresh = MemberSessionService::Prepare(ids_, now, addr, device);
  const SignInMember m = std::move(**found);
  core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
    refused.reset();
    return CompleteIn(u, m, "account", addr, now, out, fresh, refused);
  });
  if (!written) return std::move(written).error();
  if (refused) return std::move(*refused);
  if (out.outcome != VerifyOutcome::kPending) out.session = std::move(fresh);
  return out;
}

core::Status VerificationService::Approve(const core::Actor& actor, std::int64_t org_id,
                                          std::string_view userid) {
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    CORPHUB_TRY(members_.ConfirmActivationIn(u, actor, org_id, userid));
    auto id = u.MemberSessions().MemberIdOf(org_id, directory::UseridKey(userid));
    if (!id) return std::move(id).error();
    return *id ? u.Verifications().DeletePending(**id) : core::Ok();
  });
}

core::Status VerificationService::Reject(const core::Actor& actor, std::int64_t org_id,
                                         std::string_view userid) {
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    auto id = u.MemberSessions().MemberIdOf(org_id, directory::UseridKey(userid));
    if (!id) return std::move(id).error();
    if (!*id) {
      return MakeError(ErrorKind::kUserNotFound, "no member has the userid " + std::string(userid));
    }
    CORPHUB_TRY(u.Verifications().DeletePending(**id));
    return u.Audit().Append(core::AuditRecord{org_id, clock_.Now(), actor.principal, actor.address,
                                              "user.activation_reject", std::string(userid), "{}"});
  });
}

core::Result<std::vector<PendingActivation>> VerificationService::Pending(std::int64_t org_id) {
  return core::ReadValue(store_,
                         [&](IdentityUnit& u) { return u.Verifications().ListPending(org_id); });
}

core::Result<bool> VerificationService::SecondVerification(std::int64_t org_id) {
  return core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Verifications().SecondVerification(org_id); });
}

core::Status VerificationService::SetSecondVerification(const core::Actor& actor,
                                                        std::int64_t org_id, bool on) {
  const auto now = clock_.Now();
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    CORPHUB_TRY(u.Verifications().SetSecondVerification(org_id, on, now));
    return u.Audit().Append(
        core::AuditRecord{org_id, now, actor.principal, actor.address, "identity.settings", "",
                          core::JsonObjectWriter().Bool("second_verification", on).Done()});
  });
}

}  // namespace corphub::identity
