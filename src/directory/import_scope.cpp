#include "directory/import_scope.hpp"

#include <charconv>

namespace corphub::directory {
namespace {

void AppendIds(std::string& out, const std::vector<std::int64_t>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
}

// "5,7" as ids ("" none); false for anything else (an empty item too).
bool ReadIds(std::string_view list, std::vector<std::int64_t>& out) {
  if (list.empty()) return true;
  for (std::size_t start = 0;;) {
    const auto comma = list.find(',', start);
    const auto item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size()) return false;
    out.push_back(id);
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

std::string EncodeImportScope(const ImportScope& scope) {
  std::string out = "d:";
  AppendIds(out, scope.department_ids);
  out += ";t:";
  AppendIds(out, scope.tag_ids);
  return out;
}

std::optional<ImportScope> DecodeImportScope(std::string_view text) {
  if (!text.starts_with("d:")) return std::nullopt;
  const auto t = text.find(";t:");
  if (t == std::string_view::npos) return std::nullopt;
  ImportScope out;
  if (!ReadIds(text.substr(2, t - 2), out.department_ids) ||
      !ReadIds(text.substr(t + 3), out.tag_ids)) {
    return std::nullopt;
  }
  return out;
}

core::Result<ScopeIndex> IndexImportScope(DirectoryUnit& u, std::int64_t org_id,
                                          const std::vector<Department>& departments,
                                          const ImportScope& scope) {
  std::vector<std::pair<std::int64_t, std::int64_t>> tree;
  tree.reserve(departments.size());
  for (const auto& d : departments) tree.emplace_back(d.id, d.parent_id);
  std::vector<std::int64_t> tag_departments;
  for (auto t : scope.tag_ids) {
    auto ds = u.Tags().Departments(org_id, t);
    if (!ds) return std::move(ds).error();
    tag_departments.insert(tag_departments.end(), ds->begin(), ds->end());
  }
  return IndexScope(tree, scope.department_ids, scope.tag_ids, tag_departments);
}

}  // namespace corphub::directory
