#pragma once
// Open registration (identity/registration.hpp): the public application, the administrators'
// queue, approval (the member is created and invited in the same transaction) and rejection
// (the applicant is told by a durable job, `registration_notice`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/rate_limiter.hpp"
#include "core/transactor.hpp"
#include "identity/member_session.hpp"
#include "identity/registration.hpp"
#include "jobs/job.hpp"
#include "notify/outbound.hpp"

namespace corphub::directory {
class MemberService;
}

namespace corphub::identity {

class InvitationService;

inline constexpr std::string_view kRegistrationNoticeJob = "registration_notice";

struct Application {
  std::string name;
  std::int64_t department_id = 0;
  std::string position;
  std::string userid;  // wished; may be empty
  std::string mobile;
  std::string email;
  std::string note;
};

struct Applied {
  std::string id;     // the application's public id
  std::string token;  // the applicant's proof, for reading its status; only its hash is kept
};

struct RegistrationForm {
  bool open = false;
  std::string org_name;
  std::vector<RegistrationDepartment> departments;  // only while open
};

// What an administrator may change before approving.
struct ApprovalEdits {
  std::optional<std::string> userid;
  std::optional<std::string> name;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> position;
};

struct Approved {
  std::string userid;
  std::string jobid;  // the invitation's
};

// An application in the console's queue, with the userid approval would use when none is
// given: the wished one while free, else one made from the name's pinyin ("zhangsan", then
// "zhangsan2", ...). Empty once decided.
struct ListedRegistration {
  Registration registration;
  std::string suggested_userid;
};

struct RegistrationLimits {
  std::int64_t per_address_hour = 20;  // applications from one address
  std::int64_t max_pending = 1000;     // waiting at once
};

class RegistrationService {
 public:
  static constexpr std::size_t kIdChars = 22;
  static constexpr std::size_t kTokenChars = 43;
  static constexpr std::size_t kMaxNoteChars = 500;
  static constexpr std::size_t kMaxReasonChars = 200;
  static constexpr std::int64_t kListLimit = 500;

  RegistrationService(core::Transactor<IdentityUnit>& store, const core::Clock& clock,
                      core::IdGenerator& ids, directory::MemberService& members,
                      InvitationService& invitations, notify::Mailer& mail, notify::SmsSender& sms,
                      RegistrationLimits limits)
      : store_(store),
        clock_(clock),
        ids_(ids),
        members_(members),
        invitations_(invitations),
        mail_(mail),
        sms_(sms),
        limits_(limits),
        by_address_(limits.per_address_hour, std::chrono::hours(1)) {}

  core::Result<RegistrationForm> Form(std::int64_t org_id);
  // kRegistrationClosed; kRateLimited; the member rules' kinds (60112 name, 60103 mobile,
  // 60105 e-mail, 60129 neither, 60003 department, 40003/60102 userid, 60104/60106 already a
  // member's, without naming who); kConflict when an application with that mobile or e-mail
  // is already waiting. Blocking.
  core::Result<Applied> Apply(std::int64_t org_id, const Application& a, std::string_view address);
  // kNotFound unless the token is the application's.
  core::Result<Registration> Status(std::int64_t org_id, std::string_view public_id,
                                    std::string_view token);

  // The application, for the console; kNotFound when there is none.
  core::Result<Registration> Find(std::int64_t org_id, std::string_view public_id);

  // Newest first (at most kListLimit), in one read, each pending one with its suggestion.
  core::Result<std::vector<ListedRegistration>> List(std::int64_t org_id,
                                                     std::optional<RegistrationStatus> status);
  // kNotFound; kConflict when decided already; the member rules' kinds.
  core::Result<Approved> Approve(const core::Actor& actor, std::int64_t org_id,
                                 std::string_view public_id, const ApprovalEdits& edits);
  // Returns the notice job's id (empty when the applicant gave nothing to write to).
  core::Result<std::string> Reject(const core::Actor& actor, std::int64_t org_id,
                                   std::string_view public_id, std::string_view reason);
  // The registration_notice job's handler.
  core::Status RunNotice(const jobs::Job& job);

  core::Result<bool> Open(std::int64_t org_id);
  core::Status SetOpen(const core::Actor& actor, std::int64_t org_id, bool on);

  // The rejection's texts (pure, for tests).
  static notify::Mail RejectionMail(const Registration& r, std::string_view org_name);
  static notify::Sms RejectionSms(const Registration& r, std::string_view org_name);
  // The pinyin-based userid stem for a name ("张三" -> "zhangsan"); "member" when nothing usable.
  static std::string UseridStem(std::string_view name);

 private:
  // See ListedRegistration.
  core::Result<std::string> SuggestIn(IdentityUnit& u, std::int64_t org_id, const Registration& r);

  core::Transactor<IdentityUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  directory::MemberService& members_;
  InvitationService& invitations_;
  notify::Mailer& mail_;
  notify::SmsSender& sms_;
  RegistrationLimits limits_;
  core::WindowLimiter by_address_;
};

}  // namespace corphub::identity
