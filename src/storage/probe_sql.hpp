#pragma once
// diagnostics::ProbeRepository over Sql, one implementation for every backend.
#include "diagnostics/probe_repository.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class ProbeSql final : public diagnostics::ProbeRepository {
 public:
  explicit ProbeSql(Sql& sql) : sql_(sql) {}

  core::Status Insert(std::string_view key, std::string_view value) override;
  // In byte order (sorted here: the backends' collations differ).
  core::Result<std::vector<std::string>> Keys() override;
  core::Result<std::int64_t> Count() override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
