#include "storage/row.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace corphub::storage {
namespace {

const char* TypeName(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "integer";
    case 2:
      return "double";
    default:
      return "text";
  }
}

[[noreturn]] void Mismatch(std::size_t column, const Value& v, const char* wanted) {
  throw std::logic_error("storage: column " + std::to_string(column) + " is " + TypeName(v) +
                         ", wanted " + wanted);
}

}  // namespace

const Value& Row::At(std::size_t column) const {
  if (column >= cells_.size()) {
    throw std::logic_error("storage: column " + std::to_string(column) + " of a row with " +
                           std::to_string(cells_.size()) + " columns");
  }
  return cells_[column];
}

bool Row::IsNull(std::size_t column) const {
  return std::holds_alternative<std::nullptr_t>(At(column));
}

std::int64_t Row::GetInt64(std::size_t column) const {
  const Value& v = At(column);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, out);
    if (ec == std::errc() && ptr == end && !s->empty()) return out;
  }
  Mismatch(column, v, "integer");
}

double Row::GetDouble(std::size_t column) const {
  const Value& v = At(column);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  Mismatch(column, v, "double");
}

const std::string& Row::GetString(std::size_t column) const {
  const Value& v = At(column);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  Mismatch(column, v, "text");
}

bool Row::GetBool(std::size_t column) const {
  const Value& v = At(column);
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (*i == 0 || *i == 1) return *i == 1;
  }
  Mismatch(column, v, "boolean (0 or 1)");
}

std::optional<std::int64_t> Row::GetOptionalInt64(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return GetInt64(column);
}

std::optional<std::string> Row::GetOptionalString(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return GetString(column);
}

}  // namespace corphub::storage
