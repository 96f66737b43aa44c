#pragma once
// Retention: a message lives for its app's retention (5 days by default) unless its sender asked
// to keep it; a durable job deletes the expired ones, with their inbox rows, a chunk per
// transaction, then the media that outlived their 3 days and that no kept message names. The job
// is queued once an hour (one job id per hour, so several nodes queue it once).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/clock.hpp"
#include "core/transactor.hpp"
#include "jobs/job.hpp"
#include "media/media.hpp"
#include "messaging/messaging_repository.hpp"

namespace corphub::messaging {

inline constexpr std::string_view kRetentionJob = "message_retention";

struct RetentionReport {
  std::int64_t messages = 0;
  std::int64_t media = 0;
};

class RetentionService {
 public:
  static constexpr std::int64_t kChunk = 2000;
  static constexpr std::int64_t kMediaChunk = 200;

  RetentionService(core::Transactor<MessagingUnit>& store, media::BlobStore& blobs,
                   const core::Clock& clock)
      : store_(store), blobs_(blobs), clock_(clock) {}
  void StopWhen(std::function<bool()> stopping) { stopping_ = std::move(stopping); }

  // Queues this hour's job for the organisation unless it exists; true when it queued one.
  core::Result<bool> Schedule(std::int64_t org_id);
  // The job's handler.
  core::Status Run(const jobs::Job& job);
  // The work itself, outside a job (the handler and tests call it).
  core::Result<RetentionReport> Purge(const jobs::Job* job);

 private:
  core::Transactor<MessagingUnit>& store_;
  media::BlobStore& blobs_;
  const core::Clock& clock_;
  std::function<bool()> stopping_;
};

}  // namespace corphub::messaging
