#include "messaging/recipients.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"

namespace corphub::messaging {
namespace {

using core::ErrorKind;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Each id trimmed, empty ones dropped, each kept once in the order given.
std::vector<std::string> Cleaned(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& raw : ids) {
    std::string id(Trim(raw));
    if (!id.empty() && seen.insert(id).second) out.push_back(std::move(id));
  }
  return out;
}

std::vector<std::string> SplitIds(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t bar = list.find('|', start);
    if (bar == std::string_view::npos) bar = list.size();
    out.emplace_back(list.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

bool ParseId(std::string_view s, std::int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out > 0;
}

// The departments and every department under them.
std::unordered_set<std::int64_t> Subtrees(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& tree,
    const std::vector<std::int64_t>& roots) {
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children;
  std::unordered_set<std::int64_t> exists;
  for (const auto& [id, parent] : tree) {
    exists.insert(id);
    if (id != parent) children[parent].push_back(id);
  }
  std::unordered_set<std::int64_t> out;
  std::vector<std::int64_t> todo;
  for (auto r : roots) {
    if (exists.count(r) != 0) todo.push_back(r);
  }
  while (!todo.empty()) {
    std::int64_t d = todo.back();
    todo.pop_back();
    if (!out.insert(d).second) continue;
    if (auto it = children.find(d); it != children.end()) {
      todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
  }
  return out;
}

// Member ids gathered from several lists; a sorted vector at the end (a fan-out to 100k
// members through a tree set spent most of its resolution time allocating nodes).
class Collector {
 public:
  void Add(const std::vector<Recipient>& rs) {
    ids_.reserve(ids_.size() + rs.size());
    for (const auto& r : rs) {
      if (r.Receives()) ids_.push_back(r.member_id);
    }
  }
  void Add(std::int64_t id) { ids_.push_back(id); }
  // Ascending, each once.
  std::vector<std::int64_t> Take() {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    return std::move(ids_);
  }

 private:
  std::vector<std::int64_t> ids_;
};

// The members of the departments' subtrees and of the tags (directly, or through a department
// the tag holds, with its subtree).
core::Status AddGroups(RecipientRepository& repo, std::int64_t org_id,
                       const std::vector<std::pair<std::int64_t, std::int64_t>>& tree,
                       const std::vector<std::int64_t>& departments,
                       const std::vector<std::int64_t>& tags, Collector& into) {
  std::vector<std::int64_t> roots = departments;
  if (!tags.empty()) {
    auto tagged = repo.Tagged(org_id, tags);
    if (!tagged) return std::move(tagged).error();
    into.Add(*tagged);
    auto tag_departments = repo.TagDepartments(org_id, tags);
    if (!tag_departments) return std::move(tag_departments).error();
    roots.insert(roots.end(), tag_departments->begin(), tag_departments->end());
  }
  if (roots.empty()) return core::Ok();
  auto all = Subtrees(tree, roots);
  auto members = repo.InDepartments(org_id, std::vector<std::int64_t>(all.begin(), all.end()));
  if (!members) return std::move(members).error();
  into.Add(*members);
  return core::Ok();
}

}  // namespace

core::Result<Targets> Targets::Parse(std::string_view touser, std::string_view toparty,
                                     std::string_view totag) {
  return FromLists(SplitIds(touser), SplitIds(toparty), SplitIds(totag));
}

core::Result<Targets> Targets::FromLists(const std::vector<std::string>& users,
                                         const std::vector<std::string>& parties,
                                         const std::vector<std::string>& tags) {
  Targets t;
  t.users = Cleaned(users);
  for (const auto& u : t.users) {
    if (u == "@all") t.everyone = true;
  }
  if (t.everyone) {
    t.users.clear();
    return t;
  }
  t.parties = Cleaned(parties);
  t.tags = Cleaned(tags);
  if (t.users.size() > kMaxUsers) {
    return core::MakeError(ErrorKind::kInvalidUserIdList, "touser names more than 1000 members");
  }
  if (t.parties.size() > kMaxParties) {
    return core::MakeError(ErrorKind::kInvalidDepartmentList,
                           "toparty names more than 100 departments");
  }
  if (t.tags.size() > kMaxTags) {
    return core::MakeError(ErrorKind::kInvalidTagId, "totag names more than 100 tags");
  }
  return t;
}

core::Result<Resolution> Resolve(RecipientRepository& repo, std::int64_t org_id,
                                 const apps::AppScope& scope, const Targets& targets) {
  Resolution out;
  const bool whole_org = scope.IsEveryone();
  std::vector<std::pair<std::int64_t, std::int64_t>> tree;
  if (!whole_org || !targets.parties.empty() || !targets.tags.empty()) {
    auto t = repo.DepartmentTree(org_id);
    if (!t) return std::move(t).error();
    tree = std::move(t).value();
  }

  // The scope as members, and the departments inside it.
  std::vector<std::int64_t> in_scope;  // ascending
  std::unordered_set<std::int64_t> scope_departments;
  if (!whole_org) {
    Collector scoped;
    if (!scope.member_ids.empty()) {
      auto direct = repo.ByIds(org_id, scope.member_ids);
      if (!direct) return std::move(direct).error();
      scoped.Add(*direct);
    }
    CORPHUB_TRY(AddGroups(repo, org_id, tree, scope.department_ids, scope.tag_ids, scoped));
    in_scope = scoped.Take();
    scope_departments = Subtrees(tree, scope.department_ids);
  }
  auto visible = [&](std::int64_t member_id) {
    return whole_org || std::binary_search(in_scope.begin(), in_scope.end(), member_id);
  };

  Collector reached;
  if (targets.everyone) {
    if (whole_org) {
      auto all = repo.Everyone(org_id);
      if (!all) return std::move(all).error();
      reached.Add(*all);
    } else {
      for (auto id : in_scope) reached.Add(id);
    }
  } else {
    if (!targets.users.empty()) {
      std::vector<std::string> keys;
      keys.reserve(targets.users.size());
      for (const auto& u : targets.users) keys.push_back(core::AsciiLower(u));
      auto found = repo.ByUserids(org_id, keys);
      if (!found) return std::move(found).error();
      std::unordered_map<std::string, const Recipient*> by_key;
      for (const auto& r : *found) by_key.emplace(r.userid_key, &r);
      std::unordered_set<std::string> reported;
      for (const auto& key : keys) {
        auto it = by_key.find(key);
        if (it == by_key.end() || !it->second->Receives() || !visible(it->second->member_id)) {
          if (reported.insert(key).second) out.invalid_users.push_back(key);
          continue;
        }
        reached.Add(it->second->member_id);
      }
    }
    std::unordered_set<std::int64_t> exists;
    for (const auto& d : tree) exists.insert(d.first);
    std::vector<std::int64_t> parties;
    for (const auto& p : targets.parties) {
      std::int64_t id = 0;
      if (!ParseId(p, id) || exists.count(id) == 0 ||
          (!whole_org && scope_departments.count(id) == 0)) {
        out.invalid_parties.push_back(p);
        continue;
      }
      parties.push_back(id);
    }
    std::vector<std::int64_t> tag_ids;
    std::vector<std::int64_t> asked_tags;
    for (const auto& t : targets.tags) {
      std::int64_t id = 0;
      if (ParseId(t, id)) asked_tags.push_back(id);
    }
    std::unordered_set<std::int64_t> existing_tags;
    if (!asked_tags.empty()) {
      auto existing = repo.ExistingTags(org_id, asked_tags);
      if (!existing) return std::move(existing).error();
      existing_tags.insert(existing->begin(), existing->end());
    }
    auto tag_in_scope = [&](std::int64_t id) {
      return whole_org ||
             std::find(scope.tag_ids.begin(), scope.tag_ids.end(), id) != scope.tag_ids.end();
    };
    for (const auto& t : targets.tags) {
      std::int64_t id = 0;
      if (!ParseId(t, id) || existing_tags.count(id) == 0 || !tag_in_scope(id)) {
        out.invalid_tags.push_back(t);
        continue;
      }
      tag_ids.push_back(id);
    }
    Collector groups;
    CORPHUB_TRY(AddGroups(repo, org_id, tree, parties, tag_ids, groups));
    for (auto id : groups.Take()) {
      if (visible(id)) reached.Add(id);
    }
  }
  out.member_ids = reached.Take();
  return out;
}

}  // namespace corphub::messaging
