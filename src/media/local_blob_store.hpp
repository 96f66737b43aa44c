#pragma once
// Blobs as files under a folder (<data_dir>/media by default), two levels of fan-out so that
// no directory grows too large.
#include <filesystem>

#include "media/media.hpp"

namespace corphub::media {

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  core::Status Put(std::string_view key, std::string_view bytes) override;
  core::Result<std::string> Get(std::string_view key) override;
  core::Status Remove(std::string_view key) override;

 private:
  core::Result<std::filesystem::path> PathOf(std::string_view key) const;
  std::filesystem::path root_;
};

}  // namespace corphub::media
