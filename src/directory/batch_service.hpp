#pragma once
// Asynchronous batch jobs over the directory (reference §3): batch/syncuser (create or update
// each row's member), batch/replaceuser (the same, then delete the members the file leaves out,
// guarded against mass deletion: 45026) and batch/replaceparty (the file is the department tree).
// The CSV comes from media/upload. Submitting checks the file and queues a durable job; the job
// applies rows in chunks, each chunk in one transaction with its per-row results and the job's
// checkpoint, so a crash resumes where it stopped and no row is applied twice.
#include <functional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/department_service.hpp"
#include "directory/directory_repository.hpp"
#include "directory/member_service.hpp"

namespace corphub::directory {

inline constexpr std::string_view kSyncUser = "sync_user";
inline constexpr std::string_view kReplaceUser = "replace_user";
inline constexpr std::string_view kReplaceParty = "replace_party";

struct BatchResult {
  jobs::Job job;
  std::vector<std::string> results_json;  // one JSON object per row, once finished
};

// Reads an uploaded file's bytes (media/upload): 41006 / 40007 when it is not there.
using MediaReader =
    std::function<core::Result<std::string>(std::int64_t org_id, std::string_view media_id)>;

class BatchService {
 public:
  static constexpr std::size_t kChunkRows = 2000;
  // replaceuser refuses (45026) to delete more than this share of the members, once more than
  // kMassDeletionFloor would go.
  static constexpr std::int64_t kMassDeletionFloor = 10;
  static constexpr std::int64_t kMassDeletionPercent = 20;

  BatchService(core::Transactor<DirectoryUnit>& store, const core::Clock& clock,
               core::IdGenerator& ids, MemberService& members, MediaReader read_media)
      : store_(store),
        clock_(clock),
        ids_(ids),
        members_(members),
        read_media_(std::move(read_media)) {}

  // Checks the file (40058 for one that is not CSV text or lacks the columns it needs) and
  // queues the job; returns its jobid. `input_json` is kept with the job (callback, to_invite).
  core::Result<std::string> Submit(const core::Actor& actor, std::int64_t org_id,
                                   std::string_view type, std::string_view media_id,
                                   std::string input_json);
  // The job handler (for jobs::JobRunner). Between chunks it asks `stopping` (when set) and
  // gives way with kStopping, to resume from that checkpoint.
  core::Status Run(const jobs::Job& job);
  void StopWhen(std::function<bool()> stopping) { stopping_ = std::move(stopping); }
  // 40058 for an unknown jobid.
  core::Result<BatchResult> Result(std::int64_t org_id, std::string_view jobid);

 private:
  core::Status RunUsers(const jobs::Job& job, const std::string& bytes, bool replace);
  core::Status RunParties(const jobs::Job& job, const std::string& bytes);

  core::Transactor<DirectoryUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  MemberService& members_;
  MediaReader read_media_;
  std::function<bool()> stopping_;
};

}  // namespace corphub::directory
