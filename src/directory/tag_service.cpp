#include "directory/tag_service.hpp"

#include <set>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "directory/change_record.hpp"
#include "directory/text.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

core::Status CheckName(std::string_view name) {
  auto chars = CountCodePoints(name);
  if (!chars || *chars == 0 || *chars > TagService::kMaxNameChars) {
    return MakeError(ErrorKind::kTagNameLength, "tagname must be 1 to 32 characters");
  }
  return core::Ok();
}

core::Error UnknownTag(std::int64_t id) {
  return MakeError(ErrorKind::kInvalidTagId, "tag " + std::to_string(id) + " not found");
}

core::Status CheckNameFree(DirectoryUnit& u, std::int64_t org_id, const std::string& name,
                           std::int64_t self) {
  auto same = u.Tags().FindByName(org_id, name);
  if (!same) return std::move(same).error();
  if (*same && (*same)->id != self) {
    return MakeError(ErrorKind::kTagNameExists,
                     "tag " + std::to_string((*same)->id) + " is already named " + name);
  }
  return core::Ok();
}

core::Result<Tag> FindTag(DirectoryUnit& u, std::int64_t org_id, std::int64_t id) {
  auto found = u.Tags().Find(org_id, id);
  if (!found) return std::move(found).error();
  if (!*found) return UnknownTag(id);
  return std::move(**found);
}

}  // namespace

core::Result<std::int64_t> TagService::Create(const core::Actor& actor, std::int64_t org_id,
                                              const std::string& name,
                                              std::optional<std::int64_t> id) {
  CORPHUB_TRY(CheckName(name));
  if (id && *id <= 0) {
    return MakeError(ErrorKind::kInvalidTagId,
                     "tagid must be positive, not " + std::to_string(*id));
  }
  return core::WriteValue(store_, [&](DirectoryUnit& u) -> core::Result<std::int64_t> {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    CORPHUB_TRY(CheckNameFree(u, org_id, name, 0));
    Tag t;
    t.org_id = org_id;
    t.name = name;
    t.created_at = t.updated_at = clock_.Now();
    if (id) {
      auto taken = u.Tags().Find(org_id, *id);
      if (!taken) return std::move(taken).error();
      if (*taken) {
        return MakeError(ErrorKind::kInvalidTagId, "tagid " + std::to_string(*id) + " is taken");
      }
      t.id = *id;
    } else {
      auto max = u.Tags().MaxId(org_id);
      if (!max) return std::move(max).error();
      t.id = *max + 1;
    }
    CORPHUB_TRY(u.Tags().Insert(t));
    CORPHUB_TRY(Record(u, actor, org_id, t.created_at,
                       {"", "", "tag.create", std::to_string(t.id),
                        core::JsonObjectWriter().Str("tagname", t.name).Done()}));
    return t.id;
  });
}

core::Status TagService::Rename(const core::Actor& actor, std::int64_t org_id, std::int64_t id,
                                const std::string& name) {
  CORPHUB_TRY(CheckName(name));
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    auto t = FindTag(u, org_id, id);
    if (!t) return std::move(t).error();
    if (t->name == name) return core::Ok();
    CORPHUB_TRY(CheckNameFree(u, org_id, name, id));
    const std::string before = t->name;
    t->name = name;
    t->updated_at = clock_.Now();
    CORPHUB_TRY(u.Tags().Update(*t));
    return Record(u, actor, org_id, t->updated_at,
                  {"", "", "tag.update", std::to_string(id),
                   core::JsonObjectWriter().Str("from", before).Str("tagname", name).Done()});
  });
}

core::Status TagService::Delete(const core::Actor& actor, std::int64_t org_id, std::int64_t id) {
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    auto t = FindTag(u, org_id, id);
    if (!t) return std::move(t).error();
    CORPHUB_TRY(u.Tags().Delete(org_id, id));
    return Record(u, actor, org_id, clock_.Now(),
                  {"", "", "tag.delete", std::to_string(id),
                   core::JsonObjectWriter().Str("tagname", t->name).Done()});
  });
}

core::Result<TagDetail> TagService::Get(std::int64_t org_id, std::int64_t id) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<TagDetail> {
    auto t = FindTag(u, org_id, id);
    if (!t) return std::move(t).error();
    auto members = u.Tags().Members(org_id, id);
    if (!members) return std::move(members).error();
    auto departments = u.Tags().Departments(org_id, id);
    if (!departments) return std::move(departments).error();
    return TagDetail{std::move(*t), std::move(*members), std::move(*departments)};
  });
}

core::Result<std::vector<Tag>> TagService::List(std::int64_t org_id) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) { return u.Tags().List(org_id); });
}

core::Result<TagTargetsResult> TagService::AddTargets(
    const core::Actor& actor, std::int64_t org_id, std::int64_t id,
    const std::vector<std::string>& userids, const std::vector<std::int64_t>& departments) {
  return ChangeTargets(actor, org_id, id, userids, departments, true);
}

