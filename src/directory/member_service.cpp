#include "directory/member_service.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "directory/change_record.hpp"
#include "directory/department_service.hpp"
#include "directory/member_changes.hpp"
#include "directory/member_rules.hpp"
#include "directory/text.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

constexpr std::size_t kOpenidChars = 27;

// Members activate with a mobile or an e-mail address, so one of them must be there (60129).
core::Status RequireContact(const Member& m) {
  if (m.mobile.empty() && m.email.empty() && m.biz_mail.empty()) {
    return MakeError(ErrorKind::kMobileOrEmailRequired,
                     "a member needs a mobile or an e-mail address to activate with");
  }
  return core::Ok();
}

core::Error UserNotFound(std::string_view userid) {
  return MakeError(ErrorKind::kUserNotFound, "userid " + std::string(userid) + " not found");
}

core::Error NoMatch(std::string_view what) {
  return MakeError(ErrorKind::kNotFound, "no member has that " + std::string(what));
}

// A check on a cursor's numbers, so that a cursor corphub did not give (a typo, another
// system's, one edited by hand) is refused rather than read as some other place in the list.
// Not a secret: a cursor only says where a page starts.
std::string CursorCheck(std::int64_t org_id, std::int64_t member, std::int64_t position) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (std::int64_t part : {org_id, member, position}) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<std::uint64_t>(part >> (8 * i)) & 0xFFu;
      h *= 1099511628211ull;
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) out += kHex[(h >> (4 * i)) & 0xFu];
  return out;
}

// Cursor of user/list_id: "<member id>-<position>-<check>" of the last entry given.
std::string EncodeCursor(std::int64_t org_id, const MemberDepartmentRef& last) {
  return std::to_string(last.member_id) + "-" + std::to_string(last.position) + "-" +
         CursorCheck(org_id, last.member_id, last.position);
}

std::optional<std::pair<std::int64_t, std::int64_t>> DecodeCursor(std::int64_t org_id,
                                                                  std::string_view c) {
  const auto dash = c.find('-');
  const auto check_dash = c.rfind('-');
  if (dash == std::string_view::npos || check_dash == dash) return std::nullopt;
  const std::string_view check = c.substr(check_dash + 1);
  c = c.substr(0, check_dash);
  std::int64_t member = 0;
  std::int64_t position = 0;
  auto parse = [](std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    // Only the canonical form corphub writes: no sign, no leading zeros.
    return ec == std::errc() && end == s.data() + s.size() && out >= 0 && std::to_string(out) == s;
  };
  if (!parse(c.substr(0, dash), member) || !parse(c.substr(dash + 1), position)) {
    return std::nullopt;
  }
  if (check != CursorCheck(org_id, member, position)) return std::nullopt;
  return std::make_pair(member, position);
}

}  // namespace

core::Result<Member> MemberService::Find(DirectoryUnit& u, std::int64_t org_id,
                                         std::string_view userid) {
  if (userid.empty()) return MakeError(ErrorKind::kMissingUserId, "userid missing");
  auto found = u.Members().FindBy(org_id, MemberKey::kUserid, userid);
  if (!found) return std::move(found).error();
  if (!*found) return UserNotFound(userid);
  return std::move(**found);
}

core::Status MemberService::CheckUnique(DirectoryUnit& u, const Member& m) {
  struct Key {
    MemberKey key;
    const std::string& value;
    ErrorKind kind;
    const char* what;
  };
  const Key keys[] = {
      {MemberKey::kMobile, m.mobile, ErrorKind::kMobileExists, "mobile"},
      {MemberKey::kEmail, m.email, ErrorKind::kEmailExists, "email"},
      {MemberKey::kBizMail, m.biz_mail, ErrorKind::kEmailExists, "biz_mail"},
      {MemberKey::kExternalId, m.external_id, ErrorKind::kInvalidParameter, "external_id"},
  };
  for (const Key& k : keys) {
    if (k.value.empty()) continue;
    auto other = u.Members().FindBy(m.org_id, k.key, k.value);
    if (!other) return std::move(other).error();
    if (*other && (*other)->id != m.id) {
      return MakeError(
          k.kind, std::string(k.what) + " " + k.value + " is already used by " + (*other)->userid);
    }
  }
  return core::Ok();
}

