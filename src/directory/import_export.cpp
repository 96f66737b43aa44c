// The console's member export (ImportService::Export): the import's columns, so an export
// imports back unchanged.
#include <unordered_map>

#include "directory/console_service.hpp"
#include "directory/import_service.hpp"

namespace corphub::directory {

using core::ErrorKind;
using core::MakeError;
using import::Column;

core::Result<std::string> ImportService::Export(std::int64_t org_id, MemberQuery query,
                                                import::FileFormat format,
                                                import::Language language) {
  using Cells = std::array<std::string, import::kColumnCount>;
  std::vector<Cells> rows;
  if (auto status = store_.Read([&](DirectoryUnit& u) -> core::Status {
        auto departments = u.Departments().ListAll(org_id);
        if (!departments) return std::move(departments).error();
        // The same filters, and the same answers for ones naming nothing, as the member list.
        CORPHUB_TRY(PrepareQuery(u, org_id, query));
        // Each department's path below the root, as the import reads it back.
        std::unordered_map<std::int64_t, const Department*> by_id;
        for (const auto& d : *departments) by_id.emplace(d.id, &d);
        std::unordered_map<std::int64_t, std::string> paths;
        auto path_of = [&](std::int64_t id) -> const std::string& {
          auto hit = paths.find(id);
          if (hit != paths.end()) return hit->second;
          std::vector<const std::string*> names;
          for (std::int64_t at = id; at != 0 && names.size() < 64;) {
            auto it = by_id.find(at);
            if (it == by_id.end()) break;
            names.push_back(&it->second->name);
            at = it->second->parent_id;
          }
          std::string p;
          // The root's own name stands for the root itself; below it, paths leave it out.
          if (names.size() == 1) {
            p = *names[0];
          } else {
            for (std::size_t i = names.size() - 1; i-- > 0;)
              p += (p.empty() ? "" : "/") + *names[i];
          }
          return paths.emplace(id, std::move(p)).first->second;
        };
        query.offset = 0;
        query.limit = 5000;
        for (;;) {
          auto page = u.Members().Search(org_id, query);
          if (!page) return std::move(page).error();
          for (const Member& m : page->members) {
            Cells c;
            c[static_cast<std::size_t>(Column::kAccount)] = m.userid;
            c[static_cast<std::size_t>(Column::kName)] = m.name;
            c[static_cast<std::size_t>(Column::kImId)] = m.external_id;
            c[static_cast<std::size_t>(Column::kMobile)] = m.mobile;
            c[static_cast<std::size_t>(Column::kEmail)] = m.email;
            std::string ds;
            for (const auto& d : m.departments)
              ds += (ds.empty() ? "" : ";") + path_of(d.department_id);
            c[static_cast<std::size_t>(Column::kDepartments)] = std::move(ds);
            c[static_cast<std::size_t>(Column::kPositions)] = m.position;
            rows.push_back(std::move(c));
          }
          query.offset += static_cast<std::int64_t>(page->members.size());
          if (page->members.empty() || query.offset >= page->total) break;
        }
        return core::Ok();
      });
      !status)
    return std::move(status).error();
  return import::WriteImportFile(rows, format, language);
}

}  // namespace corphub::directory
