// cgi_bin_request.cpp's Authed calls the token service, which would bring in the storage layer.
// The fuzz target never calls Authed, so these definitions only satisfy the linker.
#include <cstdlib>

#include "corp/token_service.hpp"

namespace corphub::corp {

core::Result<Principal> TokenService::Authenticate(std::string_view) { std::abort(); }

std::optional<core::Result<Principal>> TokenService::AuthenticateCached(std::string_view) {
  std::abort();
}

}  // namespace corphub::corp
