// /cgi-bin/batch/invite (reference §2): invites members not activated yet, by e-mail or SMS;
// answers the userids, departments and tags it did not know, as arrays. corphub adds the
// jobid of the sending (batch/getresult shows its progress) when anyone was invited.
#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/invitation_service.hpp"

namespace corphub::api {

void AddCgiBinInviteRoutes(net::Router& router, CgiBinDeps deps,
                           identity::InvitationService& invitations, std::function<void()> queued) {
  core::WorkerPool& pool = deps.pool;
  router.Add(
      "POST", "/cgi-bin/batch/invite",
      Authed(deps,
             [&pool, &invitations, queued](const corp::Principal& who, net::Request& req)
                 -> boost::asio::awaitable<net::Response> {
               auto body = ParseObject(req.body);
               if (!body) co_return WecomError(body.error());
               identity::InviteTargets t;
               auto users = StringListField(*body, "user", core::ErrorKind::kInvalidUserIdList);
               if (!users) co_return WecomError(users.error());
               auto parties = IntListField(*body, "party", core::ErrorKind::kInvalidDepartmentList);
               if (!parties) co_return WecomError(parties.error());
               auto tags = IntListField(*body, "tag", core::ErrorKind::kInvalidTagId);
               if (!tags) co_return WecomError(tags.error());
               t.users = users->value_or(std::vector<std::string>{});
               t.parties = parties->value_or(std::vector<std::int64_t>{});
               t.tags = tags->value_or(std::vector<std::int64_t>{});
               const core::Actor actor = ActorOf(who, req);
               auto done = co_await core::Offload(
                   pool, [&] { return invitations.Invite(actor, who.org_id, t); });
               if (!done) co_return WecomError(done.error());
               if (!done->jobid.empty()) queued();
               std::string fields = core::JsonObjectWriter()
                                        .Strs("invaliduser", done->invalid_users)
                                        .Ints("invalidparty", done->invalid_parties)
                                        .Ints("invalidtag", done->invalid_tags)
                                        .Done();
               fields = fields.substr(1, fields.size() - 2);
               if (!done->jobid.empty()) fields += ",\"jobid\":\"" + done->jobid + "\"";
               co_return WecomOk(fields);
             }));
}

}  // namespace corphub::api
