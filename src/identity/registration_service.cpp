#include "identity/registration_service.hpp"

#include <boost/json/parse.hpp>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "directory/member.hpp"
#include "directory/member_service.hpp"
#include "identity/invitation_service.hpp"
#include "pinyin/pinyin.hpp"

namespace corphub::identity {

using core::ErrorKind;
using core::MakeError;

std::string_view RegistrationStatusName(RegistrationStatus s) {
  switch (s) {
    case RegistrationStatus::kPending:
      return "pending";
    case RegistrationStatus::kApproved:
      return "approved";
    case RegistrationStatus::kRejected:
      return "rejected";
  }
  return "pending";
}

std::optional<RegistrationStatus> ParseRegistrationStatus(std::string_view name) {
  if (name == "pending") return RegistrationStatus::kPending;
  if (name == "approved") return RegistrationStatus::kApproved;
  if (name == "rejected") return RegistrationStatus::kRejected;
  return std::nullopt;
}

namespace {

std::string Trimmed(std::string_view s) { return std::string(core::TrimSpaces(s)); }

core::Error NotFound() { return MakeError(ErrorKind::kNotFound, "no such application"); }

core::Error Decided(RegistrationStatus s) {
  return MakeError(ErrorKind::kConflict, std::string("this application was ") +
                                             std::string(RegistrationStatusName(s)) + " already");
}

// The member rules' errors, said to an applicant: never naming the member who holds a value.
core::Error ForApplicant(core::Error e) {
  switch (e.kind) {
    case ErrorKind::kMobileExists:
      return MakeError(e.kind, "this mobile is already registered: sign in with it instead");
    case ErrorKind::kEmailExists:
      return MakeError(e.kind, "this e-mail is already registered: sign in with it instead");
    case ErrorKind::kUserIdExists:
      return MakeError(e.kind, "this userid is taken: choose another, or leave it empty");
    case ErrorKind::kDepartmentNotFound:
      return MakeError(e.kind, "choose a department from the list");
    default:
      return e;
  }
}

}  // namespace

std::string RegistrationService::UseridStem(std::string_view name) {
  const std::string full = pinyin::KeysOf(name).full;
  std::string out;
  for (char c : full) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || (!out.empty() && (c == '.' || c == '_' || c == '-'))) out += c;
    if (out.size() >= 60) break;
  }
  return out.empty() ? "member" : out;
}

core::Result<std::string> RegistrationService::SuggestIn(IdentityUnit& u, std::int64_t org_id,
                                                         const Registration& r) {
  auto free = [&](const std::string& userid) -> core::Result<bool> {
    auto taken = u.Members().FindBy(org_id, directory::MemberKey::kUserid, userid);
    if (!taken) return std::move(taken).error();
    return !*taken;
  };
  if (!r.userid.empty()) {
    auto ok = free(r.userid);
    if (!ok) return std::move(ok).error();
    if (*ok) return r.userid;
  }
  const std::string stem = UseridStem(r.name);
  for (int n = 1; n < 100; ++n) {
    std::string candidate = n == 1 ? stem : stem + std::to_string(n);
    auto ok = free(candidate);
    if (!ok) return std::move(ok).error();
    if (*ok) return candidate;
  }
  return stem + ids_.Digits(6);
}

core::Result<RegistrationForm> RegistrationService::Form(std::int64_t org_id) {
  return core::ReadValue(store_, [&](IdentityUnit& u) -> core::Result<RegistrationForm> {
    RegistrationForm out;
    auto open = u.Registrations().Open(org_id);
    if (!open) return std::move(open).error();
    out.open = *open;
    auto name = u.Registrations().OrgName(org_id);
    if (!name) return std::move(name).error();
    out.org_name = std::move(*name);
    if (out.open) {
      auto departments = u.Registrations().Departments(org_id);
      if (!departments) return std::move(departments).error();
      out.departments = std::move(*departments);
    }
    return out;
  });
}

