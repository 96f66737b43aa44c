#pragma once
// Uploaded media (WeCom's media/upload, reference §4): the metadata in the database, the bytes
// in a blob store (a local folder by default). A media_id lives 3 days, for every app of the
// organisation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::media {

struct MediaInfo {
  std::int64_t org_id = 0;
  std::string media_id;
  std::string type;  // image | voice | video | file
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;  // hex, of the bytes
  core::TimePoint created_at{};
  core::TimePoint expires_at{};
};

class MediaRepository {
 public:
  virtual ~MediaRepository() = default;
  virtual core::Status Insert(const MediaInfo& info) = 0;
  virtual core::Result<std::optional<MediaInfo>> Find(std::int64_t org_id,
                                                      std::string_view media_id) = 0;
  // Up to `limit` media ids past their 3 days that no kept message names and no unfinished job
  // reads: what the retention job may delete.
  virtual core::Result<std::vector<std::string>> Purgeable(core::TimePoint now,
                                                           std::int64_t limit) = 0;
  virtual core::Status Delete(const std::vector<std::string>& media_ids) = 0;
};

class MediaUnit {
 public:
  virtual ~MediaUnit() = default;
  virtual MediaRepository& Media() = 0;
};

// Where the bytes live. Keys are media ids ([A-Za-z0-9_-]).
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Durable when it returns ok (written, flushed, renamed into place).
  virtual core::Status Put(std::string_view key, std::string_view bytes) = 0;
  virtual core::Result<std::string> Get(std::string_view key) = 0;
  virtual core::Status Remove(std::string_view key) = 0;
};

}  // namespace corphub::media
