#pragma once
// A domain asks for a transaction over its own "unit" interface (the repositories one use case
// needs); the storage layer implements every unit. So domains never include storage.
#include <functional>

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

}  // namespace corphub::core