core::Result<Applied> RegistrationService::Apply(std::int64_t org_id, const Application& a,
                                                 std::string_view address) {
  const auto now = clock_.Now();
  const std::string addr(address);
  auto open = Open(org_id);
  if (!open) return std::move(open).error();
  if (!*open) {
    return MakeError(ErrorKind::kRegistrationClosed,
                     "this organisation does not take applications; ask its administrator");
  }
  if (auto wait = by_address_.RetryAfter(addr, now); wait > 0) {
    return MakeError(ErrorKind::kRateLimited,
                     "too many applications from this network; try "
                     "again in " +
                         std::to_string((wait + 59) / 60) + " minutes");
  }
  Registration r;
  r.org_id = org_id;
  r.name = Trimmed(a.name);
  r.department_id = a.department_id;
  r.position = Trimmed(a.position);
  r.userid = Trimmed(a.userid);
  r.mobile = Trimmed(a.mobile);
  r.email = Trimmed(a.email);
  r.note = Trimmed(a.note);
  r.address = addr;
  r.created_at = now;
  if (core::CodePoints(r.note) > kMaxNoteChars) {
    return MakeError(ErrorKind::kInvalidArgument, "the note is longer than 500 characters");
  }
  if (r.department_id <= 0) {
    return MakeError(ErrorKind::kDepartmentNotFound, "choose a department from the list");
  }
  // The member the approval would create, checked now, so the queue holds only applications an
  // administrator can approve as they are (a wished userid may still be changed then).
  directory::NewMember probe;
  probe.userid = r.userid.empty() ? "r" + ids_.Digits(12) : r.userid;
  probe.fields.name = r.name;
  probe.fields.position = r.position;
  probe.fields.departments = std::vector<std::int64_t>{r.department_id};
  if (!r.mobile.empty()) probe.fields.mobile = r.mobile;
  if (!r.email.empty()) probe.fields.email = r.email;
  if (auto checked = members_.Check(org_id, probe); !checked) {
    // Answers that say whether someone is registered count towards the limit, so it cannot be
    // used to list who is; a typing mistake does not.
    const ErrorKind k = checked.error().kind;
    if (k == ErrorKind::kMobileExists || k == ErrorKind::kEmailExists ||
        k == ErrorKind::kUserIdExists) {
      by_address_.Count(addr, now);
    }
    return ForApplicant(std::move(checked).error());
  }
  by_address_.Count(addr, now);

  Applied out;
  out.id = ids_.Token(kIdChars);
  out.token = ids_.Token(kTokenChars);
  r.public_id = out.id;
  r.token_hash = crypto::Sha256Hex(out.token);
  std::optional<core::Error> refused;
  core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
    refused.reset();
    auto& regs = u.Registrations();
    auto waiting = regs.CountPending(org_id);
    if (!waiting) return std::move(waiting).error();
    if (*waiting >= limits_.max_pending) {
      refused = MakeError(ErrorKind::kRateLimited,
                          "too many applications are waiting; try again in a few days");
      return core::Ok();
    }
    auto dup =
        regs.PendingWith(org_id, directory::MobileKey(r.mobile), directory::EmailKey(r.email));
    if (!dup) return std::move(dup).error();
    if (*dup) {
      refused = MakeError(ErrorKind::kConflict,
                          "an application with this mobile or e-mail is already waiting for "
                          "approval");
      return core::Ok();
    }
    CORPHUB_TRY(regs.Insert(r));
    return u.Audit().Append(core::AuditRecord{
        org_id, now, "applicant", addr, "registration.apply", r.public_id,
        core::JsonObjectWriter().Str("name", r.name).Int("department", r.department_id).Done()});
  });
  if (!written) return std::move(written).error();
  if (refused) return std::move(*refused);
  return out;
}

core::Result<Registration> RegistrationService::Status(std::int64_t org_id,
                                                       std::string_view public_id,
                                                       std::string_view token) {
  if (public_id.empty() || public_id.size() > 64 || token.size() != kTokenChars) return NotFound();
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Registrations().Find(org_id, public_id); });
  if (!found) return std::move(found).error();
  if (!*found || !crypto::ConstantTimeEquals((*found)->token_hash, crypto::Sha256Hex(token))) {
    return NotFound();
  }
  return std::move(**found);
}

core::Result<Registration> RegistrationService::Find(std::int64_t org_id,
                                                     std::string_view public_id) {
  if (public_id.empty() || public_id.size() > 64) return NotFound();
  auto found = core::ReadValue(
      store_, [&](IdentityUnit& u) { return u.Registrations().Find(org_id, public_id); });
  if (!found) return std::move(found).error();
  if (!*found) return NotFound();
  return std::move(**found);
}

