#include "storage/store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/text.hpp"
#include "core/thread_role.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "storage/migration_files.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/target.hpp"
#include "storage/units.hpp"

namespace corphub::storage {
namespace {

namespace fs = std::filesystem;

core::Status Validate(const StorageOptions& options) {
  auto invalid = [](const std::string& what) {
    return core::MakeError(core::ErrorKind::kInvalidArgument, "storage: " + what);
  };
  if (options.sqlite_readers < 1) return invalid("sqlite_readers must be at least 1");
  if (options.pool_size < 1) return invalid("pool_size must be at least 1");
  if (options.busy_timeout_ms < 0) return invalid("busy_timeout_ms must not be negative");
  if (options.connect_timeout_s < 1) return invalid("connect_timeout_s must be at least 1");
  return core::Ok();
}

core::Result<std::unique_ptr<Database>> OpenDatabase(const StorageOptions& options) {
  auto target = ResolveTarget(options);
  if (!target.ok()) return std::move(target).error();
  if (target->kind == BackendKind::kSqlite) {
    auto db = sqlite::SqliteDatabase::Open(target->location, options.sqlite_readers,
                                           options.busy_timeout_ms);
    if (!db.ok()) return std::move(db).error();
    return std::unique_ptr<Database>(std::move(db).value());
  }
  auto db = postgres::PgDatabase::Open(postgres::PgOptions{
      target->location, options.pool_size, options.connect_timeout_s, options.busy_timeout_ms});
  if (!db.ok()) return std::move(db).error();
  return std::unique_ptr<Database>(std::move(db).value());
}

// The key file's 32 bytes (hex), made with 0600 when it does not exist yet.
core::Result<crypto::SecretBox> LoadKey(const std::string& path) {
  std::ifstream in(path);
  std::string hex;
  if (!in) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    hex = crypto::HexEncode(crypto::RandomBytes(crypto::SecretBox::kKeyBytes));
    // O_EXCL: of two processes starting at once, one makes the key and the other reads it.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
      const std::string line = hex + "\n";
      bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) {
        return core::MakeError(core::ErrorKind::kUnavailable, "cannot write the key file " + path);
      }
    } else if (errno != EEXIST) {
      return core::MakeError(core::ErrorKind::kUnavailable,
                             "cannot create the key file " + path + ": " + std::strerror(errno));
    }
    in.open(path);
  }
  if (in) std::getline(in, hex);
  auto key = crypto::HexDecode(core::TrimSpaces(hex));
  auto box = key ? crypto::SecretBox::FromKey(*key) : std::nullopt;
  if (!box) {
    return core::MakeError(core::ErrorKind::kInternal,
                           "the key file " + path + " does not hold 32 bytes in hex");
  }
  return std::move(*box);
}

}  // namespace

template <class Unit>
SqlFn Store::WithUnits(const std::function<core::Status(Unit&)>& fn) const {
  const crypto::SecretBox* box = box_ ? &*box_ : nullptr;
  return [&fn, box](Sql& sql) {
    TransactionUnits units(sql, box);
    return fn(units);
  };
}

core::Result<std::unique_ptr<Store>> Store::Open(const StorageOptions& options) {
  core::AssertNotIoThread("storage::Store::Open");
  CORPHUB_TRY(Validate(options));
  auto db = OpenDatabase(options);
  if (!db.ok()) return std::move(db).error();
  auto migrations = LoadMigrations(EmbeddedMigrations((*db)->Backend()));
  if (!migrations.ok()) return std::move(migrations).error();
  std::unique_ptr<Store> store(new Store(std::move(db).value(), std::move(migrations).value()));
  CORPHUB_TRY(store->migrator_.CheckNotTooNew());
  if (!options.secret_key_file.empty()) {
    auto box = LoadKey(options.secret_key_file);
    if (!box) return std::move(box).error();
    store->box_ = std::move(*box);
  }
  return store;
}

core::Status Store::Write(const std::function<core::Status(admin::AdminUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(admin::AdminUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(diagnostics::ProbeUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(diagnostics::ProbeUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(corp::CorpUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(corp::CorpUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(directory::DirectoryUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(directory::DirectoryUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(jobs::JobUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(jobs::JobUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(media::MediaUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(media::MediaUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(apps::AppUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(apps::AppUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(messaging::MessagingUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(messaging::MessagingUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(identity::IdentityUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(identity::IdentityUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(callback::CallbackUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(callback::CallbackUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::Write(const std::function<core::Status(sso::SsoUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Write");
  return db_->Write(WithUnits(fn));
}

core::Status Store::Read(const std::function<core::Status(sso::SsoUnit&)>& fn) {
  core::AssertNotIoThread("storage::Store::Read");
  return db_->Read(WithUnits(fn));
}

core::Status Store::WriteSql(const SqlFn& fn) {
  core::AssertNotIoThread("storage::Store::WriteSql");
  return db_->Write(fn);
}

core::Status Store::ReadSql(const SqlFn& fn) {
  core::AssertNotIoThread("storage::Store::ReadSql");
  return db_->Read(fn);
}

core::Status Store::Migrate() {
  core::AssertNotIoThread("storage::Store::Migrate");
  return migrator_.Migrate();
}

core::Result<int> Store::SchemaVersion() {
  core::AssertNotIoThread("storage::Store::SchemaVersion");
  return migrator_.CurrentVersion();
}

core::Status Store::SealSecrets() {
  core::AssertNotIoThread("storage::Store::SealSecrets");
  if (!box_) return core::Ok();
  const std::string sealed_like = std::string(crypto::SecretBox::kPrefix) + "%";
  return db_->Write([&](Sql& sql) -> core::Status {
    struct Column {
      const char* table;
      const char* key;
      const char* column;
    };
    for (const Column& c : {Column{"organisations", "id", "contacts_secret"},
                            Column{"admin_accounts", "id", "totp_secret"},
                            Column{"admin_accounts", "id", "totp_pending"}}) {
      auto rows = sql.Query(std::string("SELECT ") + c.key + ", " + c.column + " FROM " + c.table +
                                " WHERE " + c.column + " <> '' AND " + c.column + " NOT LIKE ?",
                            {sealed_like});
      if (!rows.ok()) return std::move(rows).error();
      for (const Row& row : *rows) {
        auto done = sql.Exec(
            std::string("UPDATE ") + c.table + " SET " + c.column + " = ? WHERE " + c.key + " = ?",
            {box_->Seal(row.GetString(1)), row.GetInt64(0)});
        if (!done.ok()) return std::move(done).error();
      }
    }
    return core::Ok();
  });
}

core::Status Store::Ping() {
  core::AssertNotIoThread("storage::Store::Ping");
  return db_->Read([](Sql& sql) -> core::Status {
    auto rows = sql.Query("SELECT 1");
    if (!rows.ok()) return std::move(rows).error();
    if (rows->size() != 1 || rows->front().GetInt64(0) != 1) {
      return core::MakeError(core::ErrorKind::kInternal, "storage: SELECT 1 did not return 1");
    }
    return core::Ok();
  });
}

}  // namespace corphub::storage
