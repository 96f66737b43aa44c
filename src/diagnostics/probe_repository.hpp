#pragma once
// Probe rows: a tiny table that the test-only endpoint writes to, so functional tests can prove
// durability (kill -9 during a stream of writes) on every backend.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace corphub::diagnostics {

class ProbeRepository {
 public:
  virtual ~ProbeRepository() = default;
  // kAlreadyExists when the key was written before.
  virtual core::Status Insert(std::string_view key, std::string_view value) = 0;
  virtual core::Result<std::vector<std::string>> Keys() = 0;
  virtual core::Result<std::int64_t> Count() = 0;
};

class ProbeUnit {
 public:
  virtual ~ProbeUnit() = default;
  virtual ProbeRepository& Probes() = 0;
};

}  // namespace corphub::diagnostics
