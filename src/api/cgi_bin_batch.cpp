// /cgi-bin/batch/{syncuser,replaceuser,replaceparty,getresult} (reference §3): the CSV comes
// from media/upload; the call answers a jobid at once and the job runs in the background.
// getresult answers status 1/2/3, total, percentage, and once finished the per-row results.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/cgi_bin_request.hpp"
#include "api/routes.hpp"
#include "api/wecom_json.hpp"
#include "core/offload.hpp"
#include "directory/batch_service.hpp"

namespace corphub::api {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using core::ErrorKind;

struct Submission {
  std::string media_id;
  std::string options_json;  // to_invite and callback, kept with the job
};

core::Result<Submission> ReadSubmission(std::string_view text) {
  auto body = ParseObject(text);
  if (!body) return std::move(body).error();
  auto media_id = StringField(*body, "media_id");
  if (!media_id) return std::move(media_id).error();
  json::object options;
  if (const auto* cb = body->if_contains("callback"); cb != nullptr && cb->is_object()) {
    options["callback"] = *cb;
  }
  if (const auto* invite = body->if_contains("to_invite"); invite != nullptr) {
    options["to_invite"] = invite->is_bool() ? invite->as_bool() : !invite->is_null();
  }
  return Submission{media_id->value_or(""), json::serialize(options)};
}

// getresult's fields. The result rows are stored as the JSON objects they are answered as
// (written by the batch service), so they are joined as they are, not parsed again.
std::string ResultAnswer(const directory::BatchResult& found) {
  const jobs::Job& job = found.job;
  json::object head{{"status", static_cast<int>(job.status)},
                    {"type", job.type},
                    {"total", job.total},
                    {"percentage", job.Percentage()}};
  if (job.status == jobs::JobStatus::kFinished && job.errcode != 0) {
    // The job failed as a whole (45026, a file gone): say so beside the envelope.
    head["job_errcode"] = job.errcode;
    head["job_errmsg"] = job.errmsg;
  }
  std::string out = ObjectMembers(head) + ",\"result\":[";
  for (std::size_t i = 0; i < found.results_json.size(); ++i) {
    if (i) out += ',';
    out += found.results_json[i];
  }
  out += ']';
  return out;
}

}  // namespace

void AddCgiBinBatchRoutes(net::Router& router, CgiBinDeps deps, directory::BatchService& batches,
                          std::function<void()> queued) {
  core::WorkerPool& pool = deps.pool;
  directory::BatchService& svc = batches;

  auto submit = [&, queued](std::string_view type) {
    return Authed(deps, Caller::kContacts,
                  [&, queued, type = std::string(type)](
                      const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
                    auto input = ReadSubmission(req.body);
                    if (!input) co_return WecomError(input.error());
                    auto jobid = co_await core::Offload(pool, [&] {
                      return svc.Submit(ActorOf(who, req), who.org_id, type, input->media_id,
                                        input->options_json);
                    });
                    if (!jobid) co_return WecomError(jobid.error());
                    queued();
                    co_return WecomOk(ObjectMembers(json::object{{"jobid", *jobid}}));
                  });
  };
  router.Add("POST", "/cgi-bin/batch/syncuser", submit(directory::kSyncUser));
  router.Add("POST", "/cgi-bin/batch/replaceuser", submit(directory::kReplaceUser));
  router.Add("POST", "/cgi-bin/batch/replaceparty", submit(directory::kReplaceParty));

  auto result =
      Authed(deps, [&](const corp::Principal& who, net::Request& req) -> awaitable<net::Response> {
        const std::string jobid = StringQuery(req, "jobid");
        // On the worker pool: a finished 100k-row import answers 100k result rows.
        auto answer = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
          auto found = svc.Result(who.org_id, jobid);
          if (!found) return std::move(found).error();
          return ResultAnswer(*found);
        });
        if (!answer) co_return WecomError(answer.error());
        co_return WecomOk(*answer);
      });
  router.Add("GET", "/cgi-bin/batch/getresult", result);
  router.Add("POST", "/cgi-bin/batch/getresult", result);
}

}  // namespace corphub::api