core::Result<TagTargetsResult> TagService::RemoveTargets(
    const core::Actor& actor, std::int64_t org_id, std::int64_t id,
    const std::vector<std::string>& userids, const std::vector<std::int64_t>& departments) {
  return ChangeTargets(actor, org_id, id, userids, departments, false);
}

core::Status TagService::ChangeMembers(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t id, const std::vector<std::string>& userids,
                                       bool add) {
  auto changed = ChangeTargets(actor, org_id, id, userids, {}, add, true);
  if (!changed) return std::move(changed).error();
  return core::Ok();
}

core::Result<TagTargetsResult> TagService::ChangeTargets(
    const core::Actor& actor, std::int64_t org_id, std::int64_t id,
    const std::vector<std::string>& userids, const std::vector<std::int64_t>& departments, bool add,
    bool strict) {
  if (userids.size() > kMaxUsersPerCall) {
    return MakeError(ErrorKind::kInvalidUserIdList, "userlist may hold at most 1000 userids, not " +
                                                        std::to_string(userids.size()));
  }
  if (departments.size() > kMaxDepartmentsPerCall) {
    return MakeError(
        ErrorKind::kInvalidDepartmentList,
        "partylist may hold at most 100 departments, not " + std::to_string(departments.size()));
  }
  if (userids.empty() && departments.empty()) {
    return MakeError(ErrorKind::kInvalidParameter, "userlist and partylist are both empty");
  }
  return core::WriteValue(store_, [&](DirectoryUnit& u) -> core::Result<TagTargetsResult> {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    auto t = FindTag(u, org_id, id);
    if (!t) return std::move(t).error();
    std::unordered_set<std::int64_t> tagged_members;
    std::unordered_set<std::int64_t> tagged_departments;
    if (!add) {
      auto members = u.Tags().Members(org_id, id);
      if (!members) return std::move(members).error();
      for (const auto& m : *members) tagged_members.insert(m.member_id);
      auto depts = u.Tags().Departments(org_id, id);
      if (!depts) return std::move(depts).error();
      tagged_departments.insert(depts->begin(), depts->end());
    }

    TagTargetsResult result;
    std::vector<std::int64_t> member_ids;
    std::vector<std::string> valid_users;
    std::set<std::string> seen_users;
    for (const auto& userid : userids) {
      if (!seen_users.insert(UseridKey(userid)).second) continue;
      auto found = userid.empty() ? core::Result<std::optional<Member>>(std::optional<Member>())
                                  : u.Members().FindBy(org_id, MemberKey::kUserid, userid);
      if (!found) return std::move(found).error();
      if (strict && !*found) return MakeError(ErrorKind::kUserNotFound, "no member " + userid);
      if (strict && !add && !tagged_members.count((*found)->id)) continue;
      if (!*found || (!add && !tagged_members.count((*found)->id))) {
        result.invalid_users.push_back(userid);
        continue;
      }
      member_ids.push_back((*found)->id);
      valid_users.push_back((*found)->userid);
    }
    std::vector<std::int64_t> department_ids;
    std::set<std::int64_t> seen_departments;
    for (std::int64_t d : departments) {
      if (!seen_departments.insert(d).second) continue;
      auto found = u.Departments().Find(org_id, d);
      if (!found) return std::move(found).error();
      if (!*found || (!add && !tagged_departments.count(d))) {
        result.invalid_departments.push_back(d);
        continue;
      }
      department_ids.push_back(d);
    }
    if (strict && member_ids.empty()) return result;  // nothing to change
    if (member_ids.empty() && department_ids.empty()) {
      return MakeError(ErrorKind::kAllTargetsInvalid,
                       add ? "none of the userids and departments exists"
                           : "none of the userids and departments is tagged with this tag");
    }
    if (add) {
      CORPHUB_TRY(u.Tags().AddMembers(org_id, id, member_ids));
      CORPHUB_TRY(u.Tags().AddDepartments(org_id, id, department_ids));
    } else {
      CORPHUB_TRY(u.Tags().RemoveMembers(org_id, id, member_ids));
      CORPHUB_TRY(u.Tags().RemoveDepartments(org_id, id, department_ids));
    }
    auto text = [](const std::string& s) { return s; };
    auto number = [](std::int64_t d) { return std::to_string(d); };
    core::JsonObjectWriter event;
    event.Int("TagId", id);
    if (!valid_users.empty())
      event.Str(add ? "AddUserItems" : "DelUserItems", JoinedWithCommas(valid_users, text));
    if (!department_ids.empty())
      event.Str(add ? "AddPartyItems" : "DelPartyItems", JoinedWithCommas(department_ids, number));
    const std::string detail = core::JsonObjectWriter()
                                   .Strs("userids", valid_users)
                                   .Ints("departments", department_ids)
                                   .Done();
    CORPHUB_TRY(Record(u, actor, org_id, clock_.Now(),
                       {"update_tag", event.Done(), add ? "tag.add_targets" : "tag.remove_targets",
                        std::to_string(id), detail}));
    return result;
  });
}

}  // namespace corphub::directory
