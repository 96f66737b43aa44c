#include "directory/console_service.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace corphub::directory {

using core::ErrorKind;
using core::MakeError;

std::vector<CountedDepartment> CountMembers(
    std::vector<Department> departments,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& member_departments) {
  std::vector<CountedDepartment> out;
  out.reserve(departments.size());
  std::unordered_map<std::int64_t, std::size_t> index;
  for (auto& d : departments) {
    index.emplace(d.id, out.size());
    out.push_back(CountedDepartment{std::move(d), 0, 0});
  }
  std::vector<std::size_t> parent(out.size(), SIZE_MAX);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto it = index.find(out[i].department.parent_id);
    if (it != index.end() && it->second != i) parent[i] = it->second;
  }
  // Pairs come grouped by nothing in particular: group them by member first.
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs = member_departments;
  std::sort(pairs.begin(), pairs.end());
  // stamp[i] = the last member counted in department i's total, so each member counts once.
  std::vector<std::int64_t> stamp(out.size(), -1);
  for (const auto& [member, department] : pairs) {
    auto it = index.find(department);
    if (it == index.end()) continue;
    ++out[it->second].member_count;
    // Walk up until a department already counted this member (its ancestors are, too). The
    // depth bound guards against a corrupt cycle.
    std::size_t at = it->second;
    for (int depth = 0; at != SIZE_MAX && stamp[at] != member && depth < 64; ++depth) {
      stamp[at] = member;
      ++out[at].total_count;
      at = parent[at];
    }
  }
  return out;
}

std::string ConsoleService::NormaliseQuery(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  // U+3000 (the ideographic space) typed by Chinese input methods.
  for (std::size_t at; (at = out.find("\xE3\x80\x80")) != std::string::npos;) out.erase(at, 3);
  return out;
}

core::Result<std::shared_ptr<const std::vector<CountedDepartment>>> ConsoleService::Tree(
    std::int64_t org_id) {
  using Shared = std::shared_ptr<const std::vector<CountedDepartment>>;
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<Shared> {
    auto version = u.Departments().Version(org_id);
    if (!version) return std::move(version).error();
    {
      std::lock_guard lock(mu_);
      if (tree_ && tree_org_ == org_id && tree_version_ == *version) return tree_;
    }
    auto all = u.Departments().ListAll(org_id);
    if (!all) return std::move(all).error();
    auto ordered = TreeOrder(*all, std::nullopt);
    if (!ordered) return MakeError(ErrorKind::kInternal, "the department tree has no root");
    auto pairs = u.Members().DepartmentPairs(org_id);
    if (!pairs) return std::move(pairs).error();
    auto tree = std::make_shared<const std::vector<CountedDepartment>>(
        CountMembers(std::move(*ordered), *pairs));
    std::lock_guard lock(mu_);
    tree_org_ = org_id;
    tree_version_ = *version;
    tree_ = tree;
    return Shared(tree);
  });
}

core::Status PrepareQuery(DirectoryUnit& u, std::int64_t org_id, MemberQuery& query) {
  if (query.department_id) {
    auto found = u.Departments().Find(org_id, *query.department_id);
    if (!found) return std::move(found).error();
    if (!*found) {
      return MakeError(ErrorKind::kDepartmentNotFound,
                       "department " + std::to_string(*query.department_id) + " not found");
    }
    // The root's subtree is everyone: no need to walk it.
    if (query.recursive && (*found)->parent_id == 0) query.department_id.reset();
  }
  if (query.tag_id) {
    auto found = u.Tags().Find(org_id, *query.tag_id);
    if (!found) return std::move(found).error();
    if (!*found) {
      return MakeError(ErrorKind::kInvalidTagId,
                       "tag " + std::to_string(*query.tag_id) + " not found");
    }
  }
  return core::Ok();
}

