#include "storage/job_sql.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace corphub::storage {
namespace {

using jobs::Job;

constexpr std::string_view kColumns =
    "SELECT id, org_id, jobid, type, status, ref, input, total, done, errcode, errmsg, attempts, "
    "lease_until, created_at, updated_at, finished_at FROM jobs WHERE ";

Job JobFrom(const Row& row) {
  Job j;
  j.id = row.GetInt64(0);
  j.org_id = row.GetInt64(1);
  j.jobid = row.GetString(2);
  j.type = row.GetString(3);
  j.status = static_cast<jobs::JobStatus>(row.GetInt64(4));
  j.ref = row.GetString(5);
  j.input_json = row.GetString(6);
  j.total = row.GetInt64(7);
  j.done = row.GetInt64(8);
  j.errcode = static_cast<int>(row.GetInt64(9));
  j.errmsg = row.GetString(10);
  j.attempts = static_cast<int>(row.GetInt64(11));
  j.lease_until = core::FromUnixSeconds(row.GetInt64(12));
  j.created_at = core::FromUnixSeconds(row.GetInt64(13));
  j.updated_at = core::FromUnixSeconds(row.GetInt64(14));
  if (auto f = row.GetOptionalInt64(15)) j.finished_at = core::FromUnixSeconds(*f);
  return j;
}

Value FinishedAt(const Job& j) {
  if (!j.finished_at) return nullptr;
  return core::UnixSeconds(*j.finished_at);
}

}  // namespace

core::Status JobSql::Insert(Job& j) {
  auto rows = sql_.Query(
      "INSERT INTO jobs (org_id, jobid, type, status, ref, input, total, done, errcode, errmsg, "
      "attempts, lease_until, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {j.org_id, j.jobid, j.type, static_cast<std::int64_t>(j.status), j.ref, j.input_json, j.total,
       j.done, std::int64_t{j.errcode}, j.errmsg, std::int64_t{j.attempts},
       core::UnixSeconds(j.lease_until), core::UnixSeconds(j.created_at),
       core::UnixSeconds(j.updated_at), FinishedAt(j)});
  if (!rows.ok()) return std::move(rows).error();
  j.id = rows->front().GetInt64(0);
  return core::Ok();
}

core::Status JobSql::Update(const Job& j) {
  auto changed = sql_.Exec(
      "UPDATE jobs SET status = ?, total = ?, done = ?, errcode = ?, errmsg = ?, attempts = ?, "
      "lease_until = ?, updated_at = ?, finished_at = ? WHERE id = ?",
      {static_cast<std::int64_t>(j.status), j.total, j.done, std::int64_t{j.errcode}, j.errmsg,
       std::int64_t{j.attempts}, core::UnixSeconds(j.lease_until), core::UnixSeconds(j.updated_at),
       FinishedAt(j), j.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) {
    return core::MakeError(core::ErrorKind::kNotFound, "job " + j.jobid + " not found");
  }
  return core::Ok();
}

core::Result<std::optional<Job>> JobSql::SelectOne(std::string_view where, const Params& params) {
  auto rows = sql_.Query(std::string(kColumns) + std::string(where), params);
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<Job>();
  return std::optional<Job>(JobFrom(rows->front()));
}

core::Result<std::optional<Job>> JobSql::FindByJobid(std::int64_t org_id, std::string_view jobid) {
  return SelectOne("org_id = ? AND jobid = ?", {org_id, std::string(jobid)});
}

core::Result<std::optional<Job>> JobSql::NextRunnable(core::TimePoint now) {
  return SelectOne("status = 1 OR (status = 2 AND lease_until <= ?) ORDER BY id LIMIT 1",
                   {core::UnixSeconds(now)});
}

core::Status JobSql::AppendResult(std::int64_t job_id, std::int64_t seq,
                                  const std::string& detail_json) {
  auto done = sql_.Exec("INSERT INTO job_results (job_id, seq, detail) VALUES (?, ?, ?)",
                        {job_id, seq, detail_json});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Status JobSql::AppendResults(std::int64_t job_id, std::int64_t first_seq,
                                   const std::vector<std::string>& details_json) {
  return InsertRows(sql_, "INSERT INTO job_results (job_id, seq, detail) VALUES ", 3,
                    details_json.size(), 1000, [&](std::size_t i, Params& p) {
                      p.emplace_back(std::in_place_type<std::int64_t>, job_id);
                      p.emplace_back(std::in_place_type<std::int64_t>,
                                     first_seq + static_cast<std::int64_t>(i));
                      p.emplace_back(std::in_place_type<std::string>, details_json[i]);
                    });
}

core::Result<std::vector<std::string>> JobSql::Results(std::int64_t job_id) {
  auto rows = sql_.Query("SELECT detail FROM job_results WHERE job_id = ? ORDER BY seq", {job_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::string> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(row.GetString(0));
  return out;
}

core::Status MediaSql::Insert(const media::MediaInfo& m) {
  auto done = sql_.Exec(
      "INSERT INTO media (media_id, org_id, type, filename, content_type, size, sha256, "
      "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.media_id, m.org_id, m.type, m.filename, m.content_type, m.size, m.sha256,
       core::UnixSeconds(m.created_at), core::UnixSeconds(m.expires_at)});
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

core::Result<std::optional<media::MediaInfo>> MediaSql::Find(std::int64_t org_id,
                                                             std::string_view media_id) {
  auto rows = sql_.Query(
      "SELECT media_id, org_id, type, filename, content_type, size, sha256, created_at, "
      "expires_at FROM media WHERE org_id = ? AND media_id = ?",
      {org_id, std::string(media_id)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<media::MediaInfo>();
  const Row& r = rows->front();
  media::MediaInfo m{r.GetInt64(1),
                     r.GetString(0),
                     r.GetString(2),
                     r.GetString(3),
                     r.GetString(4),
                     r.GetInt64(5),
                     r.GetString(6),
                     core::FromUnixSeconds(r.GetInt64(7)),
                     core::FromUnixSeconds(r.GetInt64(8))};
  return std::optional<media::MediaInfo>(std::move(m));
}

core::Result<std::vector<std::string>> MediaSql::Purgeable(core::TimePoint now,
                                                           std::int64_t limit) {
  auto rows = sql_.Query(
      "SELECT m.media_id FROM media m WHERE m.expires_at <= ? "
      "AND NOT EXISTS (SELECT 1 FROM message_media mm WHERE mm.media_id = m.media_id) "
      "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.ref = m.media_id AND j.status <> 3) "
      "ORDER BY m.expires_at LIMIT ?",
      {core::UnixSeconds(now), limit});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::string> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(row.GetString(0));
  return out;
}

core::Status MediaSql::Delete(const std::vector<std::string>& media_ids) {
  if (media_ids.empty()) return core::Ok();
  Params p;
  for (const auto& id : media_ids) p.emplace_back(id);
  auto done =
      sql_.Exec("DELETE FROM media WHERE media_id IN (" + Placeholders(media_ids.size()) + ")", p);
  if (!done.ok()) return std::move(done).error();
  return core::Ok();
}

}  // namespace corphub::storage
