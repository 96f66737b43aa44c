#pragma once
// A short name for the device a session was opened on, from its User-Agent ("Chrome on
// Android"), for the member's list of devices.
#include <string>
#include <string_view>

namespace corphub::identity {

std::string DeviceName(std::string_view user_agent);

}  // namespace corphub::identity