core::Status MemberService::CheckReferences(DirectoryUnit& u, Member& m) {
  for (const auto& d : m.departments) {
    auto found = u.Departments().Find(m.org_id, d.department_id);
    if (!found) return std::move(found).error();
    if (!*found) {
      return MakeError(ErrorKind::kDepartmentNotFound,
                       "department " + std::to_string(d.department_id) + " not found");
    }
  }
  for (auto& leader : m.direct_leaders) {
    if (UseridKey(leader) == UseridKey(m.userid)) {
      return MakeError(ErrorKind::kInvalidParameter, "a member cannot be its own direct leader");
    }
    auto found = u.Members().FindBy(m.org_id, MemberKey::kUserid, leader);
    if (!found) return std::move(found).error();
    if (!*found) {
      return MakeError(ErrorKind::kUserNotFound, "direct_leader " + leader + " is not a member");
    }
    leader = (*found)->userid;
  }
  return core::Ok();
}

core::Status MemberService::FollowLeader(DirectoryUnit& u, const core::Actor& actor,
                                         std::int64_t org_id, const std::string& userid,
                                         const std::optional<std::string>& renamed,
                                         core::TimePoint at) {
  auto led = u.Members().LedBy(org_id, userid);
  if (!led) return std::move(led).error();
  const std::string key = UseridKey(userid);
  for (Member& other : *led) {
    std::vector<std::string> next;
    bool touched = false;
    for (auto& l : other.direct_leaders) {
      if (UseridKey(l) != key) {
        next.push_back(l);
      } else {
        touched = true;
        if (renamed) next.push_back(*renamed);
      }
    }
    if (!touched) continue;  // LIKE found a near miss
    other.direct_leaders = std::move(next);
    other.updated_at = at;
    CORPHUB_TRY(u.Members().Update(other));
    const std::vector<std::string> changed{"direct_leader"};
    core::JsonObjectWriter event;
    event.Str("UserID", other.userid);
    EventFields(other, &changed, event);
    CORPHUB_TRY(
        Record(u, actor, org_id, at,
               {"update_user", event.Done(), "user.update", other.userid, FieldsDetail(changed)}));
  }
  return core::Ok();
}

core::Result<Member> MemberService::Build(std::int64_t org_id, const NewMember& input,
                                          core::TimePoint now) {
  CORPHUB_TRY(CheckUserid(input.userid));
  Member m;
  m.org_id = org_id;
  m.userid = input.userid;
  CORPHUB_TRY(ApplyFields(input.fields, true, m));
  CORPHUB_TRY(RequireContact(m));
  m.state = MemberState::kNotActivated;
  m.openid = "o" + ids_.Token(kOpenidChars);
  m.created_at = m.updated_at = now;
  return m;
}

core::Status MemberService::Create(const core::Actor& actor, std::int64_t org_id,
                                   const NewMember& input) {
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    return CreateIn(u, actor, org_id, input);
  });
}

core::Status MemberService::CreateIn(DirectoryUnit& u, const core::Actor& actor,
                                     std::int64_t org_id, const NewMember& input) {
  // One rule path for one member and for many.
  return std::move(CreateManyIn(u, actor, org_id, {input}).front());
}

core::Status MemberService::Check(std::int64_t org_id, const NewMember& input) {
  return store_.Read([&](DirectoryUnit& u) -> core::Status {
    auto m = Build(org_id, input, clock_.Now());
    if (!m) return std::move(m).error();
    auto taken = u.Members().FindBy(org_id, MemberKey::kUserid, m->userid);
    if (!taken) return std::move(taken).error();
    if (*taken) return MakeError(ErrorKind::kUserIdExists, "userid " + m->userid + " is taken");
    CORPHUB_TRY(CheckReferences(u, *m));
    return CheckUnique(u, *m);
  });
}

