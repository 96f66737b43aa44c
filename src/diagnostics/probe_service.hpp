#pragma once
// Writes and counts probe rows for the test-only endpoint (testing.enabled), which functional
// tests use to prove that every acknowledged write survives kill -9.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/transactor.hpp"
#include "diagnostics/probe_repository.hpp"

namespace corphub::diagnostics {

class ProbeService {
 public:
  explicit ProbeService(core::Transactor<ProbeUnit>& store) : store_(store) {}

  // kInvalidArgument for a key outside 1-128 bytes or a value over 4 KiB.
  core::Status Write(std::string_view key, std::string_view value);
  core::Result<std::int64_t> Count();
  core::Result<std::vector<std::string>> Keys();

 private:
  core::Transactor<ProbeUnit>& store_;
};

}  // namespace corphub::diagnostics
