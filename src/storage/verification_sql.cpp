#include "storage/verification_sql.hpp"

#include <string>

namespace corphub::storage {

core::Result<std::optional<identity::SignInMember>> VerificationSql::FindWhere(
    std::string_view where, const Params& params, bool business_mail) {
  auto rows = sql_.Query(
      "SELECT m.id, m.org_id, m.userid, m.name, m.mobile, m.email, m.biz_mail, m.enable, m.state, "
      "o.name FROM members m JOIN organisations o ON o.id = m.org_id WHERE " +
          std::string(where),
      params);
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<identity::SignInMember>();
  const Row& r = rows->front();
  identity::SignInMember m;
  m.id = r.GetInt64(0);
  m.org_id = r.GetInt64(1);
  m.userid = r.GetString(2);
  m.name = r.GetString(3);
  m.mobile = r.GetString(4);
  m.email = business_mail || r.GetString(5).empty() ? r.GetString(6) : r.GetString(5);
  m.enable = r.GetInt64(7) != 0;
  m.state = static_cast<int>(r.GetInt64(8));
  m.org_name = r.GetString(9);
  return std::optional<identity::SignInMember>(std::move(m));
}

core::Result<std::optional<identity::SignInMember>> VerificationSql::FindByMobile(
    std::int64_t org_id, std::string_view mobile_key) {
  return FindWhere("m.org_id = ? AND m.mobile_key = ?", {org_id, std::string(mobile_key)});
}

core::Result<std::optional<identity::SignInMember>> VerificationSql::FindByEmail(
    std::int64_t org_id, std::string_view email_key) {
  // The personal address first; the code goes to the address the member typed.
  auto found = FindWhere("m.org_id = ? AND m.email_key = ?", {org_id, std::string(email_key)});
  if (!found || *found) return found;
  return FindWhere("m.org_id = ? AND m.biz_mail_key = ?", {org_id, std::string(email_key)}, true);
}

core::Result<std::optional<identity::SignInMember>> VerificationSql::FindMember(
    std::int64_t member_id) {
  return FindWhere("m.id = ?", {member_id});
}

core::Result<std::optional<identity::SignInMember>> VerificationSql::FindByExternalId(
    std::int64_t org_id, std::string_view external_id) {
  return FindWhere("m.org_id = ? AND m.external_id = ? AND m.external_id <> ''",
                   {org_id, std::string(external_id)});
}

core::Status VerificationSql::InsertCode(identity::MemberCode& c) {
  auto rows = sql_.Query(
      "INSERT INTO member_codes (org_id, member_id, challenge_hash, code_hash, channel, address, "
      "attempts, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      MakeParams(c.org_id, c.member_id, c.challenge_hash, c.code_hash, c.channel, c.address,
                 c.attempts, core::UnixSeconds(c.created_at), core::UnixSeconds(c.expires_at)));
  if (!rows) return std::move(rows).error();
  c.id = rows->front().GetInt64(0);
  return core::Ok();
}

core::Result<std::optional<identity::MemberCode>> VerificationSql::FindCode(
    std::string_view challenge_hash) {
  auto rows = sql_.Query(
      "SELECT id, org_id, member_id, challenge_hash, code_hash, channel, address, attempts, "
      "created_at, expires_at, spent_at FROM member_codes WHERE challenge_hash = ?",
      {std::string(challenge_hash)});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<identity::MemberCode>();
  const Row& r = rows->front();
  identity::MemberCode c;
  c.id = r.GetInt64(0);
  c.org_id = r.GetInt64(1);
  c.member_id = r.GetInt64(2);
  c.challenge_hash = r.GetString(3);
  c.code_hash = r.GetString(4);
  c.channel = r.GetString(5);
  c.address = r.GetString(6);
  c.attempts = r.GetInt64(7);
  c.created_at = core::FromUnixSeconds(r.GetInt64(8));
  c.expires_at = core::FromUnixSeconds(r.GetInt64(9));
  if (auto spent = r.GetOptionalInt64(10)) c.spent_at = core::FromUnixSeconds(*spent);
  return std::optional<identity::MemberCode>(std::move(c));
}

core::Status VerificationSql::UpdateCode(const identity::MemberCode& c) {
  Value spent = nullptr;
  if (c.spent_at) spent = core::UnixSeconds(*c.spent_at);
  CORPHUB_TRY(sql_.Exec("UPDATE member_codes SET attempts = ?, spent_at = ? WHERE id = ?",
                        MakeParams(c.attempts, spent, c.id)));
  return core::Ok();
}

core::Status VerificationSql::SpendCodesOf(std::int64_t member_id, core::TimePoint at) {
  CORPHUB_TRY(
      sql_.Exec("UPDATE member_codes SET spent_at = ? WHERE member_id = ? AND spent_at IS NULL",
                {core::UnixSeconds(at), member_id}));
  return core::Ok();
}

core::Result<std::int64_t> VerificationSql::CountCodesSince(std::int64_t member_id,
                                                            core::TimePoint since) {
  auto rows = sql_.Query("SELECT COUNT(*) FROM member_codes WHERE member_id = ? AND created_at > ?",
                         {member_id, core::UnixSeconds(since)});
  if (!rows) return std::move(rows).error();
  return rows->front().GetInt64(0);
}

