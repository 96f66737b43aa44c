#pragma once
// A domain asks for a transaction over its own "unit" interface (the repositories one use case
// needs); the storage layer implements every unit. So domains never include storage.
#include <functional>
#include <optional>
#include <type_traits>

#include "core/result.hpp"

namespace corphub::core {

template <class Unit>
class Transactor {
 public:
  virtual ~Transactor() = default;
  // Runs fn in one read-write transaction: committed when fn returns ok (and the commit is
  // durable), rolled back when it returns an error or throws. Blocking: never on an I/O thread.
  virtual Status Write(const std::function<Status(Unit&)>& fn) = 0;
  // Runs fn in one read-only transaction that sees a consistent snapshot.
  virtual Status Read(const std::function<Status(Unit&)>& fn) = 0;
};

// Read/Write for a use case that produces a value: fn(unit) returns Result<T>, and so does the
// call, with fn's error or the transaction's.
template <class Unit, class F>
auto ReadValue(Transactor<Unit>& store, F&& fn) -> std::invoke_result_t<F&, Unit&> {
  using R = std::invoke_result_t<F&, Unit&>;
  std::optional<R> out;
  Status status = store.Read([&](Unit& unit) -> Status {
    out.emplace(fn(unit));
    if (!out->ok()) return out->error();
    return Ok();
  });
  if (!status) return std::move(status).error();
  return std::move(*out);
}

template <class Unit, class F>
auto WriteValue(Transactor<Unit>& store, F&& fn) -> std::invoke_result_t<F&, Unit&> {
  using R = std::invoke_result_t<F&, Unit&>;
  std::optional<R> out;
  Status status = store.Write([&](Unit& unit) -> Status {
    out.emplace(fn(unit));  // on a retried transaction, the last run's value wins
    if (!out->ok()) return out->error();
    return Ok();
  });
  if (!status) return std::move(status).error();
  return std::move(*out);
}

}  // namespace corphub::core
