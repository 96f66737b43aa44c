// cgi_bin_request.cpp's Authed calls the token service, the call limits and the apps'
// allowlists, which would bring in the storage layer. The fuzz target never calls Authed, so
// these definitions only satisfy the linker.
#include <cstdlib>

#include "api/call_limits.hpp"
#include "apps/app_service.hpp"
#include "corp/token_service.hpp"

namespace corphub::corp {

core::Result<Principal> TokenService::Authenticate(std::string_view) { std::abort(); }

std::optional<core::Result<Principal>> TokenService::AuthenticateCached(std::string_view) {
  std::abort();
}

}  // namespace corphub::corp

namespace corphub::api {

core::Status CallLimits::Admit(std::int64_t, std::string_view, std::string_view) { std::abort(); }
core::Status CallLimits::Enter(const std::string&) { std::abort(); }
void CallLimits::Leave(const std::string&) { std::abort(); }

}  // namespace corphub::api

namespace corphub::apps {

std::optional<core::Status> AppService::CheckCallerCached(std::int64_t, std::int64_t,
                                                          std::string_view, std::string_view) {
  std::abort();
}
core::Status AppService::CheckCaller(std::int64_t, std::int64_t, std::string_view,
                                     std::string_view) {
  std::abort();
}

}  // namespace corphub::apps
