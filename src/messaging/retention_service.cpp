#include "messaging/retention_service.hpp"

#include <string>

namespace corphub::messaging {

core::Result<bool> RetentionService::Schedule(std::int64_t org_id) {
  const auto now = clock_.Now();
  jobs::Job job;
  job.org_id = org_id;
  job.jobid =
      "retention-" + std::to_string(org_id) + "-" + std::to_string(core::UnixSeconds(now) / 3600);
  job.type = std::string(kRetentionJob);
  job.created_at = job.updated_at = now;
  bool queued = false;
  auto status = store_.Write([&](MessagingUnit& u) -> core::Status {
    queued = false;
    auto found = u.Jobs().FindByJobid(org_id, job.jobid);
    if (!found) return std::move(found).error();
    if (*found) return core::Ok();
    CORPHUB_TRY(u.Jobs().Insert(job));
    queued = true;
    return core::Ok();
  });
  // Another node queued it between our look and our insert: that is the same outcome.
  if (!status && status.error().kind == core::ErrorKind::kAlreadyExists) return false;
  if (!status) return std::move(status).error();
  return queued;
}

core::Result<RetentionReport> RetentionService::Purge(const jobs::Job* job) {
  RetentionReport report;
  std::int64_t done = job != nullptr ? job->done : 0;
  for (bool first = true;; first = false) {
    if (!first && stopping_ && stopping_()) {
      return core::MakeError(core::ErrorKind::kStopping,
                             "the server is stopping; retention resumes at the next start");
    }
    const auto now = clock_.Now();
    std::int64_t deleted = 0;
    CORPHUB_TRY(store_.Write([&](MessagingUnit& u) -> core::Status {
      auto n = u.Messages().DeleteExpired(now, kChunk);
      if (!n) return std::move(n).error();
      deleted = *n;
      if (job == nullptr) return core::Ok();
      return jobs::Checkpoint(u.Jobs(), *job, done + deleted, false, now);
    }));
    done += deleted;
    report.messages += deleted;
    if (deleted < kChunk) break;
  }
  for (;;) {
    const auto now = clock_.Now();
    std::vector<std::string> ids;
    CORPHUB_TRY(store_.Write([&](MessagingUnit& u) -> core::Status {
      auto found = u.Media().Purgeable(now, kMediaChunk);
      if (!found) return std::move(found).error();
      ids = std::move(found).value();
      return u.Media().Delete(ids);
    }));
    // The rows are gone first: a crash here leaves a file nobody names, never a name without
    // its file.
    for (const auto& id : ids) (void)blobs_.Remove(id);
    report.media += static_cast<std::int64_t>(ids.size());
    if (static_cast<std::int64_t>(ids.size()) < kMediaChunk) break;
  }
  return report;
}

core::Status RetentionService::Run(const jobs::Job& job) {
  auto report = Purge(&job);
  if (!report) return std::move(report).error();
  const auto now = clock_.Now();
  return store_.Write([&](MessagingUnit& u) {
    return jobs::Checkpoint(u.Jobs(), job, job.done + report->messages, true, now);
  });
}

}  // namespace corphub::messaging