core::Result<ConsolePage> ConsoleService::Search(std::int64_t org_id, MemberQuery query) {
  if (query.offset < 0) return MakeError(ErrorKind::kInvalidArgument, "offset must be 0 or more");
  if (query.limit < 1 || query.limit > kMaxPage) {
    return MakeError(ErrorKind::kInvalidArgument, "limit must be 1 to " + std::to_string(kMaxPage));
  }
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<ConsolePage> {
    CORPHUB_TRY(PrepareQuery(u, org_id, query));
    auto page = u.Members().Search(org_id, query);
    if (!page) return std::move(page).error();
    ConsolePage out;
    out.total = page->total;
    std::vector<std::int64_t> ids;
    for (auto& m : page->members) {
      ids.push_back(m.id);
      out.members.push_back(ConsoleMember{std::move(m), {}});
    }
    auto tags = u.Tags().OfMembers(org_id, ids);
    if (!tags) return std::move(tags).error();
    std::unordered_map<std::int64_t, std::size_t> at;
    for (std::size_t i = 0; i < out.members.size(); ++i) at.emplace(out.members[i].member.id, i);
    for (auto& [member_id, tag] : *tags) {
      auto it = at.find(member_id);
      if (it != at.end()) out.members[it->second].tags.push_back(std::move(tag));
    }
    return out;
  });
}

core::Result<std::vector<CountedTag>> ConsoleService::Tags(std::int64_t org_id) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<std::vector<CountedTag>> {
    auto tags = u.Tags().List(org_id);
    if (!tags) return std::move(tags).error();
    auto counts = u.Tags().MemberCounts(org_id);
    if (!counts) return std::move(counts).error();
    std::unordered_map<std::int64_t, std::int64_t> by_tag(counts->begin(), counts->end());
    std::vector<CountedTag> out;
    for (auto& t : *tags) {
      const std::int64_t n = by_tag.count(t.id) ? by_tag.at(t.id) : 0;
      out.push_back(CountedTag{std::move(t), n});
    }
    return out;
  });
}

core::Result<std::int64_t> ConsoleService::Apply(const core::Actor& actor, std::int64_t org_id,
                                                 const BulkChange& change) {
  if (change.userids.empty()) return MakeError(ErrorKind::kInvalidArgument, "userids is empty");
  if (change.userids.size() > kMaxBulk) {
    return MakeError(ErrorKind::kInvalidArgument, "at most " + std::to_string(kMaxBulk) +
                                                      " userids at once, not " +
                                                      std::to_string(change.userids.size()));
  }
  // Each member once, in the order given.
  std::vector<std::string> userids;
  std::unordered_set<std::string> seen;
  for (const auto& id : change.userids) {
    if (seen.insert(UseridKey(id)).second) userids.push_back(id);
  }
  const auto n = static_cast<std::int64_t>(userids.size());
  switch (change.action) {
    case BulkAction::kDelete:
      // One transaction: an unknown userid (kUserNotFound) deletes nobody.
      if (auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
            CORPHUB_TRY(u.Departments().LockTree(org_id));
            for (const auto& userid : userids)
              CORPHUB_TRY(members_.DeleteIn(u, actor, org_id, userid));
            return core::Ok();
          });
          !status)
        return std::move(status).error();
      return n;
    case BulkAction::kAddTag:
    case BulkAction::kRemoveTag:
      CORPHUB_TRY(tags_.ChangeMembers(actor, org_id, change.tag_id, userids,
                                      change.action == BulkAction::kAddTag));
      return n;
    case BulkAction::kMove:
    case BulkAction::kFreeze:
    case BulkAction::kUnfreeze:
      break;
  }
  if (auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
        CORPHUB_TRY(u.Departments().LockTree(org_id));
        for (const auto& userid : userids) {
          MemberChange update{userid, std::nullopt, {}};
          if (change.action == BulkAction::kMove) {
            update.fields.departments = std::vector<std::int64_t>{change.department_id};
            update.fields.main_department = change.department_id;
          } else {
            update.fields.enable = change.action == BulkAction::kUnfreeze ? 1 : 0;
          }
          CORPHUB_TRY(members_.UpdateIn(u, actor, org_id, update));
        }
        return core::Ok();
      });
      !status)
    return std::move(status).error();
  return n;
}

core::Result<ConsoleService::AuditPage> ConsoleService::Audit(core::AuditQuery query) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 1, 200);
  query.limit = limit + 1;
  auto entries = core::ReadValue(store_, [&](DirectoryUnit& u) { return u.Audit().List(query); });
  if (!entries) return std::move(entries).error();
  AuditPage page;
  page.entries = std::move(*entries);
  if (static_cast<std::int64_t>(page.entries.size()) > limit) {
    page.entries.resize(static_cast<std::size_t>(limit));
    page.next_before = page.entries.back().id;
  }
  return page;
}

}  // namespace corphub::directory
