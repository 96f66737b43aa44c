#pragma once
// Invitations (WeCom's batch/invite, and the console's "invite"): members not yet activated
// get a message by e-mail (or SMS when they have no e-mail) with the sign-in link. The
// sending is a durable job (`invite_user`): each member's invitation is recorded as sent or
// failed with the job's checkpoint, so a restart resumes after the last one and sends none
// twice.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/transactor.hpp"
#include "identity/member_session.hpp"
#include "identity/verification.hpp"
#include "jobs/job.hpp"
#include "notify/outbound.hpp"

namespace corphub::directory {
class MemberService;
class TagService;
}  // namespace corphub::directory

namespace corphub::identity {

inline constexpr std::string_view kInviteJob = "invite_user";

struct InviteTargets {
  std::vector<std::string> users;
  std::vector<std::int64_t> parties;
  std::vector<std::int64_t> tags;
};

struct InviteResult {
  std::vector<std::string> invalid_users;
  std::vector<std::int64_t> invalid_parties;
  std::vector<std::int64_t> invalid_tags;
  std::int64_t invited = 0;  // members queued (those not activated yet, each once)
  std::string jobid;         // empty when nobody was queued
};

class InvitationService {
 public:
  static constexpr std::size_t kMaxUsers = 1000;
  static constexpr std::size_t kMaxParties = 100;
  static constexpr std::size_t kMaxTags = 100;

  // `public_url` is read when a job runs (the server knows it once it listens).
  InvitationService(core::Transactor<IdentityUnit>& store, const core::Clock& clock,
                    core::IdGenerator& ids, directory::MemberService& members,
                    directory::TagService& tags, notify::Mailer& mail, notify::SmsSender& sms,
                    const std::string& public_url)
      : store_(store),
        clock_(clock),
        ids_(ids),
        members_(members),
        tags_(tags),
        mail_(mail),
        sms_(sms),
        public_url_(public_url) {}

  // kInvalidArgument past the limits. Unknown userids, departments and tags come back as
  // invalid; members already active, disabled or gone are left out.
  core::Result<InviteResult> Invite(const core::Actor& actor, std::int64_t org_id,
                                    const InviteTargets& targets);

  // Queues the invite_user job for these members inside the caller's transaction (with its
  // audit record); returns the jobid. The caller wakes the job runner after the commit.
  core::Result<std::string> QueueIn(IdentityUnit& u, const core::Actor& actor, std::int64_t org_id,
                                    const std::vector<std::int64_t>& member_ids);

  // The invite_user job's handler.
  core::Status Run(const jobs::Job& job);

  // The invitation's texts, for the member `m` (pure, for tests).
  static notify::Mail InviteMail(const SignInMember& m, std::string_view link);
  static notify::Sms InviteSms(const SignInMember& m, std::string_view link);

 private:
  core::Transactor<IdentityUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  directory::MemberService& members_;
  directory::TagService& tags_;
  notify::Mailer& mail_;
  notify::SmsSender& sms_;
  const std::string& public_url_;
};

}  // namespace corphub::identity
