#include "directory/batch_service.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"
#include "core/json_writer.hpp"
#include "directory/batch_files.hpp"
#include "directory/change_record.hpp"

namespace corphub::directory {
namespace {

using batch::Col;
using batch::Trim;
using core::ErrorKind;
using core::MakeError;

constexpr std::size_t kJobidChars = 32;
constexpr int kDuplicateUserid = 302003;  // WeCom's batch code for a userid twice in a file

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
    auto rows = batch::ReadPartyFile(*bytes);
    if (!rows) return std::move(rows).error();
    total = static_cast<std::int64_t>(rows->size());
  } else {
    auto file = batch::ReadUserFile(*bytes);
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
  auto file = batch::ReadUserFile(bytes);
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
  return jobs::RunInChunks(
      start, total, static_cast<std::int64_t>(kChunkRows), stopping_,
      [&](std::int64_t from, std::int64_t to, bool last) {
        return store_.Write([&](DirectoryUnit& u) -> core::Status {
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
            auto input = batch::UserRow(*file, row, replace, *departments);
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
          return jobs::Checkpoint(u.Jobs(), start, to, last, clock_.Now());
        });
      });
}

}  // namespace corphub::directory
