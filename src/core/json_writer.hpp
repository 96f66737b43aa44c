#pragma once
// A small JSON object writer for the records domains store (events, audit details), so domain
// code does not need Boost.JSON. Keys are trusted literals; values are escaped.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.hpp"

namespace corphub::core {

class JsonObjectWriter {
 public:
  JsonObjectWriter& Str(std::string_view key, std::string_view value) {
    Key(key);
    out_ += '"';
    out_ += JsonEscape(value);
    out_ += '"';
    return *this;
  }
  JsonObjectWriter& Int(std::string_view key, std::int64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonObjectWriter& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonObjectWriter& Strs(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      out_ += '"';
      out_ += JsonEscape(values[i]);
      out_ += '"';
    }
    out_ += ']';
    return *this;
  }
  JsonObjectWriter& Ints(std::string_view key, const std::vector<std::int64_t>& values) {
    Key(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      out_ += std::to_string(values[i]);
    }
    out_ += ']';
    return *this;
  }
  // Values that are JSON already (the caller's to get right).
  JsonObjectWriter& Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_ += json;
    return *this;
  }
  JsonObjectWriter& RawArray(std::string_view key, const std::vector<std::string>& jsons) {
    Key(key);
    out_ += '[';
    for (std::size_t i = 0; i < jsons.size(); ++i) {
      if (i) out_ += ',';
      out_ += jsons[i];
    }
    out_ += ']';
    return *this;
  }
  std::string Done() const { return out_ + "}"; }

 private:
  void Key(std::string_view key) {
    out_ += out_.size() > 1 ? "," : "";
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string out_ = "{";
};

}  // namespace corphub::core
