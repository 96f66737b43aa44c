#pragma once
// Runs durable jobs on a thread of its own: claims the next runnable job (a lease in the
// database, so a second node or a restarted process does not run it twice at once), hands it
// to the handler for its type, and records the outcome. Woken when a job is queued here, and
// polls for jobs queued elsewhere or left behind by a crash.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "jobs/job.hpp"

namespace corphub::jobs {

// A handler does the work and commits its progress itself (Job::done as its checkpoint); it
// returns ok when the job is finished, or an error that ends the job with that errcode. It is
// run again after a crash, from its last checkpoint. A handler that sees the runner stopping
// between two checkpoints returns kStopping: the job is queued again at once, with its attempt
// given back, rather than left to its lease.
using JobHandler = std::function<core::Status(const Job&)>;

struct JobRunnerOptions {
  std::chrono::seconds lease{120};
  std::chrono::milliseconds poll{1000};
  int max_attempts = 5;  // a job that crashed its runner this often is finished with an error
};

class JobRunner {
 public:
  JobRunner(core::Transactor<JobUnit>& store, const core::Clock& clock, JobRunnerOptions options)
      : store_(store), clock_(clock), options_(options) {}
  ~JobRunner() { Stop(); }

  void Handle(std::string type, JobHandler handler) {
    handlers_[std::move(type)] = std::move(handler);
  }
  void Start();
  // Asks the job in hand to stop at its next checkpoint, then returns.
  void Stop();
  // Whether Stop was called: handlers of long jobs ask it between checkpoints.
  bool Stopping() const { return stopping_.load(); }
  // A job was queued: look now rather than at the next poll.
  void Notify();
  // Claims and runs runnable jobs until there are none; for tests and the command line.
  void RunPending();

 private:
  // Claims one job and runs it; false when there was none.
  bool RunOne();
  void Loop(std::stop_token stop);

  core::Transactor<JobUnit>& store_;
  const core::Clock& clock_;
  JobRunnerOptions options_;
  std::map<std::string, JobHandler, std::less<>> handlers_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  bool notified_ = false;
  std::atomic<bool> stopping_{false};
  std::jthread thread_;
};

}  // namespace corphub::jobs
