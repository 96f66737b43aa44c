#include "directory/import_service.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "directory/change_record.hpp"
#include "directory/member_rules.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;
using import::Column;

constexpr std::size_t kJobidChars = 32;

const std::string& Cell(const import::ImportRow& row, Column c) {
  return row.cells[static_cast<std::size_t>(c)];
}

// For each row, the line of an earlier row with the same userid (0 when it is the first).
std::vector<std::size_t> FirstLines(const import::ImportFile& file) {
  std::vector<std::size_t> out(file.rows.size(), 0);
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < file.rows.size(); ++i) {
    const std::string key = UseridKey(Cell(file.rows[i], Column::kAccount));
    if (key.empty()) continue;
    auto [it, fresh] = seen.emplace(key, file.rows[i].line);
    if (!fresh) out[i] = it->second;
  }
  return out;
}

// Failures of the store, not of a row: the transaction is lost, so the whole chunk is retried.
bool Fatal(const core::Status& s) {
  return !s &&
         (s.error().kind == ErrorKind::kUnavailable || s.error().kind == ErrorKind::kInternal);
}

struct RowOutcome {
  std::string action;  // create, update, error
  std::string code;
  std::string message;
  std::vector<std::string> departments_created;
};

std::string RowJson(const import::ImportRow& row, const RowOutcome& o) {
  core::JsonObjectWriter w;
  w.Int("line", static_cast<std::int64_t>(row.line))
      .Str("userid", Cell(row, Column::kAccount))
      .Str("name", Cell(row, Column::kName))
      .Str("action", o.action);
  if (!o.code.empty()) w.Str("code", o.code).Str("message", o.message);
  if (!o.departments_created.empty()) w.Strs("departments_created", o.departments_created);
  return w.Done();
}

RowOutcome Failed(const core::Error& e) {
  return RowOutcome{"error", std::string(e.Code()), e.message, {}};
}

// The department tree as paths are resolved against it: children by (parent, name).
class PathIndex {
 public:
  explicit PathIndex(const std::vector<Department>& all) {
    for (const auto& d : all) {
      by_parent_name_.emplace(Key(d.parent_id, d.name), d.id);
      parent_[d.id] = d.parent_id;
      if (d.id == kRootDepartmentId) root_name_ = d.name;
    }
  }
  std::optional<std::int64_t> Child(std::int64_t parent, const std::string& name) const {
    auto it = by_parent_name_.find(Key(parent, name));
    if (it == by_parent_name_.end()) return std::nullopt;
    return it->second;
  }
  void Add(std::int64_t id, std::int64_t parent, const std::string& name) {
    by_parent_name_.emplace(Key(parent, name), id);
    parent_[id] = parent;
  }
  void Remove(std::int64_t id, std::int64_t parent, const std::string& name) {
    by_parent_name_.erase(Key(parent, name));
    parent_.erase(id);
  }
  std::int64_t ParentOf(std::int64_t id) const {
    auto it = parent_.find(id);
    return it == parent_.end() ? 0 : it->second;
  }
  const std::string& RootName() const { return root_name_; }

 private:
  static std::string Key(std::int64_t parent, const std::string& name) {
    return std::to_string(parent) + '\x1f' + name;
  }
  std::unordered_map<std::string, std::int64_t> by_parent_name_;
  std::unordered_map<std::int64_t, std::int64_t> parent_;
  std::string root_name_;
};

struct CreatedDepartment {
  std::int64_t id = 0;
  std::int64_t parent = 0;
  std::string name;
  std::string path;
  std::size_t row = 0;  // index within the chunk of the row that created it
};

// A string field of the flat JSON object Submit writes (values without quotes or escapes: an
// actor's principal and an address).
std::optional<std::string> JsonText(std::string_view json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":\"";
  const auto at = json.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  const auto from = at + needle.size();
  const auto end = json.find('"', from);
  if (end == std::string_view::npos) return std::nullopt;
  std::string value(json.substr(from, end - from));
  if (value.find('\\') != std::string::npos || value.empty()) return std::nullopt;
  return value;
}

RowOutcome Outside(std::string message) {
  return RowOutcome{"error", "permission_denied", std::move(message), {}};
}

}  // namespace

