// /cgi-bin/media/upload and /cgi-bin/media/get (reference §4). Upload is multipart with the
// file in the field `media` (go-workwx sends only a filename and application/octet-stream, so
// nothing else is required); `created_at` is answered as a string, as SDKs decode it. Get answers
// the bytes with a Content-Disposition filename (WxJava requires it, and reads filename*), and
// errors as JSON, which is how WxJava tells them apart.
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "core/percent_decode.hpp"
#include "media/media_service.hpp"
#include "net/multipart.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;

struct Upload {
  std::string type;
  std::string filename;
  std::string content_type;
  std::string_view bytes;
};

core::Result<Upload> ReadUpload(const net::Request& req) {
  Upload up;
  up.type = StringQuery(req, "type");
  auto boundary = net::MultipartBoundary(req.Header("content-type"));
  if (!boundary) {
    return MakeError(ErrorKind::kEmptyMedia, "the file must come as multipart/form-data");
  }
  auto parts = net::ParseMultipart(req.body, *boundary);
  if (!parts) return MakeError(ErrorKind::kEmptyMedia, parts.error().message);
  for (const auto& p : *parts) {
    if (p.name == "media") {
      up.filename = p.filename.value_or("");
      up.content_type = p.content_type;
      up.bytes = p.data;
      return up;
    }
  }
  return MakeError(ErrorKind::kEmptyMedia, "no multipart field named media");
}

}  // namespace

void AddCgiBinMediaRoutes(net::Router& router, CgiBinDeps deps, media::MediaService& media) {
  core::WorkerPool& pool = deps.pool;
  media::MediaService& svc = media;

  router.Add(
      "POST", "/cgi-bin/media/upload",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto up = ReadUpload(req);
        if (!up) co_return WecomError(up.error());
        auto stored = co_await core::Offload(pool, [&] {
          return svc.Upload(who.org_id, up->type, up->filename, up->content_type, up->bytes);
        });
        if (!stored) co_return WecomError(stored.error());
        json::object out{{"type", stored->type},
                         {"media_id", stored->media_id},
                         {"created_at", std::to_string(core::UnixSeconds(stored->created_at))}};
        co_return WecomOk(ObjectMembers(out));
      }));

  auto get =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        const std::string media_id = StringQuery(req, "media_id");
        auto found = co_await core::Offload(pool, [&] { return svc.Get(who.org_id, media_id); });
        if (!found) co_return WecomError(found.error());
        net::Response res;
        res.status = 200;
        res.body = std::move(found->bytes);
        res.Set("Content-Type", found->info.content_type);
        res.Set("Content-Disposition", net::AttachmentDisposition(found->info.filename));
        res.Set("Cache-Control", "no-store");
        co_return res;
      });
  router.Add("GET", "/cgi-bin/media/get", get);
  router.Add("POST", "/cgi-bin/media/get", get);

  // media/uploadimg → {"url"}: a permanent image URL for message bodies, on this server.
  router.Add(
      "POST", "/cgi-bin/media/uploadimg",
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        auto up = ReadUpload(req);
        if (!up) co_return WecomError(up.error());
        auto stored = co_await core::Offload(
            pool, [&] { return svc.UploadImage(who.org_id, up->filename, up->bytes); });
        if (!stored) co_return WecomError(stored.error());
        co_return WecomOk(
            ObjectMembers(json::object{{"url", PublicImageUrl(req, stored->media_id)}}));
      }));
}

void AddPublicImageRoutes(net::Router& router, core::WorkerPool& pool, media::MediaService& media,
                          const std::int64_t& org_id) {
  router.Add(
      "GET", "/media/img/{media_id}",
      [&pool, &media, &org_id](net::Request& req) -> awaitable<net::Response> {
        const std::string id = req.params["media_id"];
        auto found = co_await core::Offload(pool, [&] { return media.Load(org_id, id, true); });
        if (!found || found->info.type != media::MediaService::kUploadImgType) {
          co_return net::Response::Error(core::MakeError(ErrorKind::kNotFound, "no such image"));
        }
        net::Response res;
        res.status = 200;
        res.body = std::move(found->bytes);
        res.Set("Content-Type", found->info.content_type);
        res.Set("Cache-Control", "public, max-age=31536000, immutable");
        res.Set("X-Content-Type-Options", "nosniff");
        co_return res;
      });
}

}  // namespace corphub::api
