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
  std::int64_t n = 0;
  auto status = store_.Read([&](ProbeUnit& unit) -> core::Status {
    auto count = unit.Probes().Count();
    if (!count) return std::move(count).error();
    n = *count;
    return core::Ok();
  });
  if (!status) return std::move(status).error();
  return n;
}

core::Result<std::vector<std::string>> ProbeService::Keys() {
  std::vector<std::string> keys;
  auto status = store_.Read([&](ProbeUnit& unit) -> core::Status {
    auto found = unit.Probes().Keys();
    if (!found) return std::move(found).error();
    keys = std::move(*found);
    return core::Ok();
  });
  if (!status) return std::move(status).error();
  return keys;
}

}  // namespace corphub::diagnostics
