#pragma once
// Serves the built web apps: each mount maps a URL prefix to a folder; a path that names no file
// and does not look like an asset gets the mount's index.html (the apps route on the client).
// Hashed files under assets/ are cached for a year; everything else is revalidated (ETag).
// Blocking (reads files): call it through Offload.
#include <filesystem>
#include <string>
#include <vector>

#include "net/http_message.hpp"

namespace corphub::net {

class StaticFiles {
 public:
  struct Mount {
    std::string prefix;  // "/admin/" or "/"
    std::filesystem::path root;
  };
  // Longest prefix first is found automatically.
  explicit StaticFiles(std::vector<Mount> mounts, std::uintmax_t max_file_bytes = 64 << 20);

  // GET or HEAD of `path` (already percent-decoded), with the request's If-None-Match.
  Response Serve(const std::string& path, std::string_view if_none_match, bool head) const;

  static std::string_view ContentType(const std::filesystem::path& file);

 private:
  std::vector<Mount> mounts_;
  std::uintmax_t max_file_bytes_;
};

}  // namespace corphub::net
