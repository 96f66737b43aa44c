#include "jobs/job_runner.hpp"

#include <algorithm>

#include "core/log.hpp"

namespace corphub::jobs {

void JobRunner::Start() {
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

void JobRunner::Stop() {
  stopping_ = true;
  if (!thread_.joinable()) return;
  thread_.request_stop();
  Notify();
  thread_.join();
}

void JobRunner::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  wake_.notify_all();
}

void JobRunner::RunPending() {
  while (RunOne()) {
  }
}

void JobRunner::Loop(std::stop_token stop) {
  auto log = core::Logger("jobs");
  while (!stop.stop_requested()) {
    bool ran = false;
    try {
      ran = RunOne();
    } catch (const std::exception& e) {
      log->error("job runner: {}", e.what());
    }
    if (ran) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, options_.poll, [this] { return notified_; });
    notified_ = false;
  }
}

bool JobRunner::RunOne() {
  auto log = core::Logger("jobs");
  std::optional<Job> claimed;
  auto status = store_.Write([&](JobUnit& u) -> core::Status {
    claimed.reset();
    const core::TimePoint now = clock_.Now();
    auto next = u.Jobs().NextRunnable(now);
    if (!next) return std::move(next).error();
    if (!*next) return core::Ok();
    Job job = std::move(**next);
    job.attempts += 1;
    job.updated_at = now;
    if (job.attempts > options_.max_attempts) {
      // It keeps taking its runner down with it: stop trying.
      job.status = JobStatus::kFinished;
      job.errcode = -1;
      job.errmsg = "the job failed " + std::to_string(options_.max_attempts) + " times";
      job.finished_at = now;
      return u.Jobs().Update(job);
    }
    job.status = JobStatus::kRunning;
    job.lease_until = now + options_.lease;
    CORPHUB_TRY(u.Jobs().Update(job));
    claimed = std::move(job);
    return core::Ok();
  });
  if (!status) {
    log->warn("claiming a job failed: {}", status.error().message);
    return false;
  }
  if (!claimed) return false;

  const Job& job = *claimed;
  auto handler = handlers_.find(job.type);
  core::Status outcome =
      handler == handlers_.end()
          ? core::Status(core::MakeError(core::ErrorKind::kInternal, "no handler for " + job.type))
          : handler->second(job);
  log->info("job {} ({}) ran: {}", job.jobid, job.type,
            outcome.ok() ? std::string("finished") : outcome.error().message);
  if (outcome.ok()) return true;  // the handler finished it in its last transaction
  if (outcome.error().kind == core::ErrorKind::kUnavailable) return true;  // retried on lease
  if (outcome.error().kind == core::ErrorKind::kStopping) {
    // An orderly stop at a checkpoint: queue it again now, and it was no failed attempt.
    auto released = store_.Write([&](JobUnit& u) -> core::Status {
      auto current = u.Jobs().FindByJobid(job.org_id, job.jobid);
      if (!current) return std::move(current).error();
      if (!*current) return core::Ok();
      Job j = std::move(**current);
      j.status = JobStatus::kQueued;
      j.lease_until = core::TimePoint{};
      j.attempts = std::max(0, j.attempts - 1);
      j.updated_at = clock_.Now();
      return u.Jobs().Update(j);
    });
    if (!released) log->warn("requeuing job {} failed: {}", job.jobid, released.error().message);
    return true;
  }
  // The job failed as a whole: finish it with the error, keeping what it committed.
  auto finished = store_.Write([&](JobUnit& u) -> core::Status {
    auto current = u.Jobs().FindByJobid(job.org_id, job.jobid);
    if (!current) return std::move(current).error();
    if (!*current) return core::Ok();
    Job j = std::move(**current);
    j.status = JobStatus::kFinished;
    j.errcode = outcome.error().WecomCode();
    j.errmsg = outcome.error().message;
    j.updated_at = clock_.Now();
    j.finished_at = j.updated_at;
    return u.Jobs().Update(j);
  });
  if (!finished) log->warn("finishing job {} failed: {}", job.jobid, finished.error().message);
  return true;
}

}  // namespace corphub::jobs
