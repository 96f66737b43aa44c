// MemberService::CreateManyIn: batch imports create a chunk of members at once, with the same
// rules and codes as one create after another, in a few statements.
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "directory/member_changes.hpp"
#include "directory/member_service.hpp"

namespace corphub::directory {

using core::ErrorKind;
using core::MakeError;

std::vector<core::Status> MemberService::CreateManyIn(DirectoryUnit& u, const core::Actor& actor,
                                                      std::int64_t org_id,
                                                      const std::vector<NewMember>& inputs) {
  std::vector<core::Status> out(inputs.size(), core::Ok());
  auto fail_all = [&](const core::Error& e) {
    for (auto& o : out) o = e;
    return out;
  };
  const core::TimePoint now = clock_.Now();
  // The members as they would be, checked field by field.
  std::vector<std::optional<Member>> built(inputs.size());
  std::vector<std::string> userids, mobiles, emails, biz_mails, external_ids;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto one = Build(org_id, inputs[i], now);
    if (!one) {
      out[i] = std::move(one).error();
      continue;
    }
    Member& m = *one;
    userids.push_back(m.userid);
    mobiles.push_back(m.mobile);
    emails.push_back(m.email);
    biz_mails.push_back(m.biz_mail);
    external_ids.push_back(m.external_id);
    built[i] = std::move(m);
  }
  // Who holds each key already: one query per key for the whole batch.
  using Owners = std::unordered_map<std::string, std::string>;  // key -> userid
  auto owners = [&](MemberKey key, const std::vector<std::string>& values,
                    auto key_of) -> core::Result<Owners> {
    auto found = u.Members().FindManyBy(org_id, key, values);
    if (!found) return std::move(found).error();
    Owners o;
    for (const Member& m : *found) o.emplace(key_of(m), m.userid);
    return o;
  };
  auto taken_userids =
      owners(MemberKey::kUserid, userids, [](const Member& m) { return UseridKey(m.userid); });
  auto taken_mobiles =
      owners(MemberKey::kMobile, mobiles, [](const Member& m) { return MobileKey(m.mobile); });
  auto taken_emails =
      owners(MemberKey::kEmail, emails, [](const Member& m) { return EmailKey(m.email); });
  auto taken_biz =
      owners(MemberKey::kBizMail, biz_mails, [](const Member& m) { return EmailKey(m.biz_mail); });
  auto taken_external =
      owners(MemberKey::kExternalId, external_ids, [](const Member& m) { return m.external_id; });
  for (auto* r : {&taken_userids, &taken_mobiles, &taken_emails, &taken_biz, &taken_external}) {
    if (!*r) return fail_all(r->error());
  }
  auto departments = u.Departments().ListAll(org_id);
  if (!departments) return fail_all(departments.error());
  std::unordered_set<std::int64_t> department_ids;
  for (const auto& d : *departments) department_ids.insert(d.id);
  std::int64_t count = 0;
  if (limits_.max_members > 0) {
    auto c = u.Members().Count(org_id);
    if (!c) return fail_all(c.error());
    count = *c;
  }

  // In order, each against the store and the ones accepted before it.
  std::vector<Member> accepted;
  std::vector<std::size_t> accepted_index;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!built[i]) continue;
    Member& m = *built[i];
    auto check = [&]() -> core::Status {
      if (limits_.max_members > 0 &&
          count + static_cast<std::int64_t>(accepted.size()) >= limits_.max_members) {
        return MakeError(ErrorKind::kMemberLimit, "the organisation has its maximum of " +
                                                      std::to_string(limits_.max_members) +
                                                      " members");
      }
      if (auto it = taken_userids->find(UseridKey(m.userid)); it != taken_userids->end()) {
        return MakeError(ErrorKind::kUserIdExists,
                         "userid " + m.userid + " is taken (by " + it->second + ")");
      }
      struct Key {
        Owners& owners;
        std::string key;
        ErrorKind kind;
        const char* what;
        const std::string& value;
      };
      Key keys[] = {
          {*taken_mobiles, MobileKey(m.mobile), ErrorKind::kMobileExists, "mobile", m.mobile},
          {*taken_emails, EmailKey(m.email), ErrorKind::kEmailExists, "email", m.email},
          {*taken_biz, EmailKey(m.biz_mail), ErrorKind::kEmailExists, "biz_mail", m.biz_mail},
          {*taken_external, m.external_id, ErrorKind::kInvalidParameter, "external_id",
           m.external_id},
      };
      for (const Key& k : keys) {
        if (k.key.empty()) continue;
        if (auto it = k.owners.find(k.key); it != k.owners.end()) {
          return MakeError(
              k.kind, std::string(k.what) + " " + k.value + " is already used by " + it->second);
        }
      }
      for (const auto& d : m.departments) {
        if (!department_ids.count(d.department_id)) {
          return MakeError(ErrorKind::kDepartmentNotFound,
                           "department " + std::to_string(d.department_id) + " not found");
        }
      }
      for (auto& leader : m.direct_leaders) {
        if (UseridKey(leader) == UseridKey(m.userid)) {
          return MakeError(ErrorKind::kInvalidParameter,
                           "a member cannot be its own direct leader");
        }
        if (auto it = taken_userids->find(UseridKey(leader)); it != taken_userids->end()) {
          leader = it->second;
          continue;
        }
        auto found = u.Members().FindBy(org_id, MemberKey::kUserid, leader);
        if (!found) return std::move(found).error();
        if (!*found) {
          return MakeError(ErrorKind::kUserNotFound,
                           "direct_leader " + leader + " is not a member");
        }
        leader = (*found)->userid;
      }
      return core::Ok();
    };
    if (auto s = check(); !s) {
      out[i] = std::move(s);
      continue;
    }
    // Claimed: later rows see these keys as taken.
    taken_userids->emplace(UseridKey(m.userid), m.userid);
    if (!m.mobile.empty()) taken_mobiles->emplace(MobileKey(m.mobile), m.userid);
    if (!m.email.empty()) taken_emails->emplace(EmailKey(m.email), m.userid);
    if (!m.biz_mail.empty()) taken_biz->emplace(EmailKey(m.biz_mail), m.userid);
    if (!m.external_id.empty()) taken_external->emplace(m.external_id, m.userid);
    accepted.push_back(std::move(m));
    accepted_index.push_back(i);
  }
  if (accepted.empty()) return out;
  if (auto s = u.Members().InsertMany(accepted); !s) return fail_all(s.error());
  std::vector<ContactEvent> events;
  std::vector<core::AuditRecord> audits;
  events.reserve(accepted.size());
  audits.reserve(accepted.size());
  for (const Member& m : accepted) {
    core::JsonObjectWriter event;
    event.Str("UserID", m.userid);
    EventFields(m, nullptr, event);
    events.push_back(ContactEvent{org_id, 0, "create_user", event.Done(), now});
    audits.push_back(core::AuditRecord{org_id, now, actor.principal, actor.address, "user.create",
                                       m.userid, FieldsDetail(ChangedFields(Member{}, m))});
  }
  if (auto s = u.ContactEvents().AppendMany(events); !s) return fail_all(s.error());
  if (auto s = u.Audit().AppendMany(audits); !s) return fail_all(s.error());
  return out;
}

}  // namespace corphub::directory
