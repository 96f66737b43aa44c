#include "directory/department_service.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/json_writer.hpp"
#include "directory/change_record.hpp"
#include "directory/text.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

constexpr std::string_view kIllegalNameChars = "\\:*?\"<>|";
constexpr std::int64_t kMaxOrder = std::numeric_limits<std::uint32_t>::max();

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

core::Error NotFound(std::int64_t id) {
  return MakeError(ErrorKind::kDepartmentNotFound,
                   "department " + std::to_string(id) + " not found");
}

core::Error ParentNotFound(std::int64_t id) {
  return MakeError(ErrorKind::kParentNotFound,
                   "parent department " + std::to_string(id) + " not found");
}

// WeCom's name rules: 1-64 characters (code points), none of \ : * ? " < > |.
core::Status CheckName(std::string_view field, std::string_view name, bool may_be_empty) {
  auto chars = CountCodePoints(name);
  if (!chars) {
    return MakeError(ErrorKind::kDepartmentNameChars,
                     "department " + std::string(field) + " is not valid UTF-8");
  }
  if ((*chars == 0 && !may_be_empty) || *chars > DepartmentService::kMaxNameChars) {
    return MakeError(ErrorKind::kDepartmentNameLength,
                     "department " + std::string(field) + " must be 1 to " +
                         std::to_string(DepartmentService::kMaxNameChars) + " characters, not " +
                         std::to_string(*chars));
  }
  if (auto at = name.find_first_of(kIllegalNameChars); at != std::string_view::npos) {
    return MakeError(ErrorKind::kDepartmentNameChars,
                     "department " + std::string(field) + " must not contain '" +
                         std::string(1, name[at]) + "' (none of \\ : * ? \" < > | may appear)");
  }
  return core::Ok();
}

core::Status CheckOrder(std::int64_t order) {
  if (order < 0 || order > kMaxOrder) {
    return MakeError(ErrorKind::kInvalidParameter, "department order must be 0 to " +
                                                       std::to_string(kMaxOrder) + ", not " +
                                                       std::to_string(order));
  }
  return core::Ok();
}

core::Error TooDeep(std::int64_t depth) {
  return MakeError(
      ErrorKind::kInvalidParameter,
      "departments may be nested at most " + std::to_string(DepartmentService::kMaxDepth) +
          " levels deep (the root is level 1); this would make " + std::to_string(depth));
}

// Fails when a sibling under `parent_id` other than `self_id` already has `name`.
core::Status CheckSiblingName(DepartmentRepository& repo, std::int64_t org_id,
                              std::int64_t parent_id, std::int64_t self_id,
                              const std::string& name) {
  auto siblings = repo.Children(org_id, parent_id);
  if (!siblings) return std::move(siblings).error();
  for (const Department& d : *siblings) {
    if (d.id != self_id && d.name == name) {
      return MakeError(ErrorKind::kDepartmentExists, "a sibling department is already named " +
                                                         Quoted(name) + " (id " +
                                                         std::to_string(d.id) + ")");
    }
  }
  return core::Ok();
}

// The level of `id` (the root is 1), walking up through its parents.
core::Result<std::int64_t> LevelOf(DepartmentRepository& repo, std::int64_t org_id,
                                   std::int64_t id) {
  std::int64_t level = 0;
  for (std::int64_t at = id; at != 0; ++level) {
    // A chain longer than any valid tree means the stored tree is broken: stop, do not loop.
    if (level > DepartmentService::kMaxDepth * 4) {
      return MakeError(ErrorKind::kInternal,
                       "department tree above " + std::to_string(id) + " does not end at a root");
    }
    auto found = repo.Find(org_id, at);
    if (!found) return std::move(found).error();
    if (!*found) break;  // a dangling parent; count what exists
    at = (*found)->parent_id;
  }
  return level;
}

using ChildMap = std::unordered_map<std::int64_t, std::vector<const Department*>>;

ChildMap ChildrenOf(const std::vector<Department>& all) {
  ChildMap children;
  for (const Department& d : all) children[d.parent_id].push_back(&d);
  for (auto& [parent, list] : children) {
    std::sort(list.begin(), list.end(), [](const Department* a, const Department* b) {
      if (a->order != b->order) return a->order > b->order;
      return a->id < b->id;
    });
  }
  return children;
}

