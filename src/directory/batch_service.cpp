#include "directory/batch_service.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"
#include "core/json_writer.hpp"
#include "directory/change_record.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

constexpr std::size_t kJobidChars = 32;
constexpr int kDuplicateUserid = 302003;  // WeCom's batch code for a userid twice in a file
constexpr int kDuplicatePartyid = 302006;

// The user template's columns (WeCom's Chinese headers, and the API's field names).
enum class Col {
  kName,
  kUserid,
  kMobile,
  kEmail,
  kDepartment,
  kPosition,
  kGender,
  kLeader,
  kOrder,
  kAlias,
  kAddress,
  kTelephone,
  kDisabled,
  kBizMail,
  kDirectLeader,
  kExternalPosition,
  kExternalId,
};

const std::map<std::string, Col, std::less<>>& UserHeaders() {
  static const std::map<std::string, Col, std::less<>> headers = {
      {"姓名", Col::kName},
      {"name", Col::kName},
      {"帐号", Col::kUserid},
      {"账号", Col::kUserid},
      {"userid", Col::kUserid},
      {"手机号", Col::kMobile},
      {"手机", Col::kMobile},
      {"mobile", Col::kMobile},
      {"邮箱", Col::kEmail},
      {"个人邮箱", Col::kEmail},
      {"email", Col::kEmail},
      {"所在部门", Col::kDepartment},
      {"部门", Col::kDepartment},
      {"department", Col::kDepartment},
      {"职位", Col::kPosition},
      {"职务", Col::kPosition},
      {"position", Col::kPosition},
      {"性别", Col::kGender},
      {"gender", Col::kGender},
      {"是否部门内领导", Col::kLeader},
      {"is_leader_in_dept", Col::kLeader},
      {"排序", Col::kOrder},
      {"order", Col::kOrder},
      {"别名", Col::kAlias},
      {"alias", Col::kAlias},
      {"地址", Col::kAddress},
      {"address", Col::kAddress},
      {"座机", Col::kTelephone},
      {"telephone", Col::kTelephone},
      {"禁用", Col::kDisabled},
      {"企业邮箱", Col::kBizMail},
      {"biz_mail", Col::kBizMail},
      {"直属上级", Col::kDirectLeader},
      {"direct_leader", Col::kDirectLeader},
      {"对外职务", Col::kExternalPosition},
      {"external_position", Col::kExternalPosition},
      {"IM账号", Col::kExternalId},
      {"im_id", Col::kExternalId},
      {"external_id", Col::kExternalId},
  };
  return headers;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Header text up to the first '(' or '（' or ':' ("禁用项说明：(0-启用;1-禁用)" and the like).
std::string HeaderKey(std::string_view h) {
  std::string s = Trim(h);
  for (std::string_view stop : {"(", "（", "：", ":"}) {
    if (auto at = s.find(stop); at != std::string::npos && at > 0) s = Trim(s.substr(0, at));
  }
  return s;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    std::string part =
        Trim(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (!part.empty()) out.push_back(std::move(part));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::optional<std::int64_t> ToInt(std::string_view s) {
  std::string t = Trim(s);
  if (t.empty() || t.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

core::Error RowError(std::string message) {
  return MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

struct UserFile {
  std::map<Col, std::size_t> columns;
  std::vector<core::CsvRow> rows;  // data rows, without the header
};

struct PartyRow {
  std::size_t line = 0;
  std::string name;
  std::optional<std::int64_t> id;
  std::optional<std::int64_t> parent;
  std::int64_t order = 0;
};

core::Result<std::vector<core::CsvRow>> ReadCsv(const std::string& bytes) {
  auto text = core::DecodeText(bytes);
  if (!text) return MakeError(ErrorKind::kBatchFileInvalid, text.error().message);
  auto rows = core::ParseCsv(text->utf8);
  if (!rows) return MakeError(ErrorKind::kBatchFileInvalid, rows.error().message);
  if (rows->empty()) return MakeError(ErrorKind::kBatchFileInvalid, "the file is empty");
  return std::move(*rows);
}

core::Result<UserFile> ReadUserFile(const std::string& bytes) {
  auto rows = ReadCsv(bytes);
  if (!rows) return std::move(rows).error();
  UserFile file;
  const auto& header = rows->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto it = UserHeaders().find(HeaderKey(header[i]));
    if (it != UserHeaders().end() && !file.columns.count(it->second)) file.columns[it->second] = i;
  }
  if (!file.columns.count(Col::kUserid) || !file.columns.count(Col::kName)) {
    return MakeError(ErrorKind::kBatchFileInvalid,
                     "the first line must name the columns, with at least 姓名 (name) and 帐号 "
                     "(userid), as in WeCom's template");
  }
  file.rows.assign(std::make_move_iterator(rows->begin() + 1),
                   std::make_move_iterator(rows->end()));
  return file;
}

core::Result<std::vector<PartyRow>> ReadPartyFile(const std::string& bytes) {
  auto rows = ReadCsv(bytes);
  if (!rows) return std::move(rows).error();
  std::optional<std::size_t> name, id, parent, order;
  const auto& header = rows->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = HeaderKey(header[i]);
    if (h == "部门名称" || h == "name") name = i;
    if (h == "部门ID" || h == "id") id = i;
    if (h == "父部门ID" || h == "parentid") parent = i;
    if (h == "排序" || h == "order") order = i;
  }
  if (!name || !id || !parent) {
    return MakeError(ErrorKind::kBatchFileInvalid,
                     "the first line must name the columns 部门名称,部门ID,父部门ID[,排序], as in "
                     "WeCom's template");
  }
  std::vector<PartyRow> out;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& f = (*rows)[r].fields;
    auto cell = [&](std::optional<std::size_t> c) {
      return c && *c < f.size() ? Trim(f[*c]) : std::string();
    };
    PartyRow p;
    p.line = (*rows)[r].line;
    p.name = cell(name);
    p.id = ToInt(cell(id));
    p.parent = ToInt(cell(parent));
    p.order = ToInt(cell(order)).value_or(0);
    out.push_back(std::move(p));
  }
  return out;
}

// The departments of a cell: ids ("2;3") or paths from the root ("研发部/后端组;市场部"), the
// root's own name allowed as the first step.
core::Result<std::vector<std::int64_t>> ResolveDepartments(const std::string& cell,
                                                           const std::vector<Department>& all) {
  std::vector<std::int64_t> out;
  for (const std::string& item : Split(cell, ';')) {
    if (auto id = ToInt(item)) {
      out.push_back(*id);
      continue;
    }
    std::int64_t at = kRootDepartmentId;
    std::vector<std::string> steps = Split(item, '/');
    const Department* root = nullptr;
    for (const auto& d : all) {
      if (d.id == kRootDepartmentId) root = &d;
    }
    std::size_t first = root != nullptr && !steps.empty() && steps.front() == root->name ? 1 : 0;
    for (std::size_t i = first; i < steps.size(); ++i) {
      const Department* next = nullptr;
      for (const auto& d : all) {
        if (d.parent_id == at && d.name == steps[i]) next = &d;
      }
      if (next == nullptr) {
        return MakeError(ErrorKind::kDepartmentNotFound, "department " + item + " not found");
      }
      at = next->id;
    }
    out.push_back(at);
  }
  return out;
}

// One user row as the fields it sets. Sync leaves empty cells alone; replace clears them.
core::Result<NewMember> UserRow(const UserFile& file, const core::CsvRow& row, bool replace,
                                const std::vector<Department>& departments) {
  auto cell = [&](Col c) -> std::optional<std::string> {
    auto it = file.columns.find(c);
    if (it == file.columns.end()) return std::nullopt;
    std::string v = it->second < row.fields.size() ? Trim(row.fields[it->second]) : "";
    if (v.empty() && !replace) return std::nullopt;
    return v;
  };
  NewMember m;
  m.userid = cell(Col::kUserid).value_or("");
  MemberFields& f = m.fields;
  f.name = cell(Col::kName);
  f.mobile = cell(Col::kMobile);
  f.email = cell(Col::kEmail);
  f.biz_mail = cell(Col::kBizMail);
  f.position = cell(Col::kPosition);
  f.alias = cell(Col::kAlias);
  f.address = cell(Col::kAddress);
  f.telephone = cell(Col::kTelephone);
  f.external_position = cell(Col::kExternalPosition);
  f.external_id = cell(Col::kExternalId);
  if (auto g = cell(Col::kGender); g && !g->empty()) {
    if (*g == "男" || *g == "1")
      f.gender = 1;
    else if (*g == "女" || *g == "2")
      f.gender = 2;
    else if (*g == "未知" || *g == "0")
      f.gender = 0;
    else
      return RowError("性别 (gender) must be 男, 女, 1 or 2, not " + *g);
  }
  if (auto d = cell(Col::kDepartment); d && !d->empty()) {
    auto ids = ResolveDepartments(*d, departments);
    if (!ids) return std::move(ids).error();
    f.departments = std::move(*ids);
  }
  if (auto o = cell(Col::kOrder); o && !o->empty()) {
    std::vector<std::int64_t> orders;
    for (const auto& part : Split(*o, ';')) {
      auto n = ToInt(part);
      if (!n) return RowError("排序 (order) must be numbers separated by ;, not " + *o);
      orders.push_back(*n);
    }
    f.orders = std::move(orders);
  }
  if (auto l = cell(Col::kLeader); l && !l->empty()) {
    std::vector<std::int64_t> flags;
    for (const auto& part : Split(*l, ';')) {
      if (part == "1" || part == "是")
        flags.push_back(1);
      else if (part == "0" || part == "否")
        flags.push_back(0);
      else
        return RowError("是否部门内领导 must be 1/0 (是/否) per department, not " + *l);
    }
    f.leader_flags = std::move(flags);
  }
  if (auto d = cell(Col::kDisabled); d && !d->empty()) {
    if (*d == "1" || *d == "是" || *d == "禁用")
      f.enable = 0;
    else if (*d == "0" || *d == "否" || *d == "启用")
      f.enable = 1;
    else
      return RowError("禁用 must be 0 (启用) or 1 (禁用), not " + *d);
  }
  if (auto l = cell(Col::kDirectLeader); l) f.direct_leaders = Split(*l, ';');
  // An order or leader list without departments applies to the member's present ones; with
  // departments, both must match them (MemberService checks).
  return m;
}

std::string UserResult(const std::string& userid, int errcode, const std::string& errmsg) {
  return core::JsonObjectWriter()
      .Str("userid", userid)
      .Int("errcode", errcode)
      .Str("errmsg", errmsg)
      .Done();
}

}  // namespace

core::Result<std::string> BatchService::Submit(const core::Actor& actor, std::int64_t org_id,
                                               std::string_view type, std::string_view media_id,
                                               std::string input_json) {
  if (media_id.empty()) return MakeError(ErrorKind::kMissingMediaId, "media_id missing");
  auto bytes = read_media_(org_id, media_id);
  if (!bytes) return std::move(bytes).error();
  std::int64_t total = 0;
  if (type == kReplaceParty) {
    auto rows = ReadPartyFile(*bytes);
    if (!rows) return std::move(rows).error();
    total = static_cast<std::int64_t>(rows->size());
  } else {
    auto file = ReadUserFile(*bytes);
    if (!file) return std::move(file).error();
    total = static_cast<std::int64_t>(file->rows.size());
  }
  jobs::Job job;
  job.org_id = org_id;
  job.jobid = ids_.Token(kJobidChars);
  job.type = std::string(type);
  job.ref = std::string(media_id);
  job.input_json = std::move(input_json);
  job.total = total;
  job.created_at = job.updated_at = clock_.Now();
  if (auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
        CORPHUB_TRY(u.Jobs().Insert(job));
        return Record(u, actor, org_id, job.created_at,
                      {"", "", "batch.submit", job.jobid,
                       core::JsonObjectWriter()
                           .Str("type", job.type)
                           .Str("media_id", job.ref)
                           .Int("rows", total)
                           .Done()});
      });
      !status)
    return std::move(status).error();
  return job.jobid;
}

