#include "identity/invitation_service.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/json_writer.hpp"
#include "core/percent_decode.hpp"
#include "core/text.hpp"
#include "directory/member.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"
#include "identity/verification.hpp"

namespace corphub::identity {

using core::ErrorKind;
using core::MakeError;

notify::Mail InvitationService::InviteMail(const SignInMember& m, std::string_view link) {
  notify::Mail mail;
  mail.to = m.email;
  mail.subject = m.org_name + " 邀请你加入 / invites you to join";
  mail.text =
      m.name + "，您好：\n\n" + m.org_name +
      " 邀请你使用企业消息中心，接收组织的通知、登录内部系统。打开下面的链接，用这个邮箱获取"
      "验证码即可激活：\n\n" +
      std::string(link) + "\n\nHello " + m.name + ",\n\n" + m.org_name +
      " invites you to its messaging hub: its notices and its internal systems in one "
      "place. Open the link above and sign in with this e-mail address to activate your "
      "account.\n\n-- " +
      m.org_name + "\n";
  return mail;
}

notify::Sms InvitationService::InviteSms(const SignInMember& m, std::string_view link) {
  return {m.mobile, "【" + m.org_name + "】" + m.name + "，" + m.org_name +
                        " 邀请你加入企业消息中心，打开 " + std::string(link) +
                        " 用本手机号获取验证码即可激活。" + m.org_name +
                        " invites you: open the link and sign in with this number."};
}

core::Result<InviteResult> InvitationService::Invite(const core::Actor& actor, std::int64_t org_id,
                                                     const InviteTargets& t) {
  if (t.users.size() > kMaxUsers || t.parties.size() > kMaxParties || t.tags.size() > kMaxTags) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "batch/invite takes at most 1000 users, 100 departments and 100 tags");
  }
  if (t.users.empty() && t.parties.empty() && t.tags.empty()) {
    return MakeError(ErrorKind::kInvalidArgument, "name users, departments or tags to invite");
  }
  InviteResult out;
  std::vector<std::int64_t> ids;
  auto keep = [&](const directory::Member& m) {
    if (m.Status() == directory::MemberStatus::kNotActivated) ids.push_back(m.id);
  };
  for (const auto& userid : t.users) {
    auto m = members_.Get(org_id, userid);
    if (!m) {
      if (m.error().kind != ErrorKind::kUserNotFound) return std::move(m).error();
      out.invalid_users.push_back(userid);
      continue;
    }
    keep(*m);
  }
  for (auto party : t.parties) {
    auto list = members_.ListDepartment(org_id, party, true, std::nullopt);
    if (!list) {
      if (list.error().kind != ErrorKind::kDepartmentNotFound) return std::move(list).error();
      out.invalid_parties.push_back(party);
      continue;
    }
    for (const auto& m : *list) keep(m);
  }
  for (auto tag : t.tags) {
    auto detail = tags_.Get(org_id, tag);
    if (!detail) {
      if (detail.error().kind != ErrorKind::kInvalidTagId) return std::move(detail).error();
      out.invalid_tags.push_back(tag);
      continue;
    }
    for (const auto& tm : detail->members) {
      auto m = members_.Get(org_id, tm.userid);
      if (m) keep(*m);
    }
    for (auto d : detail->departments) {
      auto list = members_.ListDepartment(org_id, d, true, std::nullopt);
      if (list) {
        for (const auto& m : *list) keep(m);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  out.invited = static_cast<std::int64_t>(ids.size());
  if (ids.empty()) return out;

  auto queued =
      core::WriteValue(store_, [&](IdentityUnit& u) { return QueueIn(u, actor, org_id, ids); });
  if (!queued) return std::move(queued).error();
  out.jobid = std::move(*queued);
  return out;
}

core::Result<std::string> InvitationService::QueueIn(IdentityUnit& u, const core::Actor& actor,
                                                     std::int64_t org_id,
                                                     const std::vector<std::int64_t>& ids) {
  jobs::Job job;
  job.org_id = org_id;
  job.jobid = ids_.Token(32);
  job.type = std::string(kInviteJob);
  job.input_json =
      core::JsonObjectWriter().Ints("members", ids).Str("actor", actor.principal).Done();
  job.total = static_cast<std::int64_t>(ids.size());
  job.created_at = job.updated_at = clock_.Now();
  CORPHUB_TRY(u.Jobs().Insert(job));
  CORPHUB_TRY(u.Audit().Append(core::AuditRecord{
      org_id, job.created_at, actor.principal, actor.address, "user.invite", "",
      core::JsonObjectWriter().Int("members", job.total).Str("jobid", job.jobid).Done()}));
  return job.jobid;
}

core::Status InvitationService::Run(const jobs::Job& job) {
  boost::system::error_code ec;
  auto input = boost::json::parse(job.input_json, ec);
  if (ec || !input.is_object() || !input.as_object().contains("members")) {
    return MakeError(ErrorKind::kInternal, "invite job " + job.jobid + " has no member list");
  }
  std::vector<std::int64_t> ids;
  for (const auto& v : input.as_object().at("members").as_array()) {
    if (v.is_int64()) ids.push_back(v.as_int64());
  }
  std::string actor;
  if (const auto* a = input.as_object().if_contains("actor"); a != nullptr && a->is_string()) {
    actor = std::string(a->as_string());
  }
  const std::string base = core::WithoutTrailingSlashes(public_url_);
  for (auto i = static_cast<std::size_t>(job.done); i < ids.size(); ++i) {
    auto found = core::ReadValue(
        store_, [&](IdentityUnit& u) { return u.Verifications().FindMember(ids[i]); });
    if (!found) return std::move(found).error();
    Invitation record;
    record.org_id = job.org_id;
    record.member_id = ids[i];
    record.actor = actor;
    bool record_it = false;
    if (*found && (*found)->enable &&
        (*found)->state == static_cast<int>(directory::MemberState::kNotActivated)) {
      const SignInMember& m = **found;
      record_it = true;
      const bool by_mail = !m.email.empty() && mail_.Enabled();
      const bool by_sms = !by_mail && !m.mobile.empty() && sms_.Enabled();
      record.channel = by_sms ? "sms" : "email";
      core::Status sent = core::Ok();
      if (by_mail) {
        sent = mail_.Send(InviteMail(m, base + "/signin?id=" + core::PercentEncode(m.email, "@")));
      } else if (by_sms) {
        sent = sms_.Send(InviteSms(m, base + "/signin?id=" + core::PercentEncode(m.mobile, "@")));
      } else {
        sent = MakeError(ErrorKind::kChannelUnavailable,
                         "the member has no e-mail or mobile that this server can send to");
      }
      record.status = sent ? "sent" : "failed";
      if (!sent) record.error = sent.error().message;
    }
    const auto now = clock_.Now();
    record.created_at = now;
    const bool last = i + 1 == ids.size();
    core::Status written = store_.Write([&](IdentityUnit& u) -> core::Status {
      if (record_it) CORPHUB_TRY(u.Verifications().InsertInvitation(record));
      return jobs::Checkpoint(u.Jobs(), job, static_cast<std::int64_t>(i + 1), last, now);
    });
    if (!written) return written;
  }
  if (ids.empty() || static_cast<std::size_t>(job.done) >= ids.size()) {
    return store_.Write([&](IdentityUnit& u) {
      return jobs::Checkpoint(u.Jobs(), job, static_cast<std::int64_t>(ids.size()), true,
                              clock_.Now());
    });
  }
  return core::Ok();
}

}  // namespace corphub::identity
