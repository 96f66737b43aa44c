#include "net/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace corphub::net {
namespace fs = std::filesystem;
namespace {

// A relative path made only of ordinary segments, or empty when the request tries to leave
// the root ("..", NUL, backslashes) — such requests get a 404, never a file outside.
std::optional<fs::path> SafeRelative(std::string_view rest) {
  fs::path out;
  std::size_t i = 0;
  while (i <= rest.size()) {
    auto slash = rest.find('/', i);
    if (slash == std::string_view::npos) slash = rest.size();
    std::string_view seg = rest.substr(i, slash - i);
    i = slash + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." || seg.find('\0') != std::string_view::npos ||
        seg.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    out /= fs::path(std::string(seg));
  }
  return out;
}

std::string ETagOf(const fs::path& file, std::uintmax_t size) {
  std::error_code ec;
  auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  std::ostringstream s;
  s << "\"" << std::hex << size << "-" << mtime << "\"";
  return s.str();
}

// If-None-Match holds "*" or a list of tags, maybe weak (W/"..."); any match means 304.
bool EtagListMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

bool LooksLikeAsset(const fs::path& rel) {
  auto first = rel.begin();
  return (first != rel.end() && *first == "assets") || rel.has_extension();
}

}  // namespace

StaticFiles::StaticFiles(std::vector<Mount> mounts, std::uintmax_t max_file_bytes)
    : mounts_(std::move(mounts)), max_file_bytes_(max_file_bytes) {
  std::sort(mounts_.begin(), mounts_.end(),
            [](const Mount& a, const Mount& b) { return a.prefix.size() > b.prefix.size(); });
}

std::string_view StaticFiles::ContentType(const fs::path& file) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
  };
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

Response StaticFiles::Serve(const std::string& path, std::string_view if_none_match,
                            bool head) const {
  const Mount* mount = nullptr;
  for (const auto& m : mounts_) {
    // "/admin" without its slash belongs to the "/admin/" mount too.
    std::string bare = m.prefix.size() > 1 ? m.prefix.substr(0, m.prefix.size() - 1) : m.prefix;
    if (path.rfind(m.prefix, 0) == 0 || path == bare) {
      mount = &m;
      break;
    }
  }
  if (mount == nullptr) return Response::Error(404, "not_found", "no such page");
  if (path.size() + 1 == mount->prefix.size()) {  // "/admin" -> "/admin/"
    Response r;
    r.status = 308;
    r.Set("Location", mount->prefix);
    return r;
  }
  auto rel = SafeRelative(std::string_view(path).substr(mount->prefix.size()));
  if (!rel) return Response::Error(404, "not_found", "no such page");

  std::error_code ec;
  fs::path file = mount->root / *rel;
  bool is_index = false;
  if (rel->empty() || fs::is_directory(file, ec)) {
    file = mount->root / "index.html";
    is_index = true;
  } else if (!fs::is_regular_file(file, ec)) {
    if (LooksLikeAsset(*rel)) return Response::Error(404, "not_found", "no such file");
    file = mount->root / "index.html";
    is_index = true;
  }
  auto size = fs::file_size(file, ec);
  if (ec) {
    return Response::Error(404, "not_found",
                           "the web app is not built here; run `make web` (or set web.dir)");
  }
  if (size > max_file_bytes_) return Response::Error(404, "not_found", "file too large to serve");

  Response r;
  std::string etag = ETagOf(file, size);
  r.Set("ETag", etag);
  r.Set("Content-Type", std::string(ContentType(file)));
  bool immutable = !is_index && rel->begin() != rel->end() && *rel->begin() == "assets";
  r.Set("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (is_index) r.Set("X-Content-Type-Options", "nosniff");
  if (EtagListMatches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (head) {
    r.Set("Content-Length", std::to_string(size));
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  std::string body(size, '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(size))) {
    return Response::Error(500, "internal", "cannot read file");
  }
  r.body = std::move(body);
  return r;
}

}  // namespace corphub::net
