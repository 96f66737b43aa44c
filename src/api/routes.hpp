#pragma once
// The server's HTTP surfaces, registered on a router by the composition root.
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::core {
class WorkerPool;
}
namespace corphub::diagnostics {
class ProbeService;
}
namespace corphub::corp {
class TokenService;
}
namespace corphub::directory {
class DepartmentService;
class MemberService;
class TagService;
class BatchService;
class ConsoleService;
class ImportService;
class ScopeResolver;
}  // namespace corphub::directory
namespace corphub::media {
class MediaService;
}
namespace corphub::apps {
class AppService;
}
namespace corphub::callback {
class CallbackService;
}
namespace corphub::messaging {
class SendService;
class ReceiptService;
class ChatService;
}  // namespace corphub::messaging
namespace corphub::identity {
class InvitationService;
class RegistrationService;
class MemberSessionService;
class VerificationService;
}  // namespace corphub::identity
namespace corphub::admin {
class GroupService;
}
namespace corphub::core {
class IdGenerator;
template <class Unit>
class GroupCommitter;
}  // namespace corphub::core
namespace corphub::messaging {
class MessagingUnit;
}
namespace corphub::net {
class Router;
class Metrics;
}  // namespace corphub::net

namespace corphub::api {

struct SystemDeps {
  core::WorkerPool& pool;
  net::Metrics& metrics;
  const core::Clock& clock;
  core::TimePoint started;
  std::string version;
  std::string backend;                 // "sqlite" or "postgres"
  std::function<core::Status()> ping;  // blocking: run through Offload
};

// GET /healthz, GET /metrics.
void AddSystemRoutes(net::Router& router, const SystemDeps& deps);

// Unknown /cgi-bin endpoints: HTTP 200 with WeCom's errcode, as every SDK expects.
void AddCgiBinFallback(net::Router& router);

// /cgi-bin/gettoken.
void AddCgiBinTokenRoutes(net::Router& router, core::WorkerPool& pool, corp::TokenService& tokens);

struct CgiBinDeps;
// /cgi-bin/department/*.
void AddCgiBinDepartmentRoutes(net::Router& router, CgiBinDeps deps,
                               directory::DepartmentService& departments);
// /cgi-bin/user/*.
void AddCgiBinUserRoutes(net::Router& router, CgiBinDeps deps, directory::MemberService& members);
// /cgi-bin/tag/*.
void AddCgiBinTagRoutes(net::Router& router, CgiBinDeps deps, directory::TagService& tags);
// /cgi-bin/media/upload, /cgi-bin/media/get, /cgi-bin/media/uploadimg.
void AddCgiBinMediaRoutes(net::Router& router, CgiBinDeps deps, media::MediaService& media);
// GET /media/img/{media_id}: the images of media/uploadimg, to anyone (their URLs go into
// message bodies).
void AddPublicImageRoutes(net::Router& router, core::WorkerPool& pool, media::MediaService& media,
                          const std::int64_t& org_id);
// /cgi-bin/batch/*; `queued` wakes the job runner after a submission.
void AddCgiBinBatchRoutes(net::Router& router, CgiBinDeps deps, directory::BatchService& batches,
                          std::function<void()> queued);

// /cgi-bin/message/send, recall, get_statistics and (corphub's own) get_read_status.
void AddCgiBinMessageRoutes(net::Router& router, CgiBinDeps deps, messaging::SendService& sends,
                            messaging::ReceiptService& receipts,
                            core::GroupCommitter<messaging::MessagingUnit>& committer,
                            core::IdGenerator& ids);

// /cgi-bin/appchat/create, update, get, send.
void AddCgiBinAppchatRoutes(net::Router& router, CgiBinDeps deps, messaging::ChatService& chats,
                            messaging::SendService& sends,
                            core::GroupCommitter<messaging::MessagingUnit>& committer);

// /cgi-bin/agent/get, list, set and /cgi-bin/menu/create, get, delete (an app's own token).
void AddCgiBinAgentRoutes(net::Router& router, CgiBinDeps deps, apps::AppService& apps,
                          directory::ScopeResolver& scopes, media::MediaService& media);

struct AdminDeps;
class StreamHub;
// /admin/api/session: console login, session, logout; and the JSON 404 of unknown /admin/api.
void AddAdminSessionRoutes(net::Router& router, AdminDeps deps);
// /admin/api/departments, /admin/api/members, /admin/api/members/bulk, /admin/api/tags.
void AddAdminDirectoryRoutes(net::Router& router, AdminDeps deps,
                             directory::DepartmentService& departments,
                             directory::ConsoleService& console);
// /admin/api/apps, /admin/api/apps/{agentid}/messages, /admin/api/messages/{msgid}/receipts.
void AddAdminMessageRoutes(net::Router& router, AdminDeps deps, apps::AppService& apps,
                           messaging::ReceiptService& receipts);
// /admin/api/apps/{agentid}/targets and POST /admin/api/apps/{agentid}/messages: sending through
// an app from the console, to the targets of the caller's scope.
void AddAdminSendRoutes(net::Router& router, AdminDeps deps, messaging::SendService& sends,
                        core::GroupCommitter<messaging::MessagingUnit>& committer,
                        const core::Clock& clock);
// /admin/api/identity/settings, /admin/api/identity/pending (second verification), a
// member's devices (/admin/api/members/{userid}/sessions) and POST /admin/api/members/invite.
// POST /cgi-bin/batch/invite; `queued` wakes the job runner.
void AddCgiBinInviteRoutes(net::Router& router, CgiBinDeps deps,
                           identity::InvitationService& invitations, std::function<void()> queued);
struct AdminIdentityDeps {
  identity::VerificationService& verification;
  identity::InvitationService& invitations;
  identity::RegistrationService& registrations;
  std::function<void()> queued;
  identity::MemberSessionService& sessions;
  StreamHub& hub;
  bool mail_enabled = false;
  bool sms_enabled = false;
};
void AddAdminIdentityRoutes(net::Router& router, AdminDeps deps, AdminIdentityDeps identity);
// /cgi-bin/corp/get_join_qrcode and the PNG it names (/api/v1/join_qrcode.png?size_type=N).
void AddJoinQrcodeRoutes(net::Router& router, CgiBinDeps deps,
                         identity::RegistrationService& registrations,
                         const std::string& public_url, const std::int64_t& org_id);
// /api/v1/registration (the public application) and /admin/api/registrations (the queue);
// `queued` wakes the job runner (invitations, rejection notices).
void AddRegistrationRoutes(net::Router& router, AdminDeps deps,
                           identity::RegistrationService& registrations,
                           std::function<void()> queued);
// /admin/api/apps/{agentid}, its scope and its secret's reset.
void AddAdminAppRoutes(net::Router& router, AdminDeps deps, apps::AppService& apps,
                       corp::TokenService& tokens);
// /admin/api/apps/{agentid}/callback and its deliveries (the app's manage right).
void AddAdminCallbackRoutes(net::Router& router, AdminDeps deps,
                            callback::CallbackService& callbacks);
// /admin/api/admins and /admin/api/admin-groups (super admins only).
void AddAdminAccessRoutes(net::Router& router, AdminDeps deps, admin::GroupService& groups,
                          const core::Clock& clock);
// /admin/api/imports, /admin/api/members/export; `queued` wakes the job runner.
void AddAdminImportRoutes(net::Router& router, AdminDeps deps, directory::ImportService& imports,
                          const core::Clock& clock, std::function<void()> queued);

// Test-only routes (testing.enabled = true; off by default): POST /testing/probe?key=K with the
// value as the body, GET /testing/probe/count, GET /testing/probe/keys.
void AddTestingRoutes(net::Router& router, core::WorkerPool& pool,
                      diagnostics::ProbeService& probes);
// Test-only too: POST /testing/member-session {"userid"} opens a member session.
void AddTestingMemberRoutes(net::Router& router, core::WorkerPool& pool,
                            identity::MemberSessionService& sessions, const std::int64_t& org_id);

}  // namespace corphub::api