core::Result<std::vector<ListedRegistration>> RegistrationService::List(
    std::int64_t org_id, std::optional<RegistrationStatus> status) {
  return core::ReadValue(store_,
                         [&](IdentityUnit& u) -> core::Result<std::vector<ListedRegistration>> {
                           auto found = u.Registrations().List(org_id, status, kListLimit);
                           if (!found) return std::move(found).error();
                           std::vector<ListedRegistration> out;
                           out.reserve(found->size());
                           for (auto& r : *found) {
                             std::string suggested;
                             if (r.status == RegistrationStatus::kPending) {
                               auto s = SuggestIn(u, org_id, r);
                               if (!s) return std::move(s).error();
                               suggested = std::move(*s);
                             }
                             out.push_back({std::move(r), std::move(suggested)});
                           }
                           return out;
                         });
}

core::Result<Approved> RegistrationService::Approve(const core::Actor& actor, std::int64_t org_id,
                                                    std::string_view public_id,
                                                    const ApprovalEdits& edits) {
  const auto now = clock_.Now();
  return core::WriteValue(store_, [&](IdentityUnit& u) -> core::Result<Approved> {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    auto found = u.Registrations().Find(org_id, public_id);
    if (!found) return std::move(found).error();
    if (!*found) return NotFound();
    Registration r = std::move(**found);
    if (r.status != RegistrationStatus::kPending) return Decided(r.status);
    if (edits.name) r.name = Trimmed(*edits.name);
    if (edits.position) r.position = Trimmed(*edits.position);
    if (edits.department_id) r.department_id = *edits.department_id;
    std::string userid;
    if (edits.userid && !Trimmed(*edits.userid).empty()) {
      userid = Trimmed(*edits.userid);
    } else {
      auto suggested = SuggestIn(u, org_id, r);
      if (!suggested) return std::move(suggested).error();
      userid = std::move(*suggested);
    }
    directory::NewMember nm;
    nm.userid = userid;
    nm.fields.name = r.name;
    nm.fields.position = r.position;
    nm.fields.departments = std::vector<std::int64_t>{r.department_id};
    if (!r.mobile.empty()) nm.fields.mobile = r.mobile;
    if (!r.email.empty()) nm.fields.email = r.email;
    CORPHUB_TRY(members_.CreateIn(u, actor, org_id, nm));
    auto created = u.Members().FindBy(org_id, directory::MemberKey::kUserid, userid);
    if (!created) return std::move(created).error();
    if (!*created) return MakeError(ErrorKind::kInternal, "the new member vanished");
    r.status = RegistrationStatus::kApproved;
    r.member_userid = (*created)->userid;
    r.decided_by = actor.principal;
    r.decided_at = now;
    auto decided = u.Registrations().Decide(r);
    if (!decided) return std::move(decided).error();
    if (!*decided) return MakeError(ErrorKind::kConflict, "this application was decided already");
    auto jobid = invitations_.QueueIn(u, actor, org_id, {(*created)->id});
    if (!jobid) return std::move(jobid).error();
    CORPHUB_TRY(u.Audit().Append(core::AuditRecord{
        org_id, now, actor.principal, actor.address, "registration.approve", r.member_userid,
        core::JsonObjectWriter().Str("registration", r.public_id).Str("jobid", *jobid).Done()}));
    return Approved{r.member_userid, std::move(*jobid)};
  });
}

core::Result<std::string> RegistrationService::Reject(const core::Actor& actor, std::int64_t org_id,
                                                      std::string_view public_id,
                                                      std::string_view reason) {
  const std::string why = Trimmed(reason);
  if (core::CodePoints(why) > kMaxReasonChars) {
    return MakeError(ErrorKind::kInvalidArgument, "the reason is longer than 200 characters");
  }
  const auto now = clock_.Now();
  return core::WriteValue(store_, [&](IdentityUnit& u) -> core::Result<std::string> {
    auto found = u.Registrations().Find(org_id, public_id);
    if (!found) return std::move(found).error();
    if (!*found) return NotFound();
    Registration r = std::move(**found);
    if (r.status != RegistrationStatus::kPending) return Decided(r.status);
    r.status = RegistrationStatus::kRejected;
    r.reason = why;
    r.decided_by = actor.principal;
    r.decided_at = now;
    auto decided = u.Registrations().Decide(r);
    if (!decided) return std::move(decided).error();
    if (!*decided) return MakeError(ErrorKind::kConflict, "this application was decided already");
    std::string jobid;
    if (!r.email.empty() || !r.mobile.empty()) {
      jobs::Job job;
      job.org_id = org_id;
      job.jobid = ids_.Token(32);
      job.type = std::string(kRegistrationNoticeJob);
      job.input_json = core::JsonObjectWriter().Str("registration", r.public_id).Done();
      job.total = 1;
      job.created_at = job.updated_at = now;
      CORPHUB_TRY(u.Jobs().Insert(job));
      jobid = job.jobid;
    }
    CORPHUB_TRY(u.Audit().Append(core::AuditRecord{
        org_id, now, actor.principal, actor.address, "registration.reject", r.public_id,
        core::JsonObjectWriter().Str("name", r.name).Str("reason", why).Done()}));
    return jobid;
  });
}

