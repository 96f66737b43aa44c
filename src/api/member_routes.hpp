#pragma once
// The member client's surfaces: /api/v1 (JSON) and /api/v1/stream (WebSocket).
#include <string>

#include "messaging/send_service.hpp"

namespace corphub::core {
class WorkerPool;
}
namespace corphub::identity {
class MemberSessionService;
class VerificationService;
class MemberPasswordService;
}  // namespace corphub::identity
namespace corphub::messaging {
class InboxService;
}
namespace corphub::apps {
class AppService;
}
namespace corphub::media {
class MediaService;
}
namespace corphub::net {
class Router;
}
namespace corphub::sso {
class SsoService;
}
namespace corphub::callback {
class MemberEventService;
}

namespace corphub::api {

class StreamHub;
struct MemberDeps;

struct MemberRouteDeps {
  core::WorkerPool& pool;
  identity::MemberSessionService& sessions;
  messaging::InboxService& inbox;
  apps::AppService& apps;
  media::MediaService& media;
  messaging::Committer& committer;
};

// GET /api/v1/conversations, GET /api/v1/conversations/{agentid}/messages,
// POST /api/v1/conversations/{agentid}/read, GET /api/v1/events, GET /api/v1/media/{media_id}.
void AddMemberRoutes(net::Router& router, MemberRouteDeps deps);

// GET /api/v1/apps/{agentid} and POST /api/v1/apps/{agentid}/events (enter_agent, menu clicks,
// location) for the app's callback.
void AddMemberAppRoutes(net::Router& router, MemberDeps auth, callback::MemberEventService& events);

struct CgiBinDeps;
// Single sign-on and the JS-SDK tickets: GET /connect/oauth2/authorize (to the member client's
// /sso/authorize), GET and POST /api/v1/sso/authorize, /cgi-bin/auth/getuserinfo,
// /cgi-bin/user/getuserinfo, /cgi-bin/auth/getuserdetail, /cgi-bin/get_jsapi_ticket and
// /cgi-bin/ticket/get.
void AddSsoRoutes(net::Router& router, CgiBinDeps deps, MemberDeps member, sso::SsoService& sso);

// Sign-in and devices: POST /api/v1/auth/code, POST /api/v1/auth/verify (public);
// POST /api/v1/logout, GET /api/v1/sessions, DELETE /api/v1/sessions/{id},
// POST /api/v1/sessions/end_others. Ended sessions' sockets are cut at once. The optional
// password: POST /api/v1/auth/password (public), GET/PUT /api/v1/password,
// POST /api/v1/password/remove. The external account: POST /api/v1/auth/account; the ways
// open: GET /api/v1/auth/methods (`account_label` names the account service on the page).
void AddMemberAuthRoutes(net::Router& router, core::WorkerPool& pool,
                         identity::VerificationService& verification,
                         identity::MemberSessionService& sessions,
                         identity::MemberPasswordService& passwords, StreamHub& hub,
                         const std::int64_t& org_id, std::string account_label);

// /api/v1/stream: hello, then the events after ?after=SEQ from the inbox, then live events;
// heartbeats; ping/pong.
void AddStreamRoutes(net::Router& router, MemberRouteDeps deps, StreamHub& hub,
                     std::string version);

}  // namespace corphub::api
