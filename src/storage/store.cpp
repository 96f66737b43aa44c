#include "storage/store.hpp"

#include "core/thread_role.hpp"
#include "storage/migration_files.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "storage/target.hpp"
#include "storage/units.hpp"

namespace corphub::storage {
namespace {

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

template <class Unit>
SqlFn WithUnits(const std::function<core::Status(Unit&)>& fn) {
  return [&fn](Sql& sql) {
    TransactionUnits units(sql);
    return fn(units);
  };
}

}  // namespace

core::Result<std::unique_ptr<Store>> Store::Open(const StorageOptions& options) {
  core::AssertNotIoThread("storage::Store::Open");
  CORPHUB_TRY(Validate(options));
  auto db = OpenDatabase(options);
  if (!db.ok()) return std::move(db).error();
  auto migrations = LoadMigrations(EmbeddedMigrations((*db)->Backend()));
  if (!migrations.ok()) return std::move(migrations).error();
  std::unique_ptr<Store> store(new Store(std::move(db).value(), std::move(migrations).value()));
  CORPHUB_TRY(store->migrator_.CheckNotTooNew());
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