// Pre-order: `top`, then each child's subtree, children in sibling order. Iterative, and each
// department is visited once, so even a broken (cyclic) stored tree terminates.
void AppendSubtree(const Department& top, const ChildMap& children,
                   std::unordered_map<std::int64_t, bool>& seen, std::vector<Department>& out) {
  std::vector<const Department*> stack{&top};
  while (!stack.empty()) {
    const Department* d = stack.back();
    stack.pop_back();
    if (seen[d->id]) continue;
    seen[d->id] = true;
    out.push_back(*d);
    auto it = children.find(d->id);
    if (it == children.end()) continue;
    for (auto child = it->second.rbegin(); child != it->second.rend(); ++child) {
      stack.push_back(*child);
    }
  }
}

// The levels below `id` in its subtree, counting `id` itself as 1.
std::int64_t SubtreeHeight(std::int64_t id, const ChildMap& children) {
  std::int64_t height = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> stack{{id, 1}};
  std::unordered_map<std::int64_t, bool> seen;
  while (!stack.empty()) {
    auto [at, level] = stack.back();
    stack.pop_back();
    if (seen[at]) continue;
    seen[at] = true;
    height = std::max(height, level);
    if (auto it = children.find(at); it != children.end()) {
      for (const Department* child : it->second) stack.emplace_back(child->id, level + 1);
    }
  }
  return height;
}

// Whether `candidate` is `id` or lies below it.
bool IsInSubtree(std::int64_t candidate, std::int64_t id, const std::vector<Department>& all) {
  std::unordered_map<std::int64_t, std::int64_t> parent_of;
  for (const Department& d : all) parent_of[d.id] = d.parent_id;
  for (std::size_t steps = 0; candidate != 0 && steps <= all.size(); ++steps) {
    if (candidate == id) return true;
    auto it = parent_of.find(candidate);
    if (it == parent_of.end()) return false;
    candidate = it->second;
  }
  return false;
}

}  // namespace

core::Status DepartmentService::EnsureRoot(std::int64_t org_id, const std::string& name) {
  auto found = core::ReadValue(
      store_, [&](DirectoryUnit& u) { return u.Departments().Find(org_id, kRootDepartmentId); });
  if (!found) return std::move(found).error();
  if (*found) return core::Ok();

  Department root;
  root.org_id = org_id;
  root.id = kRootDepartmentId;
  root.name = name;
  root.parent_id = 0;
  root.created_at = root.updated_at = clock_.Now();
  auto inserted = store_.Write([&](DirectoryUnit& u) { return u.Departments().Insert(root); });
  // Another process made it first: theirs is as good.
  if (!inserted && inserted.error().kind != core::ErrorKind::kAlreadyExists) return inserted;
  return core::Ok();
}

core::Result<std::int64_t> DepartmentService::Create(const core::Actor& actor, std::int64_t org_id,
                                                     const NewDepartment& input) {
  // Checks and insert in one transaction, so a failed check leaves nothing behind.
  return core::WriteValue(store_, [&](DirectoryUnit& u) -> core::Result<std::int64_t> {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    return CreateIn(u, actor, org_id, input);
  });
}

core::Result<std::int64_t> DepartmentService::CreateIn(DirectoryUnit& u, const core::Actor& actor,
                                                       std::int64_t org_id,
                                                       const NewDepartment& input) {
  CORPHUB_TRY(CheckName("name", input.name, false));
  CORPHUB_TRY(CheckName("name_en", input.name_en, true));
  CORPHUB_TRY(CheckOrder(input.order));
  if (input.id && *input.id <= kRootDepartmentId) {
    return MakeError(ErrorKind::kInvalidDepartmentId,
                     "department id must be greater than 1, not " + std::to_string(*input.id));
  }
  if (input.parent_id <= 0) return ParentNotFound(input.parent_id);

  Department d;
  d.org_id = org_id;
  d.name = input.name;
  d.name_en = input.name_en;
  d.parent_id = input.parent_id;
  d.order = input.order;
  d.created_at = d.updated_at = clock_.Now();
  DepartmentRepository& repo = u.Departments();
  auto parent = repo.Find(org_id, d.parent_id);
  if (!parent) return std::move(parent).error();
  if (!*parent) return ParentNotFound(d.parent_id);
  auto parent_level = LevelOf(repo, org_id, d.parent_id);
  if (!parent_level) return std::move(parent_level).error();
  if (*parent_level + 1 > kMaxDepth) return TooDeep(*parent_level + 1);
  if (input.id) {
    auto taken = repo.Find(org_id, *input.id);
    if (!taken) return std::move(taken).error();
    if (*taken) {
      return MakeError(ErrorKind::kDepartmentExists,
                       "department id " + std::to_string(*input.id) + " is taken");
    }
    d.id = *input.id;
  } else {
    auto max_id = repo.MaxId(org_id);
    if (!max_id) return std::move(max_id).error();
    d.id = std::max(*max_id, kRootDepartmentId) + 1;
  }
  CORPHUB_TRY(CheckSiblingName(repo, org_id, d.parent_id, d.id, d.name));
  CORPHUB_TRY(repo.Insert(d));
  const std::string event = core::JsonObjectWriter()
                                .Int("Id", d.id)
                                .Str("Name", d.name)
                                .Int("ParentId", d.parent_id)
                                .Int("Order", d.order)
                                .Done();
  CORPHUB_TRY(Record(u, actor, org_id, d.created_at,
                     {"create_party", event, "department.create", std::to_string(d.id), event}));
  return d.id;
}