core::Result<BatchResult> BatchService::Result(std::int64_t org_id, std::string_view jobid) {
  return core::ReadValue(store_, [&](DirectoryUnit& u) -> core::Result<BatchResult> {
    auto job = u.Jobs().FindByJobid(org_id, jobid);
    if (!job) return std::move(job).error();
    if (!*job)
      return MakeError(ErrorKind::kInvalidJobId, "jobid " + std::string(jobid) + " not found");
    BatchResult out{std::move(**job), {}};
    if (out.job.status == jobs::JobStatus::kFinished) {
      auto results = u.Jobs().Results(out.job.id);
      if (!results) return std::move(results).error();
      out.results_json = std::move(*results);
    }
    return out;
  });
}

core::Status BatchService::Run(const jobs::Job& job) {
  auto bytes = read_media_(job.org_id, job.ref);
  if (!bytes) return std::move(bytes).error();
  if (job.type == kReplaceParty) return RunParties(job, *bytes);
  return RunUsers(job, *bytes, job.type == kReplaceUser);
}

core::Status BatchService::RunUsers(const jobs::Job& start, const std::string& bytes,
                                    bool replace) {
  auto file = ReadUserFile(bytes);
  if (!file) return std::move(file).error();
  const core::Actor actor{"batch:" + start.jobid, ""};
  const auto total = static_cast<std::int64_t>(file->rows.size());

  if (replace && start.done == 0) {
    // The guard comes before any change: count who the file would delete.
    std::unordered_set<std::string> listed;
    auto col = file->columns.at(Col::kUserid);
    for (const auto& row : file->rows) {
      if (col < row.fields.size()) listed.insert(UseridKey(Trim(row.fields[col])));
    }
    std::int64_t existing = 0, leaving = 0;
    if (auto status = store_.Read([&](DirectoryUnit& u) -> core::Status {
          auto count = u.Members().Count(start.org_id);
          if (!count) return std::move(count).error();
          existing = *count;
          auto page = u.Members().DepartmentPage(start.org_id, 0, -1, existing * 100 + 1);
          if (!page) return std::move(page).error();
          std::unordered_set<std::string> seen;
          for (const auto& e : *page) {
            const std::string key = UseridKey(e.userid);
            if (seen.insert(key).second && !listed.count(key)) ++leaving;
          }
          return core::Ok();
        });
        !status)
      return status;
    if (leaving > kMassDeletionFloor && leaving * 100 > existing * kMassDeletionPercent) {
      return MakeError(ErrorKind::kMassDeletion,
                       "the file would delete " + std::to_string(leaving) + " of " +
                           std::to_string(existing) + " members; replaceuser deletes at most " +
                           std::to_string(kMassDeletionPercent) + "% at once");
    }
  }

  // Which rows repeat an earlier row's userid (the first one counts), decided once for the
  // whole file so that a resumed job decides the same.
  const auto col = file->columns.at(Col::kUserid);
  std::vector<bool> repeated(file->rows.size(), false);
  {
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < file->rows.size(); ++i) {
      const auto& f = file->rows[i].fields;
      const std::string key = col < f.size() ? UseridKey(Trim(f[col])) : "";
      if (!key.empty() && !seen.insert(key).second) repeated[i] = true;
    }
  }

  // Rows in chunks: each chunk, its results and the checkpoint commit together.
  for (std::int64_t from = start.done;;) {
    const std::int64_t to =
        std::min<std::int64_t>(total, from + static_cast<std::int64_t>(kChunkRows));
    const bool last = to == total;
    if (auto status = store_.Write([&](DirectoryUnit& u) -> core::Status {
          CORPHUB_TRY(u.Departments().LockTree(start.org_id));
          auto departments = u.Departments().ListAll(start.org_id);
          if (!departments) return std::move(departments).error();
          // Who exists already, for the whole chunk at once.
          std::vector<std::string> chunk_userids;
          for (std::int64_t i = from; i < to; ++i) {
            const auto& f = file->rows[static_cast<std::size_t>(i)].fields;
            if (col < f.size()) chunk_userids.push_back(Trim(f[col]));
          }
          auto existing = u.Members().FindManyBy(start.org_id, MemberKey::kUserid, chunk_userids);
          if (!existing) return std::move(existing).error();
          std::unordered_set<std::string> exists;
          for (const Member& m : *existing) exists.insert(UseridKey(m.userid));

          std::vector<std::string> results(static_cast<std::size_t>(to - from));
          auto result_of = [&](std::int64_t i, const std::string& userid,
                               const core::Status& applied) {
            const core::CsvRow& row = file->rows[static_cast<std::size_t>(i)];
            results[static_cast<std::size_t>(i - from)] =
                applied ? UserResult(userid, 0, "ok")
                        : UserResult(
                              userid, applied.error().WecomCode(),
                              "line " + std::to_string(row.line) + ": " + applied.error().message);
          };
          // A failed statement aborts the transaction: that is not a row's error, retry all.
          auto fatal = [](const core::Status& s) {
            return !s && (s.error().kind == ErrorKind::kUnavailable ||
                          s.error().kind == ErrorKind::kInternal);
          };
          // New members wait here and go in together, before the next update (which may
          // depend on them) and at the end of the chunk.
          std::vector<NewMember> pending;
          std::vector<std::int64_t> pending_rows;
          auto flush = [&]() -> core::Status {
            if (pending.empty()) return core::Ok();
            auto outcomes = members_.CreateManyIn(u, actor, start.org_id, pending);
            for (std::size_t k = 0; k < outcomes.size(); ++k) {
              if (fatal(outcomes[k])) return outcomes[k];
              result_of(pending_rows[k], pending[k].userid, outcomes[k]);
            }
            pending.clear();
            pending_rows.clear();
            return core::Ok();
          };
          for (std::int64_t i = from; i < to; ++i) {
            const core::CsvRow& row = file->rows[static_cast<std::size_t>(i)];
            std::string userid = col < row.fields.size() ? Trim(row.fields[col]) : "";
            if (repeated[static_cast<std::size_t>(i)]) {
              results[static_cast<std::size_t>(i - from)] = UserResult(
                  userid, kDuplicateUserid,
                  "line " + std::to_string(row.line) + ": userid repeats an earlier row");
              continue;
            }
            auto input = UserRow(*file, row, replace, *departments);
            if (!input) {
              result_of(i, userid, std::move(input).error());
              continue;
            }
            if (!exists.count(UseridKey(input->userid))) {
              if (!input->fields.departments) {
                input->fields.departments = std::vector<std::int64_t>{kRootDepartmentId};
              }
              pending.push_back(std::move(*input));
              pending_rows.push_back(i);
              continue;
            }
            CORPHUB_TRY(flush());
            core::Status applied = members_.UpdateIn(
                u, actor, start.org_id, MemberChange{input->userid, std::nullopt, input->fields});
            if (fatal(applied)) return applied;
            result_of(i, userid, applied);
          }
          CORPHUB_TRY(flush());
          CORPHUB_TRY(u.Jobs().AppendResults(start.id, from, results));
          if (last && replace) {
            // Members the file leaves out go, in the same transaction as the last rows.
            std::unordered_set<std::string> listed;
            for (const auto& r : file->rows) {
              if (col < r.fields.size()) listed.insert(UseridKey(Trim(r.fields[col])));
            }
            auto page = u.Members().DepartmentPage(start.org_id, 0, -1, 1 << 30);
            if (!page) return std::move(page).error();
            std::set<std::string> gone;
            for (const auto& e : *page) {
              if (!listed.count(UseridKey(e.userid))) gone.insert(e.userid);
            }
            for (const auto& userid : gone)
              CORPHUB_TRY(members_.DeleteIn(u, actor, start.org_id, userid));
          }
          auto job = u.Jobs().FindByJobid(start.org_id, start.jobid);
          if (!job) return std::move(job).error();
          if (!*job) return MakeError(ErrorKind::kInternal, "job " + start.jobid + " vanished");
          jobs::Job j = std::move(**job);
          j.done = to;
          j.updated_at = clock_.Now();
          j.lease_until = j.updated_at + std::chrono::seconds(120);
          if (last) {
            j.status = jobs::JobStatus::kFinished;
            j.finished_at = j.updated_at;
          }
          return u.Jobs().Update(j);
        });
        !status)
      return status;
    if (last) break;
    from = to;
  }
  return core::Ok();
}

