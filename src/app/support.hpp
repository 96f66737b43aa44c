#pragma once
// What the composition root and the one-shot commands share: opening the store, the id
// generator, logging and the one-line error exit.
#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace corphub::app::support {

class RandomIds final : public core::IdGenerator {
 public:
  std::string Token(std::size_t chars) override;
  std::string Digits(std::size_t n) override;
};

// Prints "corphub: <message>" after the queued log lines; the exit code for the error's kind.
int Fail(const core::Error& e);
void SetUpLogs(const config::Config& c);
// Opens the configured store (creating the data directory) and applies the migrations.
core::Result<std::unique_ptr<storage::Store>> OpenAndMigrate(const config::Config& c);

}  // namespace corphub::app::support