core::Status DepartmentService::Update(const core::Actor& actor, std::int64_t org_id,
                                       const DepartmentChange& change) {
  if (change.name) CORPHUB_TRY(CheckName("name", *change.name, false));
  if (change.name_en) CORPHUB_TRY(CheckName("name_en", *change.name_en, true));
  if (change.order) CORPHUB_TRY(CheckOrder(*change.order));

  auto updated = store_.Write([&](DirectoryUnit& u) -> core::Status {
    DepartmentRepository& repo = u.Departments();
    CORPHUB_TRY(repo.LockTree(org_id));
    auto found = repo.Find(org_id, change.id);
    if (!found) return std::move(found).error();
    if (!*found) return NotFound(change.id);
    Department d = std::move(**found);
    const bool moves = change.parent_id && *change.parent_id != d.parent_id;
    if (moves) {
      const std::int64_t to = *change.parent_id;
      if (d.id == kRootDepartmentId) {
        return MakeError(ErrorKind::kInvalidParameter, "the root department cannot be moved");
      }
      if (to <= 0) return ParentNotFound(to);
      auto all = repo.ListAll(org_id);
      if (!all) return std::move(all).error();
      auto parent =
          std::find_if(all->begin(), all->end(), [&](const Department& x) { return x.id == to; });
      if (parent == all->end()) return ParentNotFound(to);
      if (IsInSubtree(to, d.id, *all)) {
        return MakeError(ErrorKind::kDepartmentCycle,
                         "department " + std::to_string(d.id) + " cannot move under " +
                             (to == d.id ? std::string("itself")
                                         : "its own sub-department " + std::to_string(to)));
      }
      auto parent_level = LevelOf(repo, org_id, to);
      if (!parent_level) return std::move(parent_level).error();
      const std::int64_t deepest = *parent_level + SubtreeHeight(d.id, ChildrenOf(*all));
      if (deepest > kMaxDepth) return TooDeep(deepest);
      d.parent_id = to;
    }
    if (change.name) d.name = *change.name;
    if (change.name_en) d.name_en = *change.name_en;
    if (change.order) d.order = *change.order;
    if (moves || change.name)
      CORPHUB_TRY(CheckSiblingName(repo, org_id, d.parent_id, d.id, d.name));
    d.updated_at = clock_.Now();
    CORPHUB_TRY(repo.Update(d));
    core::JsonObjectWriter event;
    event.Int("Id", d.id);
    if (change.name) event.Str("Name", d.name);
    if (moves) event.Int("ParentId", d.parent_id);
    core::JsonObjectWriter detail;
    detail.Int("Id", d.id);
    if (change.name) detail.Str("Name", d.name);
    if (change.name_en) detail.Str("NameEn", d.name_en);
    if (moves) detail.Int("ParentId", d.parent_id);
    if (change.order) detail.Int("Order", d.order);
    return Record(
        u, actor, org_id, d.updated_at,
        {"update_party", event.Done(), "department.update", std::to_string(d.id), detail.Done()});
  });
  return updated;
}

core::Status DepartmentService::Delete(const core::Actor& actor, std::int64_t org_id,
                                       std::int64_t id) {
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    return DeleteIn(u, actor, org_id, id);
  });
}

