// Open registration (docs/member-api.md "Applying to join", docs/admin-api.md "Applications"):
// the public form and its status for the applicant; the queue, approval and rejection for
// administrators.
#include <boost/json/object.hpp>

#include "api/admin_access.hpp"
#include "api/admin_request.hpp"
#include "api/member_request.hpp"
#include "api/routes.hpp"
#include "core/json_writer.hpp"
#include "core/offload.hpp"
#include "identity/registration_service.hpp"

namespace corphub::api {
namespace {

using boost::asio::awaitable;
using core::ErrorKind;

std::string ApplicationJson(const identity::Registration& r, bool for_console,
                            const std::string& suggested) {
  core::JsonObjectWriter w;
  w.Str("id", r.public_id)
      .Str("status", identity::RegistrationStatusName(r.status))
      .Str("name", r.name)
      .Int("department", r.department_id)
      .Str("department_name", r.department_name)
      .Str("position", r.position)
      .Int("submitted_at", core::UnixSeconds(r.created_at))
      .Int("decided_at", r.decided_at ? core::UnixSeconds(*r.decided_at) : 0)
      .Str("reason", r.reason)
      .Str("member_userid", r.member_userid);
  if (for_console) {
    w.Str("userid", r.userid)
        .Str("mobile", r.mobile)
        .Str("email", r.email)
        .Str("note", r.note)
        .Str("address", r.address)
        .Str("decided_by", r.decided_by)
        .Str("notice", r.notice)
        .Str("suggested_userid", suggested);
  }
  return w.Done();
}

core::Error NotString(std::string_view key) {
  return core::MakeError(ErrorKind::kInvalidArgument, std::string(key) + " must be a string");
}

}  // namespace

void AddRegistrationRoutes(net::Router& router, AdminDeps deps,
                           identity::RegistrationService& registrations,
                           std::function<void()> queued) {
  core::WorkerPool& pool = deps.pool;
  const std::int64_t& org = deps.org_id;
  directory::ScopeResolver& scopes = deps.scopes;

  // The form: whether applications are taken, and the departments to pick from.
  router.Add("GET", "/api/v1/registration",
             [&pool, &registrations, &org](net::Request&) -> awaitable<net::Response> {
               auto form = co_await core::Offload(pool, [&] { return registrations.Form(org); });
               if (!form) co_return AdminError(form.error());
               std::vector<std::string> items;
               items.reserve(form->departments.size());
               for (const auto& d : form->departments) {
                 items.push_back(core::JsonObjectWriter()
                                     .Int("id", d.id)
                                     .Int("parentid", d.parent_id)
                                     .Str("name", d.name)
                                     .Int("order", d.order)
                                     .Done());
               }
               co_return NoStoreJson(core::JsonObjectWriter()
                                         .Bool("open", form->open)
                                         .Str("org_name", form->org_name)
                                         .RawArray("departments", items)
                                         .Done());
             });

  router.Add("POST", "/api/v1/registration",
             [&pool, &registrations, &org](net::Request& req) -> awaitable<net::Response> {
               auto body = JsonBody(req);
               if (!body) co_return AdminError(body.error());
               identity::Application a;
               for (const char* key : {"name", "position", "userid", "mobile", "email", "note"}) {
                 const auto* v = body->if_contains(key);
                 if (v != nullptr && !v->is_string() && !v->is_null())
                   co_return AdminError(NotString(key));
               }
               a.name = Field(*body, "name");
               a.position = Field(*body, "position");
               a.userid = Field(*body, "userid");
               a.mobile = Field(*body, "mobile");
               a.email = Field(*body, "email");
               a.note = Field(*body, "note");
               if (const auto* d = body->if_contains("department"); d != nullptr && d->is_int64()) {
                 a.department_id = d->as_int64();
               }
               auto done = co_await core::Offload(
                   pool, [&] { return registrations.Apply(org, a, req.remote_address); });
               if (!done) co_return AdminError(done.error());
               net::Response res = NoStoreJson(core::JsonObjectWriter()
                                                   .Str("id", done->id)
                                                   .Str("token", done->token)
                                                   .Str("status", "pending")
                                                   .Done());
               res.status = 201;
               co_return res;
             });

  // The applicant's own view: the token from the answer above, in X-Registration-Token.
  router.Add("GET", "/api/v1/registration/{id}",
             [&pool, &registrations, &org](net::Request& req) -> awaitable<net::Response> {
               const std::string id = req.params["id"];
               const std::string token(req.Header("x-registration-token"));
               auto found = co_await core::Offload(
                   pool, [&] { return registrations.Status(org, id, token); });
               if (!found) co_return AdminError(found.error());
               co_return NoStoreJson(ApplicationJson(*found, false, ""));
             });

  router.Add(
      "GET", "/admin/api/registrations",
      AdminAuthed(
          deps, Need::kContactsEdit,
          [&pool, &registrations, &org, &scopes](const admin::AdminSession& s,
                                                 net::Request& req) -> awaitable<net::Response> {
            std::optional<identity::RegistrationStatus> status;
            const std::string which = req.Query("status").value_or("pending");
            if (which != "all") {
              status = identity::ParseRegistrationStatus(which);
              if (!status) {
                co_return AdminError(core::MakeError(
                    ErrorKind::kInvalidArgument, "status is pending, approved, rejected or all"));
              }
            }
            auto list =
                co_await core::Offload(pool, [&]() -> core::Result<std::vector<std::string>> {
                  auto found = registrations.List(org, status);
                  if (!found) return std::move(found).error();
                  // A scoped administrator sees the applications to their departments.
                  Access access(s.rights, scopes, org);
                  auto editable = access.Editable();
                  if (!editable) return std::move(editable).error();
                  std::vector<std::string> items;
                  items.reserve(found->size());
                  for (const auto& l : *found) {
                    if (!(*editable)->HasDepartment(l.registration.department_id)) continue;
                    items.push_back(ApplicationJson(l.registration, true, l.suggested_userid));
                  }
                  return items;
                });
            if (!list) co_return AdminError(list.error());
            co_return NoStoreJson(core::JsonObjectWriter().RawArray("registrations", *list).Done());
          }));

  router.Add(
      "POST", "/admin/api/registrations/{id}/approve",
      AdminAuthed(
          deps, Need::kContactsEdit,
          [&pool, &registrations, &org, &scopes, queued](
              const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
            const std::string id = req.params["id"];
            boost::json::object body;
            if (!req.body.empty()) {
              auto parsed = AdminBody(req);
              if (!parsed) co_return AdminError(parsed.error());
              body = std::move(*parsed);
            }
            identity::ApprovalEdits edits;
            for (const char* key : {"userid", "name", "position"}) {
              const auto* v = body.if_contains(key);
              if (v == nullptr || v->is_null()) continue;
              if (!v->is_string()) co_return AdminError(NotString(key));
              std::string value(v->as_string());
              if (std::string_view(key) == "userid") edits.userid = std::move(value);
              if (std::string_view(key) == "name") edits.name = std::move(value);
              if (std::string_view(key) == "position") edits.position = std::move(value);
            }
            if (const auto* d = body.if_contains("department"); d != nullptr && !d->is_null()) {
              if (!d->is_int64()) {
                co_return AdminError(core::MakeError(ErrorKind::kInvalidArgument,
                                                     "department must be a department id"));
              }
              edits.department_id = d->as_int64();
            }
            const core::Actor actor = AdminActor(s, req);
            auto done = co_await core::Offload(pool, [&]() -> core::Result<identity::Approved> {
              auto found = registrations.Find(org, id);
              if (!found) return std::move(found).error();
              Access access(s.rights, scopes, org);
              CORPHUB_TRY(access.EditDepartment(found->department_id, false));
              if (edits.department_id) {
                CORPHUB_TRY(access.EditDepartment(*edits.department_id, false));
              }
              return registrations.Approve(actor, org, id, edits);
            });
            if (!done) co_return AdminError(done.error());
            queued();
            co_return NoStoreJson(core::JsonObjectWriter()
                                      .Str("userid", done->userid)
                                      .Str("jobid", done->jobid)
                                      .Done());
          }));

  router.Add("POST", "/admin/api/registrations/{id}/reject",
             AdminAuthed(
                 deps, Need::kContactsEdit,
                 [&pool, &registrations, &org, &scopes, queued](
                     const admin::AdminSession& s, net::Request& req) -> awaitable<net::Response> {
                   const std::string id = req.params["id"];
                   std::string reason;
                   if (!req.body.empty()) {
                     auto parsed = AdminBody(req);
                     if (!parsed) co_return AdminError(parsed.error());
                     const auto* v = parsed->if_contains("reason");
                     if (v != nullptr && !v->is_null() && !v->is_string()) {
                       co_return AdminError(NotString("reason"));
                     }
                     reason = Field(*parsed, "reason");
                   }
                   const core::Actor actor = AdminActor(s, req);
                   auto done = co_await core::Offload(pool, [&]() -> core::Result<std::string> {
                     auto found = registrations.Find(org, id);
                     if (!found) return std::move(found).error();
                     CORPHUB_TRY(
                         Access(s.rights, scopes, org).EditDepartment(found->department_id, false));
                     return registrations.Reject(actor, org, id, reason);
                   });
                   if (!done) co_return AdminError(done.error());
                   if (!done->empty()) queued();
                   co_return NoStoreJson(
                       core::JsonObjectWriter().Bool("ok", true).Str("notice_jobid", *done).Done());
                 }));
}

}  // namespace corphub::api