ImportReport ImportService::Summarise(std::vector<std::string> rows_json) {
  ImportReport r;
  r.total = static_cast<std::int64_t>(rows_json.size());
  for (const auto& row : rows_json) {
    if (row.find(R"("action":"create")") != std::string::npos) {
      ++r.created;
    } else if (row.find(R"("action":"update")") != std::string::npos) {
      ++r.updated;
    } else {
      ++r.failed;
    }
    // The paths a row created, in order: "departments_created":["A","A/B"]. Department names
    // hold no quote or backslash (60009), so a path ends at the next quote.
    constexpr std::string_view kKey = R"("departments_created":[)";
    auto at = row.find(kKey);
    if (at == std::string::npos) continue;
    at += kKey.size();
    while (at < row.size() && row[at] == '"') {
      const auto end = row.find('"', at + 1);
      if (end == std::string::npos) break;
      r.departments_created.push_back(row.substr(at + 1, end - at - 1));
      at = end + 1;
      if (at < row.size() && row[at] == ',') ++at;
    }
  }
  r.rows_json = std::move(rows_json);
  return r;
}

core::Result<std::vector<std::string>> ImportService::ApplyRows(
    DirectoryUnit& u, const core::Actor& actor, std::int64_t org_id, const import::ImportFile& file,
    const std::vector<std::size_t>& first_line, std::size_t from, std::size_t to,
    const std::optional<ImportScope>& scope) {
  auto departments = u.Departments().ListAll(org_id);
  if (!departments) return std::move(departments).error();
  PathIndex index(*departments);
  std::optional<ScopeIndex> limit;
  if (scope) {
    auto made = IndexImportScope(u, org_id, *departments, *scope);
    if (!made) return std::move(made).error();
    limit = std::move(*made);
  }

  std::vector<std::string> chunk_userids;
  for (std::size_t i = from; i < to; ++i) {
    const std::string& userid = Cell(file.rows[i], Column::kAccount);
    if (!userid.empty()) chunk_userids.push_back(userid);
  }
  auto existing = u.Members().FindManyBy(org_id, MemberKey::kUserid, chunk_userids);
  if (!existing) return std::move(existing).error();
  std::unordered_set<std::string> exists;
  for (const Member& m : *existing) exists.insert(UseridKey(m.userid));
  // With a scope: the existing members outside it.
  std::unordered_set<std::string> outside;
  if (limit && !existing->empty()) {
    std::vector<std::int64_t> ids;
    for (const Member& m : *existing) ids.push_back(m.id);
    auto tags = u.Tags().OfMembers(org_id, ids);
    if (!tags) return std::move(tags).error();
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> by_member;
    for (const auto& [member_id, tag] : *tags) by_member[member_id].push_back(tag.id);
    for (const Member& m : *existing) {
      if (!limit->HasMember(m, by_member[m.id])) outside.insert(UseridKey(m.userid));
    }
  }

  std::vector<RowOutcome> outcomes(to - from);
  std::vector<std::vector<std::int64_t>> row_departments(to - from);
  std::vector<CreatedDepartment> created;
  std::vector<NewMember> pending;
  std::vector<std::size_t> pending_rows;
  auto flush = [&]() -> core::Status {
    if (pending.empty()) return core::Ok();
    auto results = members_.CreateManyIn(u, actor, org_id, pending);
    for (std::size_t k = 0; k < results.size(); ++k) {
      if (Fatal(results[k])) return results[k];
      RowOutcome& o = outcomes[pending_rows[k]];
      if (results[k]) {
        o.action = "create";
      } else {
        auto made = std::move(o.departments_created);
        o = Failed(results[k].error());
        o.departments_created = std::move(made);
      }
    }
    pending.clear();
    pending_rows.clear();
    return core::Ok();
  };

  for (std::size_t i = from; i < to; ++i) {
    const std::size_t k = i - from;
    const import::ImportRow& row = file.rows[i];
    const std::string& userid = Cell(row, Column::kAccount);
    if (first_line[i] != 0) {
      outcomes[k] =
          RowOutcome{"error",
                     "userid_repeated",
                     "userid " + userid + " repeats line " + std::to_string(first_line[i]),
                     {}};
      continue;
    }
    if (auto checked = CheckUserid(userid); !checked) {
      outcomes[k] = Failed(checked.error());
      continue;
    }
    const bool creating = !exists.count(UseridKey(userid));
    if (outside.count(UseridKey(userid)) != 0) {
      outcomes[k] = Outside("member " + userid + " is outside your scope");
      continue;
    }
    MemberFields fields;
    auto set = [&](Column c, std::optional<std::string>& field) {
      if (file.present[static_cast<std::size_t>(c)] && !Cell(row, c).empty()) field = Cell(row, c);
    };
    set(Column::kName, fields.name);
    set(Column::kMobile, fields.mobile);
    set(Column::kEmail, fields.email);
    set(Column::kImId, fields.external_id);
    if (!Cell(row, Column::kPositions).empty())
      fields.position = import::NormalisePositions(Cell(row, Column::kPositions));

    auto paths = import::SplitPaths(Cell(row, Column::kDepartments));
    if (!paths) {
      outcomes[k] = Failed(paths.error());
      continue;
    }
    // The fields' formats first, so a row that cannot succeed creates no department.
    {
      Member scratch;
      MemberFields probe = fields;
      if (creating) probe.departments = std::vector<std::int64_t>{kRootDepartmentId};
      if (auto checked = ApplyFields(probe, creating, scratch); !checked) {
        outcomes[k] = Failed(checked.error());
        continue;
      }
    }
    if (limit && creating && paths->empty()) {
      outcomes[k] = Outside("a new member needs a department of your scope");
      continue;
    }
    // With a scope, each path must end inside it and create departments only there.
    std::string out_of_scope;
    auto inside = [&](std::int64_t id, const std::string& path) {
      if (!limit || limit->HasDepartment(id)) return true;
      out_of_scope =
          "department " + (path.empty() ? index.RootName() : path) + " is outside your scope";
      return false;
    };
    // Departments by path, created when missing.
    std::vector<std::int64_t> ids;
    core::Status resolved = core::Ok();
    for (const auto& segments : *paths) {
      std::int64_t at = kRootDepartmentId;
      std::size_t s = 0;
      if (segments[0] == index.RootName()) s = 1;  // a path may start with the root's name
      std::string path;
      for (; s < segments.size(); ++s) {
        const std::string parent_path = path;
        path += (path.empty() ? "" : "/") + segments[s];
        if (auto child = index.Child(at, segments[s])) {
          at = *child;
          continue;
        }
        if (!inside(at, parent_path)) break;
        NewDepartment input;
        input.name = segments[s];
        input.parent_id = at;
        auto id = departments_.CreateIn(u, actor, org_id, input);
        if (!id) {
          resolved = std::move(id).error();
          break;
        }
        index.Add(*id, at, segments[s]);
        if (limit) limit->departments.insert(*id);  // made inside the scope
        created.push_back(CreatedDepartment{*id, at, segments[s], path, k});
        outcomes[k].departments_created.push_back(path);
        at = *id;
      }
      if (!resolved || !out_of_scope.empty() || !inside(at, path)) break;
      if (std::find(ids.begin(), ids.end(), at) == ids.end()) ids.push_back(at);
    }
    if (!out_of_scope.empty()) {
      auto made = std::move(outcomes[k].departments_created);
      outcomes[k] = Outside(std::move(out_of_scope));
      outcomes[k].departments_created = std::move(made);
      continue;
    }
    if (!resolved) {
      if (Fatal(resolved)) return std::move(resolved).error();
      outcomes[k] = RowOutcome{"error", std::string(resolved.error().Code()),
                               resolved.error().message, outcomes[k].departments_created};
      continue;
    }
    if (!ids.empty()) {
      fields.departments = ids;
      fields.main_department = ids.front();
    }
    row_departments[k] = ids;
    if (creating) {
      if (!fields.departments) fields.departments = std::vector<std::int64_t>{kRootDepartmentId};
      pending.push_back(NewMember{userid, std::move(fields)});
      pending_rows.push_back(k);
      continue;
    }
    CORPHUB_TRY(flush());
    core::Status applied =
        members_.UpdateIn(u, actor, org_id, MemberChange{userid, std::nullopt, std::move(fields)});
    if (Fatal(applied)) return std::move(applied).error();
    if (applied) {
      outcomes[k].action = "update";
    } else {
      auto made = std::move(outcomes[k].departments_created);
      outcomes[k] = Failed(applied.error());
      outcomes[k].departments_created = std::move(made);
    }
  }
  CORPHUB_TRY(flush());

  // Departments created here that no applied row uses (nor any used department below them)
  // go again, deepest first.
  if (!created.empty()) {
    std::unordered_set<std::int64_t> used;
    for (std::size_t k = 0; k < outcomes.size(); ++k) {
      if (outcomes[k].action == "error") continue;
      for (std::int64_t id : row_departments[k]) {
        for (std::int64_t at = id; at != 0 && used.insert(at).second;) at = index.ParentOf(at);
      }
    }
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
      if (used.count(it->id)) continue;
      CORPHUB_TRY(departments_.DeleteIn(u, actor, org_id, it->id));
      index.Remove(it->id, it->parent, it->name);
      auto& listed = outcomes[it->row].departments_created;
      listed.erase(std::remove(listed.begin(), listed.end(), it->path), listed.end());
    }
  }

  std::vector<std::string> out;
  out.reserve(outcomes.size());
  for (std::size_t k = 0; k < outcomes.size(); ++k)
    out.push_back(RowJson(file.rows[from + k], outcomes[k]));
  return out;
}