notify::Mail RegistrationService::RejectionMail(const Registration& r, std::string_view org_name) {
  notify::Mail mail;
  mail.to = r.email;
  const std::string org(org_name);
  mail.subject = org + " 未通过你的加入申请 / did not accept your application";
  const std::string zh_reason = r.reason.empty() ? "" : "原因：" + r.reason + "\n\n";
  const std::string en_reason = r.reason.empty() ? "" : "The reason given: " + r.reason + "\n\n";
  mail.text = r.name + "，您好：\n\n" + org + " 的管理员未通过你的加入申请。\n\n" + zh_reason +
              "如有疑问，请联系组织的管理员。\n\nHello " + r.name + ",\n\nAn administrator of " +
              org + " did not accept your application to join.\n\n" + en_reason +
              "If you think this is a mistake, ask the organisation's administrator.\n\n-- " + org +
              "\n";
  return mail;
}

notify::Sms RegistrationService::RejectionSms(const Registration& r, std::string_view org_name) {
  const std::string org(org_name);
  std::string text = "【" + org + "】" + r.name + "，你的加入申请未通过";
  if (!r.reason.empty()) text += "（" + r.reason + "）";
  text += "。" + org + " did not accept your application.";
  return {r.mobile, text};
}

core::Status RegistrationService::RunNotice(const jobs::Job& job) {
  boost::system::error_code ec;
  auto input = boost::json::parse(job.input_json, ec);
  const boost::json::value* id =
      ec || !input.is_object() ? nullptr : input.as_object().if_contains("registration");
  if (id == nullptr || !id->is_string()) {
    return MakeError(ErrorKind::kInternal, "notice job " + job.jobid + " names no application");
  }
  const std::string public_id(id->as_string());
  struct Found {
    std::optional<Registration> r;
    std::string org_name;
  };
  auto found = core::ReadValue(store_, [&](IdentityUnit& u) -> core::Result<Found> {
    auto r = u.Registrations().Find(job.org_id, public_id);
    if (!r) return std::move(r).error();
    auto org = u.Registrations().OrgName(job.org_id);
    if (!org) return std::move(org).error();
    return Found{std::move(*r), std::move(*org)};
  });
  if (!found) return std::move(found).error();
  std::string notice;
  if (found->r && job.done == 0) {
    const Registration& r = *found->r;
    core::Status sent = MakeError(ErrorKind::kChannelUnavailable, "nowhere to write to");
    if (!r.email.empty() && mail_.Enabled()) {
      sent = mail_.Send(RejectionMail(r, found->org_name));
    } else if (!r.mobile.empty() && sms_.Enabled()) {
      sent = sms_.Send(RejectionSms(r, found->org_name));
    }
    notice = sent ? "sent" : "failed";
  }
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    if (!notice.empty()) CORPHUB_TRY(u.Registrations().SetNotice(found->r->id, notice));
    return jobs::Checkpoint(u.Jobs(), job, 1, true, clock_.Now());
  });
}

core::Result<bool> RegistrationService::Open(std::int64_t org_id) {
  return core::ReadValue(store_, [&](IdentityUnit& u) { return u.Registrations().Open(org_id); });
}

core::Status RegistrationService::SetOpen(const core::Actor& actor, std::int64_t org_id, bool on) {
  const auto now = clock_.Now();
  return store_.Write([&](IdentityUnit& u) -> core::Status {
    CORPHUB_TRY(u.Registrations().SetOpen(org_id, on, now));
    return u.Audit().Append(
        core::AuditRecord{org_id, now, actor.principal, actor.address, "identity.settings", "",
                          core::JsonObjectWriter().Bool("open_registration", on).Done()});
  });
}

}  // namespace corphub::identity
