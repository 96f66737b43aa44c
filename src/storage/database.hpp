#pragma once
// A backend: runs functions over Sql in transactions. Store builds the domain units on top.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "storage/sql.hpp"
#include "storage/storage_options.hpp"

namespace corphub::storage {

class Database {
 public:
  virtual ~Database() = default;
  // One read-write transaction: committed (durably) when fn returns ok, rolled back when it
  // returns an error, a statement failed, or fn threw (the exception is rethrown). fn may run
  // more than once when the backend retries a serialization failure or deadlock.
  virtual core::Status Write(const SqlFn& fn) = 0;
  // One read-only transaction over a consistent snapshot.
  virtual core::Status Read(const SqlFn& fn) = 0;
  // "sqlite" or "postgres".
  virtual std::string_view Backend() const = 0;
  // Where the data lives, for logs and messages; never a password.
  virtual std::string Describe() const = 0;
  virtual PoolStats Stats() const = 0;
};

}  // namespace corphub::storage