core::Result<ImportReport> ImportService::Preview(const core::Actor& actor, std::int64_t org_id,
                                                  std::string_view bytes,
                                                  const std::optional<ImportScope>& scope) {
  auto file = import::ReadImportFile(bytes);
  if (!file) return std::move(file).error();
  const auto first_line = FirstLines(*file);
  std::vector<std::string> rows;
  bool complete = false;
  // Everything in one transaction, rolled back at the end: what the real run would do.
  auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
    complete = false;
    rows.clear();
    CORPHUB_TRY(u.Departments().LockTree(org_id));
    for (std::size_t from = 0; from < file->rows.size(); from += kChunkRows) {
      const std::size_t to = std::min(file->rows.size(), from + kChunkRows);
      auto chunk = ApplyRows(u, actor, org_id, *file, first_line, from, to, scope);
      if (!chunk) return std::move(chunk).error();
      for (auto& r : *chunk) rows.push_back(std::move(r));
    }
    complete = true;
    return MakeError(ErrorKind::kConflict, "dry run: rolled back");
  });
  if (!complete) return std::move(status).error();
  return Summarise(std::move(rows));
}

core::Result<SubmittedImport> ImportService::Submit(const core::Actor& actor, std::int64_t org_id,
                                                    std::string_view filename,
                                                    const std::string& bytes,
                                                    const std::optional<ImportScope>& scope) {
  auto file = import::ReadImportFile(bytes);
  if (!file) return std::move(file).error();
  auto media_id = write_media_(org_id, filename, bytes);
  if (!media_id) return std::move(media_id).error();
  jobs::Job job;
  job.org_id = org_id;
  job.jobid = ids_.Token(kJobidChars);
  job.type = std::string(kConsoleImport);
  job.ref = *media_id;
  job.total = static_cast<std::int64_t>(file->rows.size());
  // The rows are applied on the submitter's behalf: their records name the administrator.
  core::JsonObjectWriter input;
  input.Str("actor", actor.principal).Str("address", actor.address);
  if (scope) input.Str("scope", EncodeImportScope(*scope));
  job.input_json = input.Done();
  job.created_at = job.updated_at = clock_.Now();
  if (auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
        CORPHUB_TRY(u.Jobs().Insert(job));
        return Record(u, actor, org_id, job.created_at,
                      {"", "", "directory.import", job.jobid,
                       core::JsonObjectWriter()
                           .Str("file", filename)
                           .Str("media_id", job.ref)
                           .Int("rows", job.total)
                           .Done()});
      });
      !status)
    return std::move(status).error();
  return SubmittedImport{job.jobid, job.total};
}

