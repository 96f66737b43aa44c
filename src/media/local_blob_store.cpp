#include "media/local_blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace corphub::media {
namespace {

namespace fs = std::filesystem;

core::Error IoError(const std::string& what, const fs::path& path, int err) {
  return core::MakeError(core::ErrorKind::kUnavailable,
                         what + " " + path.string() + ": " + std::strerror(err));
}

core::Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return IoError("cannot open", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("cannot sync", dir, err);
  return core::Ok();
}

}  // namespace

core::Result<fs::path> LocalBlobStore::PathOf(std::string_view key) const {
  if (key.size() < 4)
    return core::MakeError(core::ErrorKind::kInvalidArgument, "blob key too short");
  for (char c : key) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '-';
    if (!ok) return core::MakeError(core::ErrorKind::kInvalidArgument, "bad blob key");
  }
  return root_ / std::string(key.substr(0, 2)) / std::string(key);
}

core::Status LocalBlobStore::Put(std::string_view key, std::string_view bytes) {
  auto path = PathOf(key);
  if (!path) return std::move(path).error();
  const fs::path dir = path->parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError("cannot create", dir, ec.value());
  const fs::path tmp = dir / ("." + std::string(key) + ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("cannot create", tmp, errno);
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return IoError("cannot write", tmp, err);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return IoError("cannot sync", tmp, err);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path->c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return IoError("cannot rename into", *path, err);
  }
  return SyncDir(dir);
}

core::Result<std::string> LocalBlobStore::Get(std::string_view key) {
  auto path = PathOf(key);
  if (!path) return std::move(path).error();
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    if (!fs::exists(*path)) {
      return core::MakeError(core::ErrorKind::kNotFound, "blob " + std::string(key) + " is gone");
    }
    return IoError("cannot read", *path, errno);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

core::Status LocalBlobStore::Remove(std::string_view key) {
  auto path = PathOf(key);
  if (!path) return std::move(path).error();
  std::error_code ec;
  fs::remove(*path, ec);
  if (ec) return IoError("cannot remove", *path, ec.value());
  return core::Ok();
}

}  // namespace corphub::media
