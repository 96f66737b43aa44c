// /admin/api/identity: the organisation's sign-in settings (second verification), the
// activations waiting for an administrator, and a member's devices (docs/admin-api.md).
#include <algorithm>
#include <boost/json/object.hpp>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/routes.hpp"
#include "api/stream_hub.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/invitation_service.hpp"
#include "identity/member_session_service.hpp"
#include "identity/registration_service.hpp"
#include "identity/verification_service.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

}  // namespace

void AddAdminIdentityRoutes(net::Router& router, AdminDeps deps, AdminIdentityDeps idd) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;
  identity::VerificationService& verification = idd.verification;
  identity::MemberSessionService& sessions = idd.sessions;
  StreamHub& hub = idd.hub;
  identity::InvitationService& invitations = idd.invitations;
  identity::RegistrationService& registrations = idd.registrations;
  std::function<void()> queued = idd.queued;
  const bool mail = idd.mail_enabled;
  const bool sms = idd.sms_enabled;

  router.Add(
      "GET", "/admin/api/identity/settings",
      AdminAuthed(deps, Need::kAny,
                  [&pool, &verification, &registrations, &org, mail, sms](
                      const admin::AdminSession&, net::Request&) -> awaitable<net::Response> {
                    auto read =
                        co_await core::Offload(pool, [&]() -> core::Result<std::pair<bool, bool>> {
                          auto second = verification.SecondVerification(org);
                          if (!second) return std::move(second).error();
                          auto open = registrations.Open(org);
                          if (!open) return std::move(open).error();
                          return std::pair{*second, *open};
                        });
                    if (!read) co_return AdminError(read.error());
                    co_return NoStoreJson(core::JsonObjectWriter()
                                              .Bool("second_verification", read->first)
                                              .Bool("open_registration", read->second)
                                              .Bool("mail_enabled", mail)
                                              .Bool("sms_enabled", sms)
                                              .Done());
                  }));

  // Either setting, or both; each is a bool.
  router.Add(
      "PUT", "/admin/api/identity/settings",
      AdminAuthed(
          deps, Need::kSuper,
          [&pool, &verification, &registrations, &org](
              const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            auto body = AdminBody(req);
            if (!body) co_return AdminError(body.error());
            const auto* second = body->if_contains("second_verification");
            const auto* open = body->if_contains("open_registration");
            if ((second == nullptr && open == nullptr) ||
                (second != nullptr && !second->is_bool()) ||
                (open != nullptr && !open->is_bool())) {
              co_return AdminError(core::MakeError(
                  ErrorKind::kInvalidArgument,
                  "second_verification and open_registration must be true or false"));
            }
            const core::Actor actor = AdminActor(s, req);
            auto done = co_await core::Offload(pool, [&]() -> core::Result<std::pair<bool, bool>> {
              if (second != nullptr) {
                CORPHUB_TRY(verification.SetSecondVerification(actor, org, second->as_bool()));
              }
              if (open != nullptr) {
                CORPHUB_TRY(registrations.SetOpen(actor, org, open->as_bool()));
              }
              auto now_second = verification.SecondVerification(org);
              if (!now_second) return std::move(now_second).error();
              auto now_open = registrations.Open(org);
              if (!now_open) return std::move(now_open).error();
              return std::pair{*now_second, *now_open};
            });
            if (!done) co_return AdminError(done.error());
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Bool("second_verification", done->first)
                                      .Bool("open_registration", done->second)
                                      .Done());
          }));

  router.Add(
      "GET", "/admin/api/identity/pending",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&pool, &verification, &org, &scopes](const admin::AdminSession& s,
                                                        net::Request&) -> awaitable<net::Response> {
                    // A scoped administrator sees those they may decide on.
                    auto list = co_await core::Offload(
                        pool, [&]() -> core::Result<std::vector<identity::PendingActivation>> {
                          auto all = verification.Pending(org);
                          if (!all || s.rights.super) return all;
                          std::vector<std::string> userids;
                          for (const auto& p : *all) userids.push_back(p.userid);
                          auto mine = Access(s.rights, scopes, org).EditableOf(userids);
                          if (!mine) return std::move(mine).error();
                          std::erase_if(*all, [&](const identity::PendingActivation& p) {
                            return std::find(mine->begin(), mine->end(), p.userid) == mine->end();
                          });
                          return all;
                        });
                    if (!list) co_return AdminError(list.error());
                    std::vector<std::string> items;
                    for (const auto& p : *list) {
                      items.push_back(core::JsonObjectWriter()
                                          .Str("userid", p.userid)
                                          .Str("name", p.name)
                                          .Str("channel", p.channel)
                                          .Str("address", p.address)
                                          .Int("verified_at", core::UnixSeconds(p.verified_at))
                                          .Done());
                    }
                    co_return NoStoreJson(
                        core::JsonObjectWriter().RawArray("pending", items).Done());
                  }));

  for (const char* verb : {"approve", "reject"}) {
    const bool approve = std::string_view(verb) == "approve";
    router.Add("POST", std::string("/admin/api/identity/pending/{userid}/") + verb,
               AdminAuthed(deps, Need::kContactsEdit,
                           [&pool, &verification, &org, &scopes, approve](
                               const admin::AdminSession& s,
                               net::Request& req) -> awaitable<net::Response> {
                             const std::string userid = req.params["userid"];
                             auto done = co_await core::Offload(pool, [&]() -> core::Status {
                               CORPHUB_TRY(Access(s.rights, scopes, org).EditMembers({userid}));
                               return approve
                                          ? verification.Approve(AdminActor(s, req), org, userid)
                                          : verification.Reject(AdminActor(s, req), org, userid);
                             });
                             if (!done) co_return AdminError(done.error());
                             co_return NoStoreJson("{\"ok\":true}");
                           }));
  }

  // Invites members (those not activated yet) by e-mail or SMS, as batch/invite does.
  router.Add(
      "POST", "/admin/api/members/invite",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&pool, &invitations, &org, &scopes, queued](
                      const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto body = AdminBody(req);
                    if (!body) co_return AdminError(body.error());
                    identity::InviteTargets t;
                    const auto* list = body->if_contains("userids");
                    if (list == nullptr || !list->is_array()) {
                      co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                           "userids must be a list of userids"));
                    }
                    for (const auto& v : list->as_array()) {
                      if (!v.is_string()) {
                        co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                             "userids must be a list of userids"));
                      }
                      t.users.emplace_back(v.as_string());
                    }
                    const core::Actor actor = AdminActor(s, req);
                    auto done =
                        co_await core::Offload(pool, [&]() -> core::Result<identity::InviteResult> {
                          CORPHUB_TRY(Access(s.rights, scopes, org).EditMembers(t.users));
                          return invitations.Invite(actor, org, t);
                        });
                    if (!done) co_return AdminError(done.error());
                    if (!done->jobid.empty()) queued();
                    co_return NoStoreJson(core::JsonObjectWriter()
                                              .Int("invited", done->invited)
                                              .Strs("invalid_userids", done->invalid_users)
                                              .Str("jobid", done->jobid)
                                              .Done());
                  }));

  router.Add(
      "GET", "/admin/api/members/{userid}/sessions",
      AdminAuthed(deps, Need::kDevices,
                  [&pool, &sessions, &org, &scopes](const admin::AdminSession& s,
                                                    net::Request& req) -> awaitable<net::Response> {
                    const std::string userid = req.params["userid"];
                    auto list = co_await core::Offload(
                        pool, [&]() -> core::Result<std::vector<identity::MemberSession>> {
                          CORPHUB_TRY(Access(s.rights, scopes, org).ManageDevicesOf({userid}));
                          auto id = sessions.MemberIdOf(org, userid);
                          if (!id) return std::move(id).error();
                          return sessions.List(*id);
                        });
                    if (!list) co_return AdminError(list.error());
                    co_return NoStoreJson(SessionsJson(*list, 0));
                  }));

  // Logs the member out everywhere (a lost phone): their sessions end and their sockets close.
  router.Add(
      "POST", "/admin/api/members/{userid}/sessions/end",
      AdminAuthed(deps, Need::kDevices,
                  [&pool, &sessions, &hub, &org, &scopes](
                      const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    const std::string userid = req.params["userid"];
                    const core::Actor actor = AdminActor(s, req);
                    auto ended = co_await core::Offload(
                        pool, [&]() -> core::Result<std::vector<std::int64_t>> {
                          CORPHUB_TRY(Access(s.rights, scopes, org).ManageDevicesOf({userid}));
                          auto id = sessions.MemberIdOf(org, userid);
                          if (!id) return std::move(id).error();
                          return sessions.EndAll(actor, org, *id, userid);
                        });
                    if (!ended) co_return AdminError(ended.error());
                    hub.Cut(*ended);
                    co_return NoStoreJson(EndedJson(*ended));
                  }));
}

}  // namespace corphub::api
