#pragma once
// media/upload and media/get (reference §4): WeCom's types and limits, the bytes written
// durably before the media_id is handed out, 3 days of life.
#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "media/media.hpp"

namespace corphub::media {

struct StoredMedia {
  MediaInfo info;
  std::string bytes;
};

class MediaService {
 public:
  static constexpr std::chrono::hours kLifetime{72};
  static constexpr std::size_t kMinBytes = 6;  // WeCom: every file more than 5 bytes
  static constexpr std::size_t kMaxImage = 10u << 20;
  static constexpr std::size_t kMaxVoice = 2u << 20;
  static constexpr std::size_t kMaxVideo = 10u << 20;
  static constexpr std::size_t kMaxFile = 20u << 20;

  MediaService(core::Transactor<MediaUnit>& store, BlobStore& blobs, const core::Clock& clock,
               core::IdGenerator& ids)
      : store_(store), blobs_(blobs), clock_(clock), ids_(ids) {}

  // 40005 unknown type, 44001 empty, 40006 five bytes or less, 45001 over the type's limit,
  // 40004 bytes that are not JPG/PNG (image), AMR (voice) or MP4 (video).
  core::Result<MediaInfo> Upload(std::int64_t org_id, std::string_view type,
                                 std::string_view filename, std::string_view content_type,
                                 std::string_view bytes);
  // media/uploadimg: a JPG or PNG of at most 2 MB kept permanently, for image URLs in message
  // bodies (mpnews content, card images); its type is "uploadimg" and it is served without a
  // token at /media/img/<media_id>. Errors as Upload's (45001 over 2 MB).
  static constexpr std::size_t kMaxUploadImg = 2u << 20;
  static constexpr std::string_view kUploadImgType = "uploadimg";
  core::Result<MediaInfo> UploadImage(std::int64_t org_id, std::string_view filename,
                                      std::string_view bytes);
  // 41006 no id, 40007 unknown or expired.
  core::Result<StoredMedia> Get(std::int64_t org_id, std::string_view media_id);
  // The same, also after the 3 days: a message keeps its media as long as it is kept itself
  // (the member API checks that the member has a message naming it).
  core::Result<StoredMedia> Load(std::int64_t org_id, std::string_view media_id, bool past_expiry);

 private:
  core::Transactor<MediaUnit>& store_;
  BlobStore& blobs_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace corphub::media