core::Result<std::optional<core::TimePoint>> VerificationSql::LastCodeAt(std::int64_t member_id) {
  auto rows =
      sql_.Query("SELECT MAX(created_at) FROM member_codes WHERE member_id = ?", {member_id});
  if (!rows) return std::move(rows).error();
  auto at = rows->front().GetOptionalInt64(0);
  if (!at) return std::optional<core::TimePoint>();
  return std::optional<core::TimePoint>(core::FromUnixSeconds(*at));
}

core::Result<bool> VerificationSql::SecondVerification(std::int64_t org_id) {
  auto rows =
      sql_.Query("SELECT second_verification FROM identity_settings WHERE org_id = ?", {org_id});
  if (!rows) return std::move(rows).error();
  return !rows->empty() && rows->front().GetInt64(0) != 0;
}

core::Status VerificationSql::SetSecondVerification(std::int64_t org_id, bool on,
                                                    core::TimePoint at) {
  CORPHUB_TRY(sql_.Exec(
      "INSERT INTO identity_settings (org_id, second_verification, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (org_id) DO UPDATE SET second_verification = excluded.second_verification, "
      "updated_at = excluded.updated_at",
      {org_id, std::int64_t{on ? 1 : 0}, core::UnixSeconds(at)}));
  return core::Ok();
}

core::Status VerificationSql::UpsertPending(const identity::PendingActivation& p) {
  CORPHUB_TRY(sql_.Exec(
      "INSERT INTO pending_activations (member_id, org_id, channel, address, verified_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET channel = excluded.channel, "
      "address = excluded.address, verified_at = excluded.verified_at",
      MakeParams(p.member_id, p.org_id, p.channel, p.address, core::UnixSeconds(p.verified_at))));
  return core::Ok();
}

core::Status VerificationSql::DeletePending(std::int64_t member_id) {
  CORPHUB_TRY(sql_.Exec("DELETE FROM pending_activations WHERE member_id = ?", {member_id}));
  return core::Ok();
}

core::Result<std::vector<identity::PendingActivation>> VerificationSql::ListPending(
    std::int64_t org_id) {
  auto rows = sql_.Query(
      "SELECT p.member_id, p.org_id, p.channel, p.address, p.verified_at, m.userid, m.name "
      "FROM pending_activations p JOIN members m ON m.id = p.member_id "
      "WHERE p.org_id = ? AND m.state = 4 AND m.enable = 1 ORDER BY p.verified_at, p.member_id",
      {org_id});
  if (!rows) return std::move(rows).error();
  std::vector<identity::PendingActivation> out;
  for (const auto& r : *rows) {
    out.push_back(identity::PendingActivation{r.GetInt64(0), r.GetInt64(1), r.GetString(2),
                                              r.GetString(3), core::FromUnixSeconds(r.GetInt64(4)),
                                              r.GetString(5), r.GetString(6)});
  }
  return out;
}

core::Status VerificationSql::InsertInvitation(const identity::Invitation& i) {
  CORPHUB_TRY(sql_.Exec(
      "INSERT INTO invitations (org_id, member_id, channel, status, error, actor, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      MakeParams(i.org_id, i.member_id, i.channel, i.status, i.error, i.actor,
                 core::UnixSeconds(i.created_at))));
  return core::Ok();
}

core::Result<std::optional<identity::MemberPassword>> VerificationSql::FindPassword(
    std::int64_t member_id) {
  auto rows = sql_.Query(
      "SELECT member_id, org_id, password_hash, failed, locked_until, updated_at FROM "
      "member_passwords WHERE member_id = ?",
      {member_id});
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<identity::MemberPassword>();
  const Row& r = rows->front();
  identity::MemberPassword p;
  p.member_id = r.GetInt64(0);
  p.org_id = r.GetInt64(1);
  p.hash = r.GetString(2);
  p.failed = r.GetInt64(3);
  p.locked_until = core::FromUnixSeconds(r.GetInt64(4));
  p.updated_at = core::FromUnixSeconds(r.GetInt64(5));
  return std::optional<identity::MemberPassword>(std::move(p));
}

core::Status VerificationSql::SetPassword(const identity::MemberPassword& p) {
  CORPHUB_TRY(sql_.Exec(
      "INSERT INTO member_passwords (member_id, org_id, password_hash, failed, locked_until, "
      "updated_at) VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT (member_id) DO UPDATE SET "
      "password_hash = excluded.password_hash, failed = 0, locked_until = 0, updated_at = "
      "excluded.updated_at",
      MakeParams(p.member_id, p.org_id, p.hash, core::UnixSeconds(p.updated_at))));
  return core::Ok();
}

core::Status VerificationSql::DeletePassword(std::int64_t member_id) {
  CORPHUB_TRY(sql_.Exec("DELETE FROM member_passwords WHERE member_id = ?", {member_id}));
  return core::Ok();
}

core::Status VerificationSql::SetPasswordFailures(std::int64_t member_id, std::int64_t failed,
                                                  core::TimePoint locked_until) {
  CORPHUB_TRY(
      sql_.Exec("UPDATE member_passwords SET failed = ?, locked_until = ? WHERE member_id = ?",
                {failed, core::UnixSeconds(locked_until), member_id}));
  return core::Ok();
}

}  // namespace corphub::storage
