#pragma once
// Durable jobs: work that must survive a crash (batch imports now; callback delivery and
// retention later) is a row in the database. A runner claims a job with a lease, the handler
// commits its progress as it goes (with its checkpoint, in the same transaction as the work), and
// a job whose runner died is claimed again once the lease has run out and resumes from there.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace corphub::jobs {

// WeCom's batch/getresult status: 1 waiting, 2 running, 3 finished.
enum class JobStatus : int { kQueued = 1, kRunning = 2, kFinished = 3 };

struct Job {
  std::int64_t id = 0;  // storage's key
  std::int64_t org_id = 0;
  std::string jobid;  // the public id (batch/getresult?jobid=)
  std::string type;   // "sync_user", "replace_user", "replace_party"
  JobStatus status = JobStatus::kQueued;
  std::string ref;                // what the job works on (a media_id)
  std::string input_json = "{}";  // the caller's options (callback, to_invite)
  std::int64_t total = 0;         // units of work, 0 until known
  std::int64_t done = 0;          // units committed: the checkpoint to resume from
  int errcode = 0;                // the job's own outcome once finished (WeCom's errcode)
  std::string errmsg;
  int attempts = 0;
  core::TimePoint lease_until{};
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  std::optional<core::TimePoint> finished_at;

  int Percentage() const {
    if (status == JobStatus::kFinished) return 100;
    if (total <= 0) return 0;
    return static_cast<int>(std::min<std::int64_t>(99, done * 100 / total));
  }
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  // Sets job.id.
  virtual core::Status Insert(Job& job) = 0;
  // Writes status, total, done, errcode, errmsg, attempts, lease_until, updated_at, finished_at.
  virtual core::Status Update(const Job& job) = 0;
  virtual core::Result<std::optional<Job>> FindByJobid(std::int64_t org_id,
                                                       std::string_view jobid) = 0;
  // The oldest job that is queued, or running with its lease run out.
  virtual core::Result<std::optional<Job>> NextRunnable(core::TimePoint now) = 0;
  // One result row of the job (a JSON object), numbered from 0 in the order appended.
  virtual core::Status AppendResult(std::int64_t job_id, std::int64_t seq,
                                    const std::string& detail_json) = 0;
  // Several, numbered from first_seq on.
  virtual core::Status AppendResults(std::int64_t job_id, std::int64_t first_seq,
                                     const std::vector<std::string>& details_json) = 0;
  virtual core::Result<std::vector<std::string>> Results(std::int64_t job_id) = 0;
};

// A handler's checkpoint, inside the transaction that applied the work up to `done`: the job's
// row gets `done`, a fresh lease of `lease` from `now`, and, when `finished`, its end.
// kInternal when the row has gone.
inline core::Status Checkpoint(JobRepository& jobs, const Job& start, std::int64_t done,
                               bool finished, core::TimePoint now,
                               std::chrono::seconds lease = std::chrono::seconds(120)) {
  auto found = jobs.FindByJobid(start.org_id, start.jobid);
  if (!found) return std::move(found).error();
  if (!*found)
    return core::MakeError(core::ErrorKind::kInternal, "job " + start.jobid + " vanished");
  Job j = std::move(**found);
  j.done = done;
  j.updated_at = now;
  j.lease_until = now + lease;
  if (finished) {
    j.status = JobStatus::kFinished;
    j.finished_at = now;
  }
  return jobs.Update(j);
}

// A handler's main loop: units [start.done, total) in chunks of `chunk`, each applied by
// `apply(from, to, last)` (which commits that chunk with its checkpoint). Before every chunk but
// the first it asks `stopping` (when set) and gives way with kStopping, to resume from the last
// checkpoint at the next start.
inline core::Status RunInChunks(
    const Job& start, std::int64_t total, std::int64_t chunk, const std::function<bool()>& stopping,
    const std::function<core::Status(std::int64_t from, std::int64_t to, bool last)>& apply) {
  for (std::int64_t from = start.done;;) {
    if (from > start.done && stopping && stopping()) {
      return core::MakeError(
          core::ErrorKind::kStopping,
          "the server is stopping; the job resumes at row " + std::to_string(from + 1));
    }
    const std::int64_t to = std::min(total, from + chunk);
    const bool last = to == total;
    CORPHUB_TRY(apply(from, to, last));
    if (last) return core::Ok();
    from = to;
  }
}

class JobUnit {
 public:
  virtual ~JobUnit() = default;
  virtual JobRepository& Jobs() = 0;
};

}  // namespace corphub::jobs
