#pragma once
// jobs::JobRepository and media::MediaRepository over Sql, for every backend.
#include "jobs/job.hpp"
#include "media/media.hpp"
#include "storage/sql.hpp"

namespace corphub::storage {

class JobSql final : public jobs::JobRepository {
 public:
  explicit JobSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(jobs::Job& job) override;
  core::Status Update(const jobs::Job& job) override;
  core::Result<std::optional<jobs::Job>> FindByJobid(std::int64_t org_id,
                                                     std::string_view jobid) override;
  core::Result<std::optional<jobs::Job>> NextRunnable(core::TimePoint now) override;
  core::Status AppendResult(std::int64_t job_id, std::int64_t seq,
                            const std::string& detail_json) override;
  core::Status AppendResults(std::int64_t job_id, std::int64_t first_seq,
                             const std::vector<std::string>& details_json) override;
  core::Result<std::vector<std::string>> Results(std::int64_t job_id) override;

 private:
  core::Result<std::optional<jobs::Job>> SelectOne(std::string_view where, const Params& params);
  Sql& sql_;
};

class MediaSql final : public media::MediaRepository {
 public:
  explicit MediaSql(Sql& sql) : sql_(sql) {}
  core::Status Insert(const media::MediaInfo& info) override;
  core::Result<std::optional<media::MediaInfo>> Find(std::int64_t org_id,
                                                     std::string_view media_id) override;
  core::Result<std::vector<std::string>> Purgeable(core::TimePoint now,
                                                   std::int64_t limit) override;
  core::Status Delete(const std::vector<std::string>& media_ids) override;

 private:
  Sql& sql_;
};

}  // namespace corphub::storage
