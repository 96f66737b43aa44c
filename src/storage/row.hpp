#pragma once
// One result row. Getters are typed; a cell of the wrong type is a bug (the code and the schema
// disagree), so they throw std::logic_error rather than return an error value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/value.hpp"

namespace corphub::storage {

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}

  std::size_t size() const { return cells_.size(); }
  const Value& At(std::size_t column) const;
  bool IsNull(std::size_t column) const;

  // An integer cell; a text cell holding a decimal integer (PostgreSQL NUMERIC) is accepted.
  std::int64_t GetInt64(std::size_t column) const;
  // An integer or floating-point cell.
  double GetDouble(std::size_t column) const;
  const std::string& GetString(std::size_t column) const;
  // An integer cell, 0 or 1 (PostgreSQL booleans arrive as 0/1 too).
  bool GetBool(std::size_t column) const;

  // As above, but NULL gives nullopt.
  std::optional<std::int64_t> GetOptionalInt64(std::size_t column) const;
  std::optional<std::string> GetOptionalString(std::size_t column) const;

 private:
  std::vector<Value> cells_;
};

}  // namespace corphub::storage
