#pragma once
// A file compiled into the binary (migrations, for instance); see cmake/embed_files.cmake.
#include <cstddef>
#include <string_view>

namespace corphub::core {

struct EmbeddedFile {
  std::string_view name;
  std::string_view data;
};

}  // namespace corphub::core
