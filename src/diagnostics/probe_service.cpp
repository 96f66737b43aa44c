#include "diagnostics/probe_service.hpp"

namespace corphub::diagnostics {

core::Status ProbeService::Write(std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 128) {
    return core::MakeError(core::ErrorKind::kInvalidArgument, "key must be 1 to 128 bytes");
  }
  if (value.size() > 4096) {
    return core::MakeError(core::ErrorKind::kInvalidArgument, "value must be at most 4 KiB");
  }
  return store_.Write([&](ProbeUnit& unit) { return unit.Probes().Insert(key, value); });
}

core::Result<std::int64_t> ProbeService::Count() {
  return core::ReadValue(store_, [](ProbeUnit& unit) { return unit.Probes().Count(); });
}

core::Result<std::vector<std::string>> ProbeService::Keys() {
  return core::ReadValue(store_, [](ProbeUnit& unit) { return unit.Probes().Keys(); });
}

}  // namespace corphub::diagnostics
