#pragma once
// The storage facade the app builds: opens the configured backend, migrates it, and runs the
// domains' transactions. Every call that touches the database blocks, so none may run on an
// I/O thread (each asserts it; use Offload).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_repository.hpp"
#include "callback/callback.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "corp/corp_repository.hpp"
#include "crypto/secret_box.hpp"
#include "diagnostics/probe_repository.hpp"
#include "directory/directory_repository.hpp"
#include "identity/member_session.hpp"
#include "jobs/job.hpp"
#include "media/media.hpp"
#include "messaging/messaging_repository.hpp"
#include "sso/sso.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/sql.hpp"
#include "storage/storage_options.hpp"

namespace corphub::storage {

class Store final : public core::Transactor<admin::AdminUnit>,
                    public core::Transactor<diagnostics::ProbeUnit>,
                    public core::Transactor<corp::CorpUnit>,
                    public core::Transactor<directory::DirectoryUnit>,
                    public core::Transactor<jobs::JobUnit>,
                    public core::Transactor<media::MediaUnit>,
                    public core::Transactor<apps::AppUnit>,
                    public core::Transactor<messaging::MessagingUnit>,
                    public core::Transactor<identity::IdentityUnit>,
                    public core::Transactor<callback::CallbackUnit>,
                    public core::Transactor<sso::SsoUnit> {
 public:
  // Connects (SQLite: opens the writer and readers, creating the file and its directory;
  // PostgreSQL: one connection, "cannot connect to PostgreSQL at host:port/db as user: ...").
  // kSchemaTooNew when the database was migrated by a newer corphub. Does not migrate.
  static core::Result<std::unique_ptr<Store>> Open(const StorageOptions& options);

  // On PostgreSQL fn may run up to four times (serialization failures and deadlocks are retried
  // as a whole), so it must have no effects outside the transaction.
  core::Status Write(const std::function<core::Status(admin::AdminUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(admin::AdminUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(diagnostics::ProbeUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(diagnostics::ProbeUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(corp::CorpUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(corp::CorpUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(directory::DirectoryUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(directory::DirectoryUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(jobs::JobUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(jobs::JobUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(media::MediaUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(media::MediaUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(apps::AppUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(apps::AppUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(messaging::MessagingUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(messaging::MessagingUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(identity::IdentityUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(identity::IdentityUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(callback::CallbackUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(callback::CallbackUnit&)>& fn) override;
  core::Status Write(const std::function<core::Status(sso::SsoUnit&)>& fn) override;
  core::Status Read(const std::function<core::Status(sso::SsoUnit&)>& fn) override;

  // Plain SQL in one transaction, for maintenance tools and tests; domains use their units.
  core::Status WriteSql(const SqlFn& fn);
  core::Status ReadSql(const SqlFn& fn);

  // Applies the embedded migrations that are missing; safe to run from several processes.
  core::Status Migrate();
  // The highest migration applied; 0 for an empty database.
  core::Result<int> SchemaVersion();
  // The highest migration compiled into this binary.
  int KnownSchemaVersion() const { return migrator_.KnownVersion(); }

  // Seals the secrets still stored in plain text (from before sealing, or made without a key).
  core::Status SealSecrets();

  // A trivial query on a pooled (reader) connection.
  core::Status Ping();
  std::string_view Backend() const { return db_->Backend(); }
  // "sqlite /data/corphub.db" or "postgres host:port/db as user"; never a password.
  std::string Describe() const { return db_->Describe(); }
  PoolStats Stats() const { return db_->Stats(); }

 private:
  Store(std::unique_ptr<Database> db, std::vector<Migration> migrations)
      : db_(std::move(db)), migrator_(*db_, std::move(migrations)) {}

  template <class Unit>
  SqlFn WithUnits(const std::function<core::Status(Unit&)>& fn) const;

  std::unique_ptr<Database> db_;
  Migrator migrator_;
  std::optional<crypto::SecretBox> box_;
};

}  // namespace corphub::storage