core::Status DepartmentService::DeleteIn(DirectoryUnit& u, const core::Actor& actor,
                                         std::int64_t org_id, std::int64_t id) {
  if (id == kRootDepartmentId) {
    return MakeError(ErrorKind::kCannotDeleteRoot, "the root department cannot be deleted");
  }
  DepartmentRepository& repo = u.Departments();
  auto found = repo.Find(org_id, id);
  if (!found) return std::move(found).error();
  if (!*found) return NotFound(id);
  auto children = repo.Children(org_id, id);
  if (!children) return std::move(children).error();
  if (!children->empty()) {
    return MakeError(ErrorKind::kDepartmentHasChildren,
                     "department " + std::to_string(id) + " has " +
                         std::to_string(children->size()) + " sub-department(s)");
  }
  auto members = u.Members().CountInDepartment(org_id, id);
  if (!members) return std::move(members).error();
  if (*members > 0) {
    return MakeError(ErrorKind::kDepartmentHasMembers, "department " + std::to_string(id) +
                                                           " has " + std::to_string(*members) +
                                                           " member(s); move them elsewhere first");
  }
  CORPHUB_TRY(u.Tags().ForgetDepartment(org_id, id));
  CORPHUB_TRY(repo.Delete(org_id, id));
  const std::string event = core::JsonObjectWriter().Int("Id", id).Done();
  return Record(u, actor, org_id, clock_.Now(),
                {"delete_party", event, "department.delete", std::to_string(id),
                 core::JsonObjectWriter().Int("Id", id).Str("Name", (*found)->name).Done()});
}

core::Result<Department> DepartmentService::Get(std::int64_t org_id, std::int64_t id) {
  std::optional<Department> found;
  std::vector<DepartmentLeader> leaders;
  CORPHUB_TRY(store_.Read([&](DirectoryUnit& u) -> core::Status {
    auto d = u.Departments().Find(org_id, id);
    if (!d) return std::move(d).error();
    found = std::move(*d);
    auto l = u.Members().Leaders(org_id);
    if (!l) return std::move(l).error();
    leaders = std::move(*l);
    return core::Ok();
  }));
  if (!found) return NotFound(id);
  for (auto& l : leaders) {
    if (l.department_id == id) found->leaders.push_back(std::move(l.userid));
  }
  return std::move(*found);
}

core::Result<std::vector<Department>> DepartmentService::List(std::int64_t org_id,
                                                              std::optional<std::int64_t> root) {
  std::optional<std::vector<Department>> all;
  std::vector<DepartmentLeader> leaders;
  CORPHUB_TRY(store_.Read([&](DirectoryUnit& u) -> core::Status {
    auto d = u.Departments().ListAll(org_id);
    if (!d) return std::move(d).error();
    all = std::move(*d);
    auto l = u.Members().Leaders(org_id);
    if (!l) return std::move(l).error();
    leaders = std::move(*l);
    return core::Ok();
  }));
  if (!leaders.empty()) {
    std::unordered_map<std::int64_t, Department*> by_id;
    for (Department& d : *all) by_id[d.id] = &d;
    for (auto& l : leaders) {
      if (auto it = by_id.find(l.department_id); it != by_id.end()) {
        it->second->leaders.push_back(std::move(l.userid));
      }
    }
  }
  auto ordered = TreeOrder(*all, root);
  if (!ordered) return NotFound(*root);
  return std::move(*ordered);
}

std::optional<std::vector<Department>> TreeOrder(const std::vector<Department>& all,
                                                 std::optional<std::int64_t> root) {
  const ChildMap children = ChildrenOf(all);
  std::unordered_map<std::int64_t, bool> seen;
  std::vector<Department> out;
  out.reserve(all.size());
  if (root) {
    auto top =
        std::find_if(all.begin(), all.end(), [&](const Department& d) { return d.id == *root; });
    if (top == all.end()) return std::nullopt;
    AppendSubtree(*top, children, seen, out);
    return out;
  }
  // The whole tree: from the root (and, should the stored tree be broken, from any department
  // whose parent is missing, so that nothing is silently dropped).
  std::map<std::int64_t, bool> present;
  for (const Department& d : all) present[d.id] = true;
  std::vector<const Department*> tops;
  for (const Department& d : all) {
    if (d.parent_id == 0 || !present.count(d.parent_id)) tops.push_back(&d);
  }
  std::sort(tops.begin(), tops.end(),
            [](const Department* a, const Department* b) { return a->id < b->id; });
  for (const Department* top : tops) AppendSubtree(*top, children, seen, out);
  return out;
}

}  // namespace corphub::directory
