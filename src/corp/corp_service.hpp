#pragma once
// The organisation: made on first start with a generated corpid and contacts-sync secret, which
// `corphub corp show` prints so an operator can connect an internal system.
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "corp/corp_repository.hpp"

namespace corphub::corp {

class CorpService {
 public:
  static constexpr std::size_t kCorpIdSuffixChars = 16;
  static constexpr std::size_t kSecretChars = 43;  // as long as WeCom's secrets

  CorpService(core::Transactor<CorpUnit>& store, const core::Clock& clock, core::IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // The default organisation, created now when there is none (safe when several processes
  // start on one database at once: all of them get the same one).
  core::Result<Organisation> EnsureDefault();

 private:
  core::Transactor<CorpUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace corphub::corp
