#include "media/media_service.hpp"

#include "crypto/hash.hpp"

namespace corphub::media {
namespace {

using core::ErrorKind;
using core::MakeError;

constexpr std::size_t kMediaIdChars = 48;

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

// What the type takes, by the file's first bytes rather than its name.
bool LooksLike(std::string_view type, std::string_view bytes) {
  if (type == "image") {
    return StartsWith(bytes, "\xFF\xD8\xFF") || StartsWith(bytes, "\x89PNG\r\n\x1A\n");
  }
  if (type == "voice") return StartsWith(bytes, "#!AMR");
  if (type == "video") return bytes.size() > 8 && bytes.substr(4, 4) == "ftyp";
  return true;
}

std::size_t LimitOf(std::string_view type) {
  if (type == "image") return MediaService::kMaxImage;
  if (type == "voice") return MediaService::kMaxVoice;
  if (type == "video") return MediaService::kMaxVideo;
  return MediaService::kMaxFile;
}

std::string SafeFilename(std::string_view filename, std::string_view type) {
  std::string out;
  for (char c : filename) {
    // No paths, no control characters: the name is shown and sent back in a header.
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) continue;
    out += c;
  }
  if (out.size() > 255) out.resize(255);
  if (out.empty()) out = std::string(type);
  return out;
}

}  // namespace

core::Result<MediaInfo> MediaService::Upload(std::int64_t org_id, std::string_view type,
                                             std::string_view filename,
                                             std::string_view content_type,
                                             std::string_view bytes) {
  if (type != "image" && type != "voice" && type != "video" && type != "file") {
    return MakeError(ErrorKind::kInvalidMediaType,
                     "type must be image, voice, video or file, not \"" + std::string(type) + "\"");
  }
  if (bytes.empty()) return MakeError(ErrorKind::kEmptyMedia, "the file is empty");
  if (bytes.size() < kMinBytes) {
    return MakeError(ErrorKind::kInvalidMediaSize, "a file must be more than 5 bytes");
  }
  if (bytes.size() > LimitOf(type)) {
    return MakeError(ErrorKind::kMediaTooLarge, std::string(type) + " files may be at most " +
                                                    std::to_string(LimitOf(type) >> 20) + " MB");
  }
  if (!LooksLike(type, bytes)) {
    return MakeError(ErrorKind::kInvalidMediaFileType,
                     type == "image"   ? "an image must be JPG or PNG"
                     : type == "voice" ? "a voice file must be AMR"
                                       : "a video must be MP4");
  }
  MediaInfo info;
  info.org_id = org_id;
  info.media_id = ids_.Token(kMediaIdChars);
  info.type = std::string(type);
  info.filename = SafeFilename(filename, type);
  info.content_type = content_type.empty() ? "application/octet-stream" : std::string(content_type);
  info.size = static_cast<std::int64_t>(bytes.size());
  info.sha256 = crypto::Sha256Hex(bytes);
  info.created_at = clock_.Now();
  info.expires_at = info.created_at + kLifetime;
  // The bytes first: a media_id is only handed out once what it names is durable.
  CORPHUB_TRY(blobs_.Put(info.media_id, bytes));
  auto inserted = store_.Write([&](MediaUnit& u) { return u.Media().Insert(info); });
  if (!inserted) {
    (void)blobs_.Remove(info.media_id);
    return std::move(inserted).error();
  }
  return info;
}

core::Result<MediaInfo> MediaService::UploadImage(std::int64_t org_id, std::string_view filename,
                                                  std::string_view bytes) {
  if (bytes.empty()) return MakeError(ErrorKind::kEmptyMedia, "the file is empty");
  if (bytes.size() < kMinBytes) {
    return MakeError(ErrorKind::kInvalidMediaSize, "a file must be more than 5 bytes");
  }
  if (bytes.size() > kMaxUploadImg) {
    return MakeError(ErrorKind::kMediaTooLarge, "an image may be at most 2 MB");
  }
  const bool png = StartsWith(bytes, "\x89PNG\r\n\x1A\n");
  if (!png && !StartsWith(bytes, "\xFF\xD8\xFF")) {
    return MakeError(ErrorKind::kInvalidMediaFileType, "an image must be JPG or PNG");
  }
  MediaInfo info;
  info.org_id = org_id;
  info.media_id = ids_.Token(kMediaIdChars);
  info.type = std::string(kUploadImgType);
  info.filename = SafeFilename(filename, "image");
  // Served to anyone: the type comes from the bytes, never from what the client said.
  info.content_type = png ? "image/png" : "image/jpeg";
  info.size = static_cast<std::int64_t>(bytes.size());
  info.sha256 = crypto::Sha256Hex(bytes);
  info.created_at = clock_.Now();
  info.expires_at = info.created_at + std::chrono::hours(24 * 365 * 100);  // permanent
  CORPHUB_TRY(blobs_.Put(info.media_id, bytes));
  auto inserted = store_.Write([&](MediaUnit& u) { return u.Media().Insert(info); });
  if (!inserted) {
    (void)blobs_.Remove(info.media_id);
    return std::move(inserted).error();
  }
  return info;
}

core::Result<StoredMedia> MediaService::Get(std::int64_t org_id, std::string_view media_id) {
  return Load(org_id, media_id, false);
}

core::Result<StoredMedia> MediaService::Load(std::int64_t org_id, std::string_view media_id,
                                             bool past_expiry) {
  if (media_id.empty()) return MakeError(ErrorKind::kMissingMediaId, "media_id missing");
  auto found =
      core::ReadValue(store_, [&](MediaUnit& u) { return u.Media().Find(org_id, media_id); });
  if (!found) return std::move(found).error();
  if (!*found || (!past_expiry && (*found)->expires_at <= clock_.Now())) {
    return MakeError(ErrorKind::kInvalidMediaId, "media_id is unknown or has expired");
  }
  auto bytes = blobs_.Get(media_id);
  if (!bytes) {
    if (bytes.error().kind == ErrorKind::kNotFound) {
      return MakeError(ErrorKind::kInvalidMediaId, "the file of this media_id is gone");
    }
    return std::move(bytes).error();
  }
  return StoredMedia{std::move(**found), std::move(*bytes)};
}

}  // namespace corphub::media
