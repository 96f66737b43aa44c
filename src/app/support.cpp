#include "app/support.hpp"

#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"

namespace corphub::app::support {
namespace fs = std::filesystem;

std::string RandomIds::Token(std::size_t chars) { return crypto::RandomToken(chars); }

std::string RandomIds::Digits(std::size_t n) {
  std::string out;
  while (out.size() < n) {
    // Bytes of 250 and above are dropped, so each digit is uniform.
    for (unsigned char b : crypto::RandomBytes(n)) {
      if (b < 250 && out.size() < n) out += static_cast<char>('0' + b % 10);
    }
  }
  return out;
}

int Fail(const core::Error& e) {
  // Log lines still queued go out first, so that the error is the last line an operator sees.
  core::ShutDownLogging();
  std::cerr << "corphub: " << e.message << std::endl;
  return e.kind == core::ErrorKind::kInvalidArgument ? kExitUsage : kExitFailure;
}

void SetUpLogs(const config::Config& c) { core::SetUpLogging({c.log.level, c.log.format, true}); }

namespace {

core::Result<std::unique_ptr<storage::Store>> OpenStore(const config::Config& c) {
  std::error_code ec;
  fs::create_directories(c.server.data_dir, ec);
  if (ec) {
    return core::MakeError(
        core::ErrorKind::kUnavailable,
        "cannot create data directory " + c.server.data_dir + ": " + ec.message());
  }
  storage::StorageOptions o;
  o.url = c.storage.url;
  o.data_dir = fs::path(c.server.data_dir).lexically_normal().string();  // "./data" -> "data"
  o.sqlite_readers = c.storage.sqlite_readers;
  o.pool_size = c.storage.pool_size;
  o.busy_timeout_ms = c.storage.busy_timeout_ms;
  o.connect_timeout_s = c.storage.connect_timeout_s;
  o.secret_key_file = (fs::path(o.data_dir) / "secret.key").string();
  return storage::Store::Open(o);
}

}  // namespace

core::Result<std::unique_ptr<storage::Store>> OpenAndMigrate(const config::Config& c) {
  auto store = OpenStore(c);
  if (!store) return store;
  CORPHUB_TRY((*store)->Migrate());
  CORPHUB_TRY((*store)->SealSecrets());
  return store;
}

}  // namespace corphub::app::support
