// The organisation's join QR code: /cgi-bin/corp/get_join_qrcode (reference §2) answers the
// address of a PNG that corphub draws itself. The code holds the member client's /register
// page while open registration is on, else its /signin page, so a printed poster keeps working
// as the setting changes. The image is public, as WeCom's is.
#include <map>
#include <memory>
#include <mutex>

#include "api/admin_request.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "core/qr_code.hpp"
#include "core/text.hpp"
#include "identity/registration_service.hpp"
#include "office/png.hpp"

namespace corphub::api {
namespace {

// WeCom's four sizes, in pixels per side.
constexpr int kSizes[] = {171, 399, 741, 2052};

std::string Base(const std::string& public_url) { return core::WithoutTrailingSlashes(public_url); }

// The drawn PNGs by text and size: a public address is asked for again and again, while only two
// texts (/signin, /register) and four sizes exist, so each is drawn once.
class PngCache {
 public:
  template <class Draw>
  core::Result<std::string> Get(const std::string& text, int pixels, Draw draw) {
    const std::string key = std::to_string(pixels) + " " + text;
    {
      std::lock_guard lock(mu_);
      if (auto it = pngs_.find(key); it != pngs_.end()) return it->second;
    }
    auto png = draw();
    if (!png) return png;
    std::lock_guard lock(mu_);
    if (pngs_.size() >= kMaxEntries) pngs_.clear();  // only if the public URL kept changing
    pngs_.emplace(key, *png);
    return png;
  }

 private:
  static constexpr std::size_t kMaxEntries = 16;
  std::mutex mu_;
  std::map<std::string, std::string> pngs_;
};

}  // namespace

void AddJoinQrcodeRoutes(net::Router& router, CgiBinDeps deps,
                         identity::RegistrationService& registrations,
                         const std::string& public_url, const std::int64_t& org_id) {
  core::WorkerPool& pool = deps.pool;
  router.Add("GET", "/cgi-bin/corp/get_join_qrcode",
             Authed(deps,
                    [&public_url](const corp::Principal&,
                                  net::Request& req) -> boost::asio::awaitable<net::Response> {
                      auto size = IntQuery(req, "size_type", core::ErrorKind::kInvalidParameter);
                      if (!size) co_return WecomError(size.error());
                      const std::int64_t type = size->value_or(1);
                      if (type < 1 || type > 4) {
                        co_return WecomError(core::MakeError(core::ErrorKind::kInvalidParameter,
                                                             "size_type is 1, 2, 3 or 4"));
                      }
                      co_return WecomOk("\"join_qrcode\":\"" +
                                        core::JsonEscape(Base(public_url) +
                                                         "/api/v1/join_qrcode.png?size_type=" +
                                                         std::to_string(type)) +
                                        "\"");
                    }));

  auto cache = std::make_shared<PngCache>();
  router.Add("GET", "/api/v1/join_qrcode.png",
             [&pool, &registrations, &public_url, &org_id,
              cache](net::Request& req) -> boost::asio::awaitable<net::Response> {
               const std::string type = req.Query("size_type").value_or("1");
               int pixels = 0;
               if (type.size() == 1 && type[0] >= '1' && type[0] <= '4') {
                 pixels = kSizes[type[0] - '1'];
               }
               if (pixels == 0) {
                 co_return AdminError(core::MakeError(core::ErrorKind::kInvalidArgument,
                                                      "size_type is 1, 2, 3 or 4"));
               }
               auto png = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
                 auto open = registrations.Open(org_id);
                 if (!open) return std::move(open).error();
                 const std::string text = Base(public_url) + (*open ? "/register" : "/signin");
                 return cache->Get(text, pixels, [&]() -> core::Result<std::string> {
                   auto qr = core::QrCode::Encode(text);
                   if (!qr) return std::move(qr).error();
                   return office::QrPng(*qr, pixels);
                 });
               });
               if (!png) co_return AdminError(png.error());
               net::Response res;
               res.status = 200;
               res.Set("Content-Type", "image/png");
               res.Set("Cache-Control", "no-cache");
               res.body = std::move(*png);
               co_return res;
             });
}

}  // namespace corphub::api