core::Status ImportService::Run(const jobs::Job& start) {
  auto bytes = read_media_(start.org_id, start.ref);
  if (!bytes) return std::move(bytes).error();
  auto file = import::ReadImportFile(*bytes);
  if (!file) return std::move(file).error();
  const auto first_line = FirstLines(*file);
  const core::Actor actor{JsonText(start.input_json, "actor").value_or("import:" + start.jobid),
                          JsonText(start.input_json, "address").value_or("")};
  // A job submitted with a scope keeps to it (a scope that cannot be read imports nothing).
  std::optional<ImportScope> scope;
  if (auto text = JsonText(start.input_json, "scope")) {
    scope = DecodeImportScope(*text);
    if (!scope) scope = ImportScope{};
  }
  const auto total = static_cast<std::int64_t>(file->rows.size());
  return jobs::RunInChunks(start, total, static_cast<std::int64_t>(kChunkRows), stopping_,
                           [&](std::int64_t from, std::int64_t to, bool last) {
                             return store_.Write([&](DirectoryUnit& u) -> core::Status {
                               CORPHUB_TRY(u.Departments().LockTree(start.org_id));
                               auto results = ApplyRows(u, actor, start.org_id, *file, first_line,
                                                        static_cast<std::size_t>(from),
                                                        static_cast<std::size_t>(to), scope);
                               if (!results) return std::move(results).error();
                               CORPHUB_TRY(u.Jobs().AppendResults(start.id, from, *results));
                               return jobs::Checkpoint(u.Jobs(), start, to, last, clock_.Now());
                             });
                           });
}

core::Result<ImportStatus> ImportService::Status(std::int64_t org_id, std::string_view jobid) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<ImportStatus> {
    auto job = u.Jobs().FindByJobid(org_id, jobid);
    if (!job) return std::move(job).error();
    if (!*job || (*job)->type != kConsoleImport)
      return MakeError(ErrorKind::kInvalidJobId, "no import " + std::string(jobid));
    ImportStatus out{JsonText((*job)->input_json, "actor").value_or(""), std::move(**job),
                     std::nullopt};
    if (out.job.status == jobs::JobStatus::kFinished && out.job.errcode == 0) {
      auto results = u.Jobs().Results(out.job.id);
      if (!results) return std::move(results).error();
      out.report = Summarise(std::move(*results));
    }
    return out;
  });
}

}  // namespace corphub::directory
