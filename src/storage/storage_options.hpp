#pragma once
// What the app tells the storage layer, and what the storage layer reports back for /metrics.
#include <cstdint>
#include <string>

namespace corphub::storage {

struct StorageOptions {
  // Empty: SQLite at <data_dir>/corphub.db. "sqlite:PATH" or "sqlite://PATH" (relative or
  // absolute): SQLite at PATH. "postgres://...", "postgresql://..." or a libpq keyword string
  // ("host=... dbname=..."): PostgreSQL.
  std::string url;
  std::string data_dir;
  int sqlite_readers = 4;      // read-only SQLite connections beside the one writer
  int pool_size = 8;           // most PostgreSQL connections open at once
  int busy_timeout_ms = 5000;  // SQLite's busy timeout, and the longest wait for a connection
  int connect_timeout_s = 5;   // PostgreSQL connect_timeout
  // The key that seals secrets the server reads back (crypto::SecretBox), made on first use
  // (0600). Empty: they are stored as they are (tests).
  std::string secret_key_file;
};

// Connections: for SQLite the writer plus the readers, for PostgreSQL the pool.
struct PoolStats {
  int open = 0;                // connections open now
  int in_use = 0;              // of those, lent to a transaction
  int max = 0;                 // the most that may be open
  std::uint64_t waits = 0;     // transactions that had to wait for a connection
  std::uint64_t timeouts = 0;  // waits that gave up (the transaction failed with kUnavailable)
};

}  // namespace corphub::storage
