// batch/replaceparty: the file is the department tree (reference §3).
#include <algorithm>
#include <unordered_map>

#include "core/json_writer.hpp"
#include "directory/batch_files.hpp"
#include "directory/batch_service.hpp"
#include "directory/change_record.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

constexpr int kDuplicatePartyid = 302006;  // WeCom's batch code for a department id twice

}  // namespace

core::Status BatchService::RunParties(const jobs::Job& start, const std::string& bytes) {
  auto rows = batch::ReadPartyFile(bytes);
  if (!rows) return std::move(rows).error();
  const core::Actor actor{"batch:" + start.jobid, ""};
  // One transaction: the file is the tree, and half a tree is no tree.
  return store_.Write([&](DirectoryUnit& u) -> core::Status {
    CORPHUB_TRY(u.Departments().LockTree(start.org_id));
    auto existing = u.Departments().ListAll(start.org_id);
    if (!existing) return std::move(existing).error();
    std::unordered_map<std::int64_t, Department> by_id;
    for (auto& d : *existing) by_id[d.id] = d;

    // Parents before children, as the file's own parent links say.
    std::unordered_map<std::int64_t, const batch::PartyRow*> in_file;
    std::vector<std::string> results(rows->size());
    std::vector<const batch::PartyRow*> valid;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const batch::PartyRow& p = (*rows)[i];
      auto result = [&](int action, int code, const std::string& msg) {
        results[i] = core::JsonObjectWriter()
                         .Int("action", action)
                         .Int("partyid", p.id.value_or(0))
                         .Int("errcode", code)
                         .Str("errmsg", msg)
                         .Done();
      };
      if (!p.id || *p.id < 1 || p.name.empty() || (*p.id != kRootDepartmentId && !p.parent)) {
        result(0, 40058,
               "line " + std::to_string(p.line) + ": 部门名称, 部门ID and 父部门ID are required");
      } else if (in_file.count(*p.id)) {
        result(0, kDuplicatePartyid,
               "line " + std::to_string(p.line) + ": 部门ID repeats an earlier row");
      } else {
        in_file[*p.id] = &p;
        valid.push_back(&p);
      }
    }
    auto depth_of = [&](const batch::PartyRow* p) {
      int depth = 0;
      std::int64_t at = p->parent.value_or(0);
      while (at != 0 && in_file.count(at) && depth < 64) {
        at = in_file[at]->parent.value_or(0);
        ++depth;
      }
      return depth;
    };
    std::stable_sort(valid.begin(), valid.end(),
                     [&](const batch::PartyRow* a, const batch::PartyRow* b) {
                       return depth_of(a) < depth_of(b);
                     });
    const core::TimePoint now = clock_.Now();
    for (const batch::PartyRow* p : valid) {
      const std::size_t index = static_cast<std::size_t>(p - rows->data());
      int action = 0;
      Department d;
      auto it = by_id.find(*p->id);
      if (it == by_id.end()) {
        action = 1;
        d.org_id = start.org_id;
        d.id = *p->id;
        d.created_at = now;
      } else {
        d = it->second;
        if (d.name != p->name) action |= 2;
        if (d.id != kRootDepartmentId && d.parent_id != *p->parent) action |= 4;
        if (d.order != p->order) action |= 8;
      }
      d.name = p->name;
      if (d.id != kRootDepartmentId) d.parent_id = *p->parent;
      d.order = p->order;
      d.updated_at = now;
      core::Status applied = core::Ok();
      if (d.id != kRootDepartmentId && !by_id.count(d.parent_id)) {
        applied = MakeError(ErrorKind::kParentNotFound,
                            "parent department " + std::to_string(d.parent_id) + " not found");
      } else if (action != 0) {
        for (const auto& [id, other] : by_id) {
          if (id != d.id && other.parent_id == d.parent_id && other.name == d.name) {
            applied = MakeError(ErrorKind::kDepartmentExists,
                                "a sibling department is already named " + d.name);
          }
        }
        if (applied) applied = action == 1 ? u.Departments().Insert(d) : u.Departments().Update(d);
        if (applied) {
          by_id[d.id] = d;
          const std::string event = core::JsonObjectWriter()
                                        .Int("Id", d.id)
                                        .Str("Name", d.name)
                                        .Int("ParentId", d.parent_id)
                                        .Done();
          applied = Record(u, actor, start.org_id, now,
                           {action == 1 ? "create_party" : "update_party", event,
                            action == 1 ? "department.create" : "department.update",
                            std::to_string(d.id), event});
        }
      }
      if (!applied && (applied.error().kind == ErrorKind::kUnavailable ||
                       applied.error().kind == ErrorKind::kInternal)) {
        return applied;
      }
      results[index] = core::JsonObjectWriter()
                           .Int("action", applied ? action : 0)
                           .Int("partyid", *p->id)
                           .Int("errcode", applied ? 0 : applied.error().WecomCode())
                           .Str("errmsg", applied ? "ok"
                                                  : "line " + std::to_string(p->line) + ": " +
                                                        applied.error().message)
                           .Done();
    }
    // Departments the file leaves out go, deepest first; their members move to the root when
    // it was their only department.
    std::vector<Department> gone;
    for (const auto& [id, d] : by_id) {
      if (id != kRootDepartmentId && !in_file.count(id)) gone.push_back(d);
    }
    auto level = [&](const Department& d) {
      int n = 0;
      for (std::int64_t at = d.parent_id; at != 0 && n < 64; ++n) {
        auto p = by_id.find(at);
        if (p == by_id.end()) break;
        at = p->second.parent_id;
      }
      return n;
    };
    std::sort(gone.begin(), gone.end(),
              [&](const Department& a, const Department& b) { return level(a) > level(b); });
    for (const Department& d : gone) {
      auto members = u.Members().InDepartments(start.org_id, {d.id});
      if (!members) return std::move(members).error();
      for (Member& m : *members) {
        std::erase_if(m.departments,
                      [&](const MemberDepartment& md) { return md.department_id == d.id; });
        if (m.departments.empty()) m.departments.push_back({kRootDepartmentId, 0, false});
        if (!m.InDepartment(m.main_department))
          m.main_department = m.departments.front().department_id;
        m.updated_at = now;
        CORPHUB_TRY(u.Members().Update(m));
      }
      // Children still here were moved away by the file or are deleted before (deepest first).
      CORPHUB_TRY(u.Tags().ForgetDepartment(start.org_id, d.id));
      CORPHUB_TRY(u.Departments().Delete(start.org_id, d.id));
      const std::string event = core::JsonObjectWriter().Int("Id", d.id).Done();
      CORPHUB_TRY(
          Record(u, actor, start.org_id, now,
                 {"delete_party", event, "department.delete", std::to_string(d.id), event}));
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
      CORPHUB_TRY(u.Jobs().AppendResult(start.id, static_cast<std::int64_t>(i), results[i]));
    }
    return jobs::Checkpoint(u.Jobs(), start, start.total, true, now);
  });
}

}  // namespace corphub::directory
