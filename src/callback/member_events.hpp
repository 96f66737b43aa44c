#pragma once
// What members do in an app that its callback hears of (reference §8): entering the app
// (enter_agent, when the app asked: isreportenter), a menu button (click with its key, view with
// its URL), and their location (LOCATION, when report_location_flag is 1). Each is queued for
// the app's callback in the member's own order; without a callback nothing is queued.
#include <functional>
#include <optional>
#include <string>

#include "apps/app.hpp"
#include "callback/callback.hpp"
#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "directory/scope_index.hpp"

namespace corphub::callback {

struct MemberEvent {
  std::string event;  // enter_agent, click, view, LOCATION
  std::string key;    // click: the button's key; view: its URL
  double latitude = 0;
  double longitude = 0;
  double precision = 0;
};

// Whether the member `userid` is in the app's visible scope (members, departments with their
// subtrees, tags). A member who no longer exists is only in a scope of everyone. Blocking.
core::Result<bool> InScope(directory::ScopeResolver& scopes, std::int64_t org_id,
                           const apps::AppScope& scope, const std::string& userid);

class MemberEventService {
 public:
  MemberEventService(core::Transactor<CallbackUnit>& store, directory::ScopeResolver& scopes,
                     const core::Clock& clock, std::function<void()> wake = {})
      : store_(store), scopes_(scopes), clock_(clock), wake_(std::move(wake)) {}

  // The app as the member may use it: kInvalidAgentId, kAppDisabled when it is closed,
  // kPermissionDenied when the member is outside its visible scope. Blocking.
  core::Result<apps::App> AppFor(std::int64_t org_id, std::int64_t member_id, std::int64_t agentid);
  // Queues the event for the app's callback; false when nothing was queued (no callback, or an
  // event the app did not ask for). kInvalidArgument for an unknown event, or a click or view
  // that is not a button of the app's menu. Blocking.
  core::Result<bool> Send(std::int64_t org_id, std::int64_t member_id, std::int64_t agentid,
                          const MemberEvent& event);

 private:
  core::Result<std::string> Userid(std::int64_t org_id, std::int64_t member_id);
  core::Transactor<CallbackUnit>& store_;
  directory::ScopeResolver& scopes_;
  const core::Clock& clock_;
  std::function<void()> wake_;
};

}  // namespace corphub::callback
