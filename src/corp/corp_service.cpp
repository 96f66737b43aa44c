#include "corp/corp_service.hpp"

#include <algorithm>
#include <cctype>

namespace corphub::corp {

core::Result<Organisation> CorpService::EnsureDefault() {
  auto found = core::ReadValue(store_, [](CorpUnit& u) { return u.Organisations().FindDefault(); });
  if (!found) return std::move(found).error();
  if (*found) return std::move(**found);

  Organisation org;
  std::string suffix = ids_.Token(kCorpIdSuffixChars);
  std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  org.corpid = "ww" + suffix;
  org.name = "corphub";
  org.contacts_secret = ids_.Token(kSecretChars);
  org.created_at = clock_.Now();
  auto id =
      core::WriteValue(store_, [&](CorpUnit& u) { return u.Organisations().InsertDefault(org); });
  if (id) {
    org.id = *id;
    return org;
  }
  if (id.error().kind != core::ErrorKind::kAlreadyExists) return std::move(id).error();
  // Another process made it first: use theirs.
  auto theirs =
      core::ReadValue(store_, [](CorpUnit& u) { return u.Organisations().FindDefault(); });
  if (!theirs) return std::move(theirs).error();
  if (!*theirs) return core::MakeError(core::ErrorKind::kInternal, "default organisation vanished");
  return std::move(**theirs);
}

}  // namespace corphub::corp