core::Status MemberService::Update(const core::Actor& actor, std::int64_t org_id,
                                   const MemberChange& change) {
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    return UpdateIn(u, actor, org_id, change);
  });
}

core::Status MemberService::UpdateIn(DirectoryUnit& u, const core::Actor& actor,
                                     std::int64_t org_id, const MemberChange& change) {
  if (change.userid.empty()) return MakeError(ErrorKind::kMissingUserId, "userid missing");
  if (change.new_userid) CORPHUB_TRY(CheckUserid(*change.new_userid));
  {
    auto found = Find(u, org_id, change.userid);
    if (!found) return std::move(found).error();
    const Member before = *found;
    Member m = std::move(*found);
    CORPHUB_TRY(ApplyFields(change.fields, false, m));
    CORPHUB_TRY(RequireContact(m));
    const bool renames = change.new_userid && *change.new_userid != before.userid;
    if (renames) {
      if (UseridKey(*change.new_userid) != UseridKey(before.userid)) {
        auto taken = u.Members().FindBy(org_id, MemberKey::kUserid, *change.new_userid);
        if (!taken) return std::move(taken).error();
        if (*taken) {
          return MakeError(ErrorKind::kUserIdExists, "userid " + *change.new_userid + " is taken");
        }
      }
      m.userid = *change.new_userid;
      for (const auto& leader : m.direct_leaders) {
        if (UseridKey(leader) == UseridKey(before.userid)) {
          return MakeError(ErrorKind::kInvalidParameter,
                           "a member cannot be its own direct leader");
        }
      }
    }
    CORPHUB_TRY(CheckUnique(u, m));
    if (change.fields.departments || change.fields.direct_leaders || renames) {
      CORPHUB_TRY(CheckReferences(u, m));
    }
    const std::vector<std::string> changed = ChangedFields(before, m);
    if (changed.empty()) return core::Ok();  // nothing to write, nothing to tell
    m.updated_at = clock_.Now();
    CORPHUB_TRY(u.Members().Update(m));
    if (renames) {
      // Others who name the member as their direct leader follow the rename.
      CORPHUB_TRY(FollowLeader(u, actor, org_id, before.userid, m.userid, m.updated_at));
    }
    core::JsonObjectWriter event;
    event.Str("UserID", before.userid);
    if (renames) event.Str("NewUserID", m.userid);
    EventFields(m, &changed, event);
    CORPHUB_TRY(
        Record(u, actor, org_id, m.updated_at,
               {"update_user", event.Done(), "user.update", before.userid, FieldsDetail(changed)}));
    // An active member frozen leaves the apps (unsubscribe); unfrozen, joins them again.
    if (before.state == MemberState::kActive && before.enable != m.enable) {
      CORPHUB_TRY(Follows(u, org_id, m.userid, m.enable, m.updated_at));
    }
    return core::Ok();
  }
}

core::Status MemberService::Follows(DirectoryUnit& u, std::int64_t org_id,
                                    const std::string& userid, bool subscribe, core::TimePoint at) {
  return u.ContactEvents().Append(
      ContactEvent{org_id, 0, subscribe ? "subscribe" : "unsubscribe",
                   core::JsonObjectWriter().Str("UserID", userid).Done(), at});
}

core::Status MemberService::DeleteOne(DirectoryUnit& u, const core::Actor& actor, const Member& m,
                                      core::TimePoint at) {
  CORPHUB_TRY(u.Members().Delete(m.org_id, m.id));
  CORPHUB_TRY(FollowLeader(u, actor, m.org_id, m.userid, std::nullopt, at));
  const std::string event = core::JsonObjectWriter().Str("UserID", m.userid).Done();
  CORPHUB_TRY(Record(u, actor, m.org_id, at,
                     {"delete_user", event, "user.delete", m.userid,
                      core::JsonObjectWriter().Str("name", m.name).Done()}));
  return m.Status() == MemberStatus::kActive ? Follows(u, m.org_id, m.userid, false, at)
                                             : core::Ok();
}

core::Status MemberService::Delete(const core::Actor& actor, std::int64_t org_id,
                                   std::string_view userid) {
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    return DeleteIn(u, actor, org_id, userid);
  });
}

