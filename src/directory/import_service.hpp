#pragma once
// The console's member import: a CSV or XLSX file with the seed's columns (import_files.hpp).
// A dry run applies the whole file in one transaction and rolls it back, so its report is what
// the real run would do. The real run is a durable job (the file kept as media) that applies
// rows in chunks, each chunk with its per-row results and the checkpoint in one transaction.
// Departments named by paths are created; one created only for rows that then failed is
// removed again in the same transaction, so a failed row leaves nothing behind.
#include <functional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/transactor.hpp"
#include "directory/batch_service.hpp"
#include "directory/department_service.hpp"
#include "directory/directory_repository.hpp"
#include "directory/import_files.hpp"
#include "directory/import_scope.hpp"
#include "directory/member_service.hpp"

namespace corphub::directory {

inline constexpr std::string_view kConsoleImport = "console_import";

struct ImportReport {
  std::int64_t total = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t failed = 0;
  std::vector<std::string> departments_created;  // paths, "A/B"
  // One JSON object per row: {"line","userid","name","action":"create|update|error",
  // "code"?,"message"?,"departments_created"?:[...]}.
  std::vector<std::string> rows_json;
};

struct ImportStatus {
  std::string actor;  // who submitted it ("admin:<username>")
  jobs::Job job;
  std::optional<ImportReport> report;  // once finished
};

struct SubmittedImport {
  std::string jobid;
  std::int64_t total = 0;
};

// Keeps an uploaded file for the job and returns its media_id.
using MediaWriter = std::function<core::Result<std::string>(
    std::int64_t org_id, std::string_view filename, const std::string& bytes)>;

class ImportService {
 public:
  static constexpr std::size_t kChunkRows = 2000;

  ImportService(core::Transactor<DirectoryUnit>& store, const core::Clock& clock,
                core::IdGenerator& ids, MemberService& members, DepartmentService& departments,
                MediaReader read_media, MediaWriter write_media)
      : store_(store),
        clock_(clock),
        ids_(ids),
        members_(members),
        departments_(departments),
        read_media_(std::move(read_media)),
        write_media_(std::move(write_media)) {}

  // kImportFileInvalid for a file that cannot be imported at all.
  // `scope`: the submitter's edit scope, nullopt for no limit; the job keeps it for its run.
  core::Result<ImportReport> Preview(const core::Actor& actor, std::int64_t org_id,
                                     std::string_view bytes,
                                     const std::optional<ImportScope>& scope = std::nullopt);
  core::Result<SubmittedImport> Submit(const core::Actor& actor, std::int64_t org_id,
                                       std::string_view filename, const std::string& bytes,
                                       const std::optional<ImportScope>& scope = std::nullopt);
  core::Status Run(const jobs::Job& job);  // the job handler
  void StopWhen(std::function<bool()> stopping) { stopping_ = std::move(stopping); }
  // kInvalidJobId for a job that is not an import of this organisation.
  core::Result<ImportStatus> Status(std::int64_t org_id, std::string_view jobid);

  // The members a query matches (offset and limit ignored), as an import file.
  core::Result<std::string> Export(std::int64_t org_id, MemberQuery query,
                                   import::FileFormat format, import::Language language);

  // Counts the report's rows by action.
  static ImportReport Summarise(std::vector<std::string> rows_json);

 private:
  // Applies rows [from, to) inside the caller's transaction (directory lock held); one result
  // per row. Errors that abort the transaction come back as the error.
  core::Result<std::vector<std::string>> ApplyRows(DirectoryUnit& u, const core::Actor& actor,
                                                   std::int64_t org_id,
                                                   const import::ImportFile& file,
                                                   const std::vector<std::size_t>& first_line,
                                                   std::size_t from, std::size_t to,
                                                   const std::optional<ImportScope>& scope);

  core::Transactor<DirectoryUnit>& store_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  MemberService& members_;
  DepartmentService& departments_;
  MediaReader read_media_;
  MediaWriter write_media_;
  std::function<bool()> stopping_;
};

}  // namespace corphub::directory
