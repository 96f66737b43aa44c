// /admin/api/imports and /admin/api/members/export: the console's member files
// (docs/admin-api.md).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "api/admin_request.hpp"
#include "api/routes.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "directory/import_service.hpp"
#include "net/multipart.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;
using core::MakeError;
using directory::import::FileFormat;
using directory::import::Language;

struct UploadedFile {
  std::string filename;
  std::string bytes;
};

core::Result<UploadedFile> ReadFile(const net::Request& req) {
  auto boundary = net::MultipartBoundary(req.Header("content-type"));
  if (!boundary) {
    return MakeError(ErrorKind::kImportFileInvalid,
                     "the file must come as multipart/form-data in the field \"file\"");
  }
  auto parts = net::ParseMultipart(req.body, *boundary);
  if (!parts) return MakeError(ErrorKind::kImportFileInvalid, parts.error().message);
  for (const auto& p : *parts) {
    if (p.name == "file") return UploadedFile{p.filename.value_or("import"), std::string(p.data)};
  }
  return MakeError(ErrorKind::kImportFileInvalid, "no multipart field named \"file\"");
}

core::Result<FileFormat> FormatOf(const net::Request& req) {
  const std::string f = req.Query("format").value_or("csv");
  if (f == "csv") return FileFormat::kCsv;
  if (f == "xlsx") return FileFormat::kXlsx;
  return MakeError(ErrorKind::kInvalidArgument, "format must be csv or xlsx");
}

Language LanguageOf(const net::Request& req) {
  const std::string l = req.Query("lang").value_or("zh-CN");
  return l.starts_with("en") ? Language::kEn : Language::kZh;
}

std::string ReportJson(const directory::ImportReport& r) {
  return core::JsonObjectWriter()
      .Int("total", r.total)
      .Int("created", r.created)
      .Int("updated", r.updated)
      .Int("failed", r.failed)
      .Strs("departments_created", r.departments_created)
      .RawArray("rows", r.rows_json)
      .Done();
}

std::string_view StatusName(const jobs::Job& job) {
  switch (job.status) {
    case jobs::JobStatus::kQueued:
      return "queued";
    case jobs::JobStatus::kRunning:
      return "running";
    case jobs::JobStatus::kFinished:
      break;
  }
  return job.errcode == 0 ? "finished" : "failed";
}

net::Response FileResponse(std::string bytes, FileFormat format, std::string_view stem,
                           core::TimePoint now) {
  const bool xlsx = format == FileFormat::kXlsx;
  net::Response res;
  res.status = 200;
  res.body = std::move(bytes);
  res.Set("Content-Type", xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "text/csv; charset=utf-8");
  res.Set("Content-Disposition", fmt::format("attachment; filename=\"{}-{:%Y%m%d}.{}\"", stem,
                                             fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                                             xlsx ? "xlsx" : "csv"));
  res.Set("Cache-Control", "no-store");
  return res;
}

// A scoped administrator imports into their edit scope; a super admin anywhere.
std::optional<directory::ImportScope> ScopeOf(const admin::Rights& rights) {
  if (rights.super) return std::nullopt;
  return directory::ImportScope{rights.editable.department_ids, rights.editable.tag_ids};
}

}  // namespace

void AddAdminImportRoutes(net::Router& router, AdminDeps deps, directory::ImportService& imports,
                          const core::Clock& clock, std::function<void()> queued) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  router.Add(
      "GET", "/admin/api/imports/template",
      AdminAuthed(deps, Need::kContactsEdit,
                  [&](const admin::AdminSession&, net::Request& req) -> awaitable<net::Response> {
                    auto format = FormatOf(req);
                    if (!format) co_return AdminError(format.error());
                    auto bytes = directory::import::WriteImportFile({}, *format, LanguageOf(req));
                    if (!bytes) co_return AdminError(bytes.error());
                    co_return FileResponse(std::move(*bytes), *format, "members-template",
                                           clock.Now());
                  }));

  router.Add(
      "POST", "/admin/api/imports",
      AdminAuthed(
          deps, Need::kContactsEdit,
          [&, queued](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            auto file = ReadFile(req);
            if (!file) co_return AdminError(file.error());
            const core::Actor actor = AdminActor(s, req);
            auto dry = req.Query("dry_run");
            if (dry && (*dry == "1" || *dry == "true")) {
              auto report = co_await core::Offload(pool, [&] {
                return imports.Preview(actor, org, file->bytes, ScopeOf(s.rights));
              });
              if (!report) co_return AdminError(report.error());
              auto res = net::Response::Json(200, ReportJson(*report));
              res.Set("Cache-Control", "no-store");
              co_return res;
            }
            auto job = co_await core::Offload(pool, [&] {
              return imports.Submit(actor, org, file->filename, file->bytes, ScopeOf(s.rights));
            });
            if (!job) co_return AdminError(job.error());
            queued();
            auto res = net::Response::Json(
                202,
                core::JsonObjectWriter().Str("job_id", job->jobid).Int("total", job->total).Done());
            res.Set("Cache-Control", "no-store");
            co_return res;
          }));

  router.Add(
      "GET", "/admin/api/imports/{job_id}",
      AdminAuthed(
          deps, Need::kContactsEdit,
          [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::string jobid = req.params["job_id"];
            auto status = co_await core::Offload(pool, [&] { return imports.Status(org, jobid); });
            if (!status) co_return AdminError(status.error());
            // A scoped administrator follows their own imports only.
            if (!s.rights.super && status->actor != "admin:" + s.admin.username) {
              co_return AdminError(MakeError(ErrorKind::kInvalidJobId, "no import " + jobid));
            }
            const jobs::Job& j = status->job;
            core::JsonObjectWriter w;
            w.Str("job_id", j.jobid)
                .Str("status", StatusName(j))
                .Int("total", j.total)
                .Int("done", j.done)
                .Int("percentage", j.Percentage());
            if (j.status == jobs::JobStatus::kFinished && j.errcode != 0) {
              w.Raw("error", core::JsonObjectWriter()
                                 .Int("errcode", j.errcode)
                                 .Str("message", j.errmsg)
                                 .Done());
            }
            if (status->report) w.Raw("report", ReportJson(*status->report));
            auto res = net::Response::Json(200, w.Done());
            res.Set("Cache-Control", "no-store");
            co_return res;
          }));

  router.Add(
      "GET", "/admin/api/members/export",
      AdminAuthed(deps, Need::kContacts,
                  [&](const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                    auto format = FormatOf(req);
                    if (!format) co_return AdminError(format.error());
                    auto query = ReadMemberQuery(req);
                    if (!query) co_return AdminError(query.error());
                    const Language language = LanguageOf(req);
                    // A scoped administrator exports the members they see.
                    auto bytes = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
                      CORPHUB_TRY(ScopeQuery(s.rights, scopes, org, *query));
                      return imports.Export(org, *query, *format, language);
                    });
                    if (!bytes) co_return AdminError(bytes.error());
                    co_return FileResponse(std::move(*bytes), *format, "members", clock.Now());
                  }));
}

}  // namespace corphub::api