core::Status MemberService::DeleteIn(DirectoryUnit& u, const core::Actor& actor,
                                     std::int64_t org_id, std::string_view userid) {
  auto found = Find(u, org_id, userid);
  if (!found) return std::move(found).error();
  return DeleteOne(u, actor, *found, clock_.Now());
}

core::Status MemberService::BatchDelete(const core::Actor& actor, std::int64_t org_id,
                                        const std::vector<std::string>& userids) {
  if (userids.empty() || userids.size() > kMaxBatchDelete) {
    return MakeError(ErrorKind::kInvalidUserIdList, "useridlist must hold 1 to 200 userids, not " +
                                                        std::to_string(userids.size()));
  }
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    std::vector<Member> members;
    std::unordered_set<std::string> seen;
    for (const auto& userid : userids) {
      if (!seen.insert(UseridKey(userid)).second) continue;
      auto found = Find(u, org_id, userid);
      if (!found) return std::move(found).error();  // all or nothing
      members.push_back(std::move(*found));
    }
    const core::TimePoint at = clock_.Now();
    for (const Member& m : members) CORPHUB_TRY(DeleteOne(u, actor, m, at));
    return core::Ok();
  });
}

core::Status MemberService::ConfirmActivation(const core::Actor& actor, std::int64_t org_id,
                                              std::string_view userid) {
  return store_.Write(
      [&](DirectoryUnit& u) { return ConfirmActivationIn(u, actor, org_id, userid); });
}

core::Status MemberService::ConfirmActivationIn(DirectoryUnit& u, const core::Actor& actor,
                                                std::int64_t org_id, std::string_view userid) {
  {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    auto found = Find(u, org_id, userid);
    if (!found) return std::move(found).error();
    Member m = std::move(*found);
    if (m.state != MemberState::kNotActivated) return core::Ok();  // already done
    m.state = MemberState::kActive;
    m.updated_at = clock_.Now();
    CORPHUB_TRY(u.Members().Update(m));
    const std::string event = core::JsonObjectWriter()
                                  .Str("UserID", m.userid)
                                  .Int("Status", static_cast<int>(m.Status()))
                                  .Done();
    CORPHUB_TRY(
        Record(u, actor, org_id, m.updated_at,
               {"update_user", event, "user.authsucc", m.userid, FieldsDetail({"status"})}));
    // Activated, the member follows the apps (enabled ones: a frozen member follows once
    // unfrozen).
    return m.enable ? Follows(u, org_id, m.userid, true, m.updated_at) : core::Ok();
  }
}

core::Result<std::int64_t> MemberService::Version(std::int64_t org_id) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) { return u.Departments().Version(org_id); });
}

core::Result<Member> MemberService::Get(std::int64_t org_id, std::string_view userid) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) { return Find(u, org_id, userid); });
}

core::Result<std::vector<Member>> MemberService::ListDepartment(
    std::int64_t org_id, std::int64_t department_id, bool fetch_child,
    std::optional<MemberStatus> status) {
  std::vector<Department> scope;
  std::vector<Member> members;
  CORPHUB_TRY(store_.Read([&](DirectoryUnit& u) -> core::Status {
    std::vector<std::int64_t> ids;
    if (fetch_child) {
      auto all = u.Departments().ListAll(org_id);
      if (!all) return std::move(all).error();
      auto ordered = TreeOrder(*all, department_id);
      if (!ordered) {
        return MakeError(ErrorKind::kDepartmentNotFound,
                         "department " + std::to_string(department_id) + " not found");
      }
      scope = std::move(*ordered);
    } else {
      auto found = u.Departments().Find(org_id, department_id);
      if (!found) return std::move(found).error();
      if (!*found) {
        return MakeError(ErrorKind::kDepartmentNotFound,
                         "department " + std::to_string(department_id) + " not found");
      }
      scope.push_back(std::move(**found));
    }
    for (const auto& d : scope) ids.push_back(d.id);
    auto found = u.Members().InDepartments(org_id, ids);
    if (!found) return std::move(found).error();
    members = std::move(*found);
    return core::Ok();
  }));

  // Per department of the scope, in tree order: its members by their order there (larger
  // first), then by creation; a member in several departments comes once, at its first.
  std::unordered_map<std::int64_t, std::vector<std::pair<std::int64_t, std::size_t>>> by_dept;
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (const auto& d : members[i].departments) {
      by_dept[d.department_id].emplace_back(d.order, i);
    }
  }
  std::vector<Member> out;
  out.reserve(members.size());
  std::vector<bool> taken(members.size(), false);
  for (const auto& d : scope) {
    auto it = by_dept.find(d.id);
    if (it == by_dept.end()) continue;
    auto& list = it->second;
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return members[a.second].id < members[b.second].id;
    });
    for (const auto& [order, index] : list) {
      if (taken[index]) continue;
      taken[index] = true;
      if (status && members[index].Status() != *status) continue;
      out.push_back(std::move(members[index]));
    }
  }
  return out;
}