core::Status BatchService::RunParties(const jobs::Job& start, const std::string& bytes) {
  auto rows = ReadPartyFile(bytes);
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
    std::unordered_map<std::int64_t, const PartyRow*> in_file;
    std::vector<std::string> results(rows->size());
    std::vector<const PartyRow*> valid;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const PartyRow& p = (*rows)[i];
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
    auto depth_of = [&](const PartyRow* p) {
      int depth = 0;
      std::int64_t at = p->parent.value_or(0);
      while (at != 0 && in_file.count(at) && depth < 64) {
        at = in_file[at]->parent.value_or(0);
        ++depth;
      }
      return depth;
    };
    std::stable_sort(valid.begin(), valid.end(), [&](const PartyRow* a, const PartyRow* b) {
      return depth_of(a) < depth_of(b);
    });
    const core::TimePoint now = clock_.Now();
    for (const PartyRow* p : valid) {
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
    auto job = u.Jobs().FindByJobid(start.org_id, start.jobid);
    if (!job) return std::move(job).error();
    if (!*job) return MakeError(ErrorKind::kInternal, "job " + start.jobid + " vanished");
    jobs::Job j = std::move(**job);
    j.done = j.total;
    j.status = jobs::JobStatus::kFinished;
    j.updated_at = j.finished_at.emplace(now);
    return u.Jobs().Update(j);
  });
}

}  // namespace corphub::directory