core::Result<MemberIdPage> MemberService::ListIds(std::int64_t org_id, std::string_view cursor,
                                                  std::int64_t limit) {
  if (limit < 1 || limit > kMaxIdPage) {
    return MakeError(ErrorKind::kInvalidParameter,
                     "limit must be 1 to 10000, not " + std::to_string(limit));
  }
  std::pair<std::int64_t, std::int64_t> after{0, -1};
  if (!cursor.empty()) {
    auto decoded = DecodeCursor(org_id, cursor);
    if (!decoded) return MakeError(ErrorKind::kInvalidParameter, "cursor is not one corphub gave");
    after = *decoded;
  }
  auto rows = core::ReadValue(store_, [&](DirectoryUnit& u) {
    return u.Members().DepartmentPage(org_id, after.first, after.second, limit + 1);
  });
  if (!rows) return std::move(rows).error();
  MemberIdPage page;
  page.entries = std::move(*rows);
  if (static_cast<std::int64_t>(page.entries.size()) > limit) {
    page.entries.resize(static_cast<std::size_t>(limit));
    page.next_cursor = EncodeCursor(org_id, page.entries.back());
  }
  return page;
}

core::Result<std::string> MemberService::UseridByMobile(std::int64_t org_id,
                                                        std::string_view mobile) {
  if (mobile.empty()) return MakeError(ErrorKind::kInvalidParameter, "mobile missing");
  auto found = core::ReadValue(store_, [&](DirectoryUnit& u) {
    return u.Members().FindBy(org_id, MemberKey::kMobile, mobile);
  });
  if (!found) return std::move(found).error();
  if (!*found) return NoMatch("mobile");
  return (*found)->userid;
}

core::Result<std::string> MemberService::UseridByEmail(std::int64_t org_id, std::string_view email,
                                                       EmailType type) {
  if (email.empty()) return MakeError(ErrorKind::kInvalidParameter, "email missing");
  const MemberKey key = type == EmailType::kBusiness ? MemberKey::kBizMail : MemberKey::kEmail;
  auto found = core::ReadValue(
      store_, [&](DirectoryUnit& u) { return u.Members().FindBy(org_id, key, email); });
  if (!found) return std::move(found).error();
  if (!*found) return NoMatch("e-mail");
  return (*found)->userid;
}

core::Result<std::string> MemberService::OpenidOf(std::int64_t org_id, std::string_view userid) {
  auto found = Get(org_id, userid);
  if (!found) return std::move(found).error();
  return found->openid;
}

core::Result<std::string> MemberService::UseridOfOpenid(std::int64_t org_id,
                                                        std::string_view openid) {
  if (openid.empty()) return MakeError(ErrorKind::kInvalidOpenId, "openid missing");
  auto found = core::ReadValue(store_, [&](DirectoryUnit& u) {
    return u.Members().FindBy(org_id, MemberKey::kOpenid, openid);
  });
  if (!found) return std::move(found).error();
  if (!*found)
    return MakeError(ErrorKind::kInvalidOpenId, "openid " + std::string(openid) + " is unknown");
  return (*found)->userid;
}

}  // namespace corphub::directory
