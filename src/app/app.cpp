#include "app/app.hpp"

#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "admin/admin_service.hpp"
#include "admin/group_service.hpp"
#include "admin/session_service.hpp"
#include "api/admin_request.hpp"
#include "api/call_limits.hpp"
#include "api/cgi_bin_request.hpp"
#include "api/cgi_bin_visibility.hpp"
#include "api/member_request.hpp"
#include "api/member_routes.hpp"
#include "api/routes.hpp"
#include "api/session_watch.hpp"
#include "api/stream_hub.hpp"
#include "app/support.hpp"
#include "apps/app_service.hpp"
#include "callback/callback_service.hpp"
#include "callback/deliverer.hpp"
#include "callback/member_events.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/offload.hpp"
#include "corp/corp_service.hpp"
#include "corp/token_service.hpp"
#include "crypto/random.hpp"
#include "diagnostics/probe_service.hpp"
#include "directory/batch_service.hpp"
#include "directory/console_service.hpp"
#include "directory/department_service.hpp"
#include "directory/import_service.hpp"
#include "directory/member_service.hpp"
#include "directory/scope_index.hpp"
#include "directory/tag_service.hpp"
#include "identity/invitation_service.hpp"
#include "identity/member_password_service.hpp"
#include "identity/member_session_service.hpp"
#include "identity/registration_service.hpp"
#include "identity/verification_service.hpp"
#include "jobs/job_runner.hpp"
#include "media/local_blob_store.hpp"
#include "media/media_service.hpp"
#include "messaging/chat_service.hpp"
#include "messaging/inbox_service.hpp"
#include "messaging/member_caps.hpp"
#include "messaging/receipt_service.hpp"
#include "messaging/retention_service.hpp"
#include "messaging/send_service.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"
#include "net/server.hpp"
#include "net/static_files.hpp"
#include "notify/outbound.hpp"
#include "sso/sso_service.hpp"
#include "storage/store.hpp"

namespace corphub::app {
namespace fs = std::filesystem;
namespace {

using support::Fail;
using support::OpenAndMigrate;
using support::RandomIds;
using support::SetUpLogs;

constexpr const char* kVersion = "0.1.0";

// web.dir, else web/dist under the working directory, else beside the binary.
fs::path FindWebDir(const config::Config& c) {
  if (!c.web.dir.empty()) return c.web.dir;
  std::error_code ec;
  std::vector<fs::path> candidates = {fs::current_path(ec) / "web" / "dist"};
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / "web" / "dist");
    candidates.push_back(exe.parent_path().parent_path() / "web" / "dist");
  }
  for (const auto& p : candidates) {
    if (fs::exists(p / "member" / "index.html", ec)) return p;
  }
  return candidates.front();
}

core::Status WritePortFile(const std::string& path, unsigned short port) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) {
      return core::MakeError(core::ErrorKind::kUnavailable, "cannot write port file " + path);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);  // atomic: a reader never sees a partial number
  if (ec) return core::MakeError(core::ErrorKind::kUnavailable, "cannot write port file " + path);
  return core::Ok();
}

std::string PublicUrl(const config::Config& c, const config::HostPort& hp, unsigned short port,
                      bool secure) {
  if (!c.server.public_url.empty()) {
    std::string u = c.server.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  std::string host = hp.host == "0.0.0.0" || hp.host == "::" ? "127.0.0.1" : hp.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(secure ? "https://" : "http://") + host + ":" + std::to_string(port);
}

int DefaultIoThreads() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

int DefaultWorkerThreads() {
  return static_cast<int>(std::max(4u, 4 * std::thread::hardware_concurrency()));
}

void AddStoreMetrics(net::Metrics& metrics, const storage::Store& store,
                     const core::WorkerPool& pool) {
  metrics.AddProvider([&store, &pool](std::string& out) {
    auto s = store.Stats();
    std::string backend(store.Backend());
    out += "# HELP corphub_db_connections Database connections, by state.\n";
    out += "# TYPE corphub_db_connections gauge\n";
    out += "corphub_db_connections{backend=\"" + backend + "\",state=\"open\"} " +
           std::to_string(s.open) + "\n";
    out += "corphub_db_connections{backend=\"" + backend + "\",state=\"in_use\"} " +
           std::to_string(s.in_use) + "\n";
    out += "corphub_db_connections{backend=\"" + backend + "\",state=\"max\"} " +
           std::to_string(s.max) + "\n";
    out += "# HELP corphub_db_connection_waits_total Transactions that waited for a connection.\n";
    out += "# TYPE corphub_db_connection_waits_total counter\n";
    out += "corphub_db_connection_waits_total " + std::to_string(s.waits) + "\n";
    out += "# HELP corphub_db_connection_timeouts_total Waits for a connection that gave up.\n";
    out += "# TYPE corphub_db_connection_timeouts_total counter\n";
    out += "corphub_db_connection_timeouts_total " + std::to_string(s.timeouts) + "\n";
    out += "# HELP corphub_worker_pending Blocking jobs queued or running on the worker pool.\n";
    out += "# TYPE corphub_worker_pending gauge\n";
    out += "corphub_worker_pending " + std::to_string(pool.Pending()) + "\n";
  });
}

// Members written before the console's search keys existed get theirs, a batch at a time.
core::Status KeyMemberSearch(core::Transactor<directory::DirectoryUnit>& store) {
  for (;;) {
    auto done = core::WriteValue(
        store, [](directory::DirectoryUnit& u) { return u.Members().KeySearch(2000); });
    if (!done) return std::move(done).error();
    if (*done == 0) return core::Ok();
  }
}

}  // namespace

std::string Version() { return kVersion; }

int Serve(const config::Config& c, const ServeFlags& flags) {
  SetUpLogs(c);
  auto log = core::Logger("app");
  core::SystemClock clock;
  RandomIds ids;
  crypto::PasswordHasher hasher(crypto::PasswordParams::kInteractive);

  auto store = OpenAndMigrate(c);
  if (!store) return Fail(store.error());
  auto& db = **store;

  int io_threads = c.server.io_threads > 0 ? c.server.io_threads : DefaultIoThreads();
  int workers = c.server.worker_threads > 0 ? c.server.worker_threads : DefaultWorkerThreads();
  core::WorkerPool pool(static_cast<std::size_t>(workers));
  net::Metrics metrics;
  AddStoreMetrics(metrics, db, pool);

  net::Router router;
  api::AddSystemRoutes(router, {pool, metrics, clock, clock.Now(), kVersion,
                                std::string(db.Backend()), [&db] { return db.Ping(); }});
  api::AddCgiBinFallback(router);
  corp::TokenService tokens(db, clock, ids);
  api::AddCgiBinTokenRoutes(router, pool, tokens);
  // The directory. An app's token reads it only within the app's visible scope.
  apps::AppService apps(db, clock, ids);
  directory::ScopeResolver scopes(db);
  api::VisibilityResolver visibility(apps, scopes);
  api::CallLimits limits(
      {c.api.corp_calls_per_minute, c.api.corp_calls_per_hour, c.api.ip_calls_per_minute,
       c.api.ip_calls_per_hour, c.api.max_concurrent_calls},
      clock);
  // Every /cgi-bin route is held to the frequency limits and the apps' allowlists.
  const api::CgiBinDeps cgi_deps{pool, tokens, nullptr, &limits, &apps};
  const api::CgiBinDeps directory_deps{pool, tokens, &visibility, &limits, &apps};
  directory::DepartmentService departments(db, clock);
  api::AddCgiBinDepartmentRoutes(router, directory_deps, departments);
  directory::MemberService members(db, clock, ids, {c.directory.max_members});
  api::AddCgiBinUserRoutes(router, directory_deps, members);
  directory::TagService tags(db, clock);
  api::AddCgiBinTagRoutes(router, directory_deps, tags);
  media::LocalBlobStore blobs(fs::path(c.server.data_dir) / "media");
  media::MediaService media(db, blobs, clock, ids);
  api::AddCgiBinMediaRoutes(router, cgi_deps, media);
  api::AddCgiBinAgentRoutes(router, cgi_deps, apps, scopes, media);

  // Messaging: sends are stored by group commit, then handed to the stream hub.
  api::StreamHub hub(
      {static_cast<std::size_t>(c.stream.max_queue), std::chrono::seconds(c.stream.heartbeat_s)});
  messaging::SendService sends(db, hub, clock, ids);
  messaging::MemberCaps member_caps(c.api.member_messages_per_minute,
                                    c.api.member_messages_per_hour);
  sends.CapPerMember(&member_caps);
  messaging::InboxService inbox(db, hub, clock);
  // PostgreSQL keeps a new version of a row for each update: a batch that bumps the same members'
  // heads many times makes each later update walk a longer chain, so its batches stay smaller.
  messaging::Committer committer(db, 512, db.Backend() == "postgres" ? 8000 : 200000);
  metrics.AddProvider([&committer](std::string& out) {
    const auto s = committer.GetStats();
    auto counter = [&out](const char* name, const char* help, const std::string& value) {
      out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
             " " + value + "\n";
    };
    counter("corphub_group_commit_batches_total", "Transactions the message writer committed.",
            std::to_string(s.batches));
    counter("corphub_group_commit_pieces_total", "Sends, recalls and reads those held.",
            std::to_string(s.pieces));
    counter("corphub_group_commit_rows_total", "Inbox rows they declared.",
            std::to_string(s.weight));
    counter("corphub_group_commit_retried_total", "Batches that failed and were retried alone.",
            std::to_string(s.retried));
    counter("corphub_group_commit_work_seconds_total", "Time running the pieces' statements.",
            std::to_string(static_cast<double>(s.work_ns) / 1e9));
    counter("corphub_group_commit_transaction_seconds_total",
            "Time in whole transactions, commit and fsync included.",
            std::to_string(static_cast<double>(s.transaction_ns) / 1e9));
  });
  messaging::ReceiptService receipts(db, clock);
  api::AddCgiBinMessageRoutes(router, cgi_deps, sends, receipts, committer, ids);
  messaging::ChatService chats(db, clock, ids);
  api::AddCgiBinAppchatRoutes(router, cgi_deps, chats, sends, committer);
  identity::MemberSessionService member_sessions(db, clock, ids);
  api::MemberRouteDeps member_deps{pool, member_sessions, inbox, apps, media, committer};
  api::AddMemberRoutes(router, member_deps);
  api::AddStreamRoutes(router, member_deps, hub, kVersion);

  // Sign-in: one-time codes by e-mail or SMS.
  const fs::path outbox = fs::path(c.server.data_dir) / "outbox";
  auto mailer =
      notify::MakeMailer({c.mail.driver, c.mail.smtp_url, c.mail.username, c.mail.password,
                          c.mail.from, c.mail.starttls, std::chrono::seconds(c.mail.timeout_s)},
                         outbox);
  if (!mailer) return Fail(mailer.error());
  auto sms = notify::MakeSmsSender({c.sms.driver, c.sms.url, c.sms.body, c.sms.content_type,
                                    c.sms.authorization, std::chrono::seconds(c.sms.timeout_s)},
                                   outbox);
  if (!sms) return Fail(sms.error());
  identity::VerificationService verification(
      db, clock, ids, members, **mailer, **sms,
      {std::chrono::seconds(c.identity.code_ttl_s), c.identity.code_attempts,
       std::chrono::seconds(c.identity.code_interval_s), c.identity.codes_per_day,
       c.identity.requests_per_hour});
  auto read_media = [&media](std::int64_t org_id,
                             std::string_view media_id) -> core::Result<std::string> {
    auto found = media.Get(org_id, media_id);
    if (!found) return std::move(found).error();
    return std::move(found->bytes);
  };
  directory::BatchService batches(db, clock, ids, members, read_media);
  jobs::JobRunner runner(db, clock, {});
  batches.StopWhen([&runner] { return runner.Stopping(); });
  runner.Handle(std::string(directory::kSyncUser),
                [&](const jobs::Job& j) { return batches.Run(j); });
  runner.Handle(std::string(directory::kReplaceUser),
                [&](const jobs::Job& j) { return batches.Run(j); });
  runner.Handle(std::string(directory::kReplaceParty),
                [&](const jobs::Job& j) { return batches.Run(j); });
  api::AddCgiBinBatchRoutes(router, cgi_deps, batches, [&runner] { runner.Notify(); });

  // The admin console's API. It manages the deployment's organisation, known further down.
  std::int64_t org_id = 0;
  admin::SessionService sessions(db, clock, ids, hasher);
  api::AdminDeps admin_deps{pool, sessions, org_id, scopes};
  api::AddAdminSessionRoutes(router, admin_deps);
  // An admin group's departments, tags and apps must exist.
  admin::GroupService admin_groups(
      db, clock, ids, hasher, [&scopes, &apps](const admin::AdminGroup& g) -> core::Status {
        CORPHUB_TRY(scopes.Exist(g.org_id, g.scope.department_ids, g.scope.tag_ids));
        for (const auto& a : g.apps) {
          auto found = apps.Find(g.org_id, a.agentid);
          if (!found) return std::move(found).error();
        }
        return core::Ok();
      });
  api::AddAdminAccessRoutes(router, admin_deps, admin_groups, clock);
  directory::ConsoleService console(db, members, tags);
  api::AddAdminDirectoryRoutes(router, admin_deps, departments, console);
  api::AddAdminMessageRoutes(router, admin_deps, apps, receipts);
  api::AddAdminAppRoutes(router, admin_deps, apps, tokens);
  // Callbacks: URLs verified when set; deliveries sent by their own thread.
  callback::Deliverer deliverer(
      db, scopes, clock, callback::MakeCurlSender(),
      {std::chrono::milliseconds(c.callback.timeout_ms),
       std::chrono::milliseconds(c.callback.retry_base_ms),
       std::chrono::milliseconds(c.callback.retry_max_ms), c.callback.max_attempts,
       static_cast<std::size_t>(c.callback.batch)});
  callback::CallbackService callbacks(
      db, clock, [] { return callback::MakeCurlSender(1); }, [&deliverer] { deliverer.Wake(); });
  api::AddAdminCallbackRoutes(router, admin_deps, callbacks);
  callback::MemberEventService member_events(db, scopes, clock, [&deliverer] { deliverer.Wake(); });
  api::AddMemberAppRoutes(router, {pool, member_sessions}, member_events);
  sso::SsoService sso(db, scopes, clock);
  api::AddSsoRoutes(router, cgi_deps, {pool, member_sessions}, sso);
  api::AddAdminSendRoutes(router, admin_deps, sends, committer, clock);
  identity::MemberPasswordService member_passwords(
      db, clock, ids, hasher, {5, std::chrono::minutes(15), c.identity.requests_per_hour});
  auto accounts = notify::MakeAccountChecker({c.identity.account_service_url,
                                              c.identity.account_service_authorization,
                                              std::chrono::seconds(c.mail.timeout_s)});
  if (!accounts) return Fail(accounts.error());
  verification.SetAccountChecker(accounts->get());
  api::AddMemberAuthRoutes(router, pool, verification, member_sessions, member_passwords, hub,
                           org_id, c.identity.account_service_label);
  // Invitations go out as a job; their link is the public URL, known once the port is.
  std::string public_url;
  identity::InvitationService invitations(db, clock, ids, members, tags, **mailer, **sms,
                                          public_url);
  runner.Handle(std::string(identity::kInviteJob),
                [&](const jobs::Job& j) { return invitations.Run(j); });
  api::AddCgiBinInviteRoutes(router, cgi_deps, invitations, [&runner] { runner.Notify(); });
  identity::RegistrationService registrations(db, clock, ids, members, invitations, **mailer, **sms,
                                              {c.identity.applications_per_hour, 1000});
  runner.Handle(std::string(identity::kRegistrationNoticeJob),
                [&](const jobs::Job& j) { return registrations.RunNotice(j); });
  api::AddRegistrationRoutes(router, admin_deps, registrations, [&runner] { runner.Notify(); });
  api::AddJoinQrcodeRoutes(router, cgi_deps, registrations, public_url, org_id);
  api::AddAdminIdentityRoutes(
      router, admin_deps,
      {verification, invitations, registrations, [&runner] { runner.Notify(); }, member_sessions,
       hub, (*mailer)->Enabled(), (*sms)->Enabled()});
  api::SessionWatch session_watch(hub, member_sessions,
                                  [&members, &org_id] { return members.Version(org_id); });
  directory::ImportService imports(db, clock, ids, members, departments, read_media,
                                   [&media](std::int64_t org, std::string_view filename,
                                            const std::string& bytes) -> core::Result<std::string> {
                                     auto stored = media.Upload(org, "file", filename,
                                                                "application/octet-stream", bytes);
                                     if (!stored) return std::move(stored).error();
                                     return std::move(stored->media_id);
                                   });
  imports.StopWhen([&runner] { return runner.Stopping(); });
  runner.Handle(std::string(directory::kConsoleImport),
                [&](const jobs::Job& j) { return imports.Run(j); });
  api::AddAdminImportRoutes(router, admin_deps, imports, clock, [&runner] { runner.Notify(); });
  api::AddPublicImageRoutes(router, pool, media, org_id);
  messaging::RetentionService retention(db, blobs, clock);
  retention.StopWhen([&runner] { return runner.Stopping(); });
  runner.Handle(std::string(messaging::kRetentionJob),
                [&](const jobs::Job& j) { return retention.Run(j); });
  diagnostics::ProbeService probes(db);
  if (c.testing.enabled) {
    log->warn("testing.enabled is on: test-only routes under /testing/ are open");
    api::AddTestingRoutes(router, pool, probes);
    api::AddTestingMemberRoutes(router, pool, member_sessions, org_id);
  }
  fs::path web = FindWebDir(c);
  std::error_code web_ec;
  if (!fs::exists(web / "member" / "index.html", web_ec)) {
    log->warn("web apps not found in {}: run `make web` or set web.dir", web.string());
  }
  auto files = std::make_shared<net::StaticFiles>(
      std::vector<net::StaticFiles::Mount>{{"/admin/", web / "admin"}, {"/", web / "member"}});
  router.SetFallback([files, &pool](net::Request& req) -> boost::asio::awaitable<net::Response> {
    std::string inm(req.Header("if-none-match"));
    bool head = req.method == "HEAD";
    co_return co_await core::Offload(pool, [&] { return files->Serve(req.path, inm, head); });
  });

  auto hp = config::ParseListen(c.server.listen);
  if (!hp) return Fail(hp.error());
  net::ServerOptions so;
  so.host = hp->host;
  so.port = hp->port;
  so.io_threads = io_threads;
  so.max_body_bytes = static_cast<std::uint64_t>(c.http.max_body_bytes);
  so.max_inflight_body_bytes = static_cast<std::uint64_t>(c.http.max_inflight_body_bytes);
  so.max_header_bytes = static_cast<unsigned>(c.http.max_header_bytes);
  so.read_timeout = std::chrono::seconds(c.http.read_timeout_s);
  so.idle_timeout = std::chrono::seconds(c.http.idle_timeout_s);
  so.shutdown_grace = std::chrono::seconds(c.http.shutdown_grace_s);
  so.max_connections = c.http.max_connections;
  so.tls_cert_file = c.tls.cert_file;
  so.tls_key_file = c.tls.key_file;
  so.access_log = c.log.access_log;
  net::Server server(so, router, metrics, pool);
  if (auto listening = server.Listen(); !listening) return Fail(listening.error());
  unsigned short port = server.Port();
  // Only once the port is ours: a first start that fails to listen must not use up the one
  // moment the generated password is shown.
  admin::AdminService admins(db, clock, ids, hasher);
  auto first = admins.EnsureFirstSuperAdmin();
  if (!first) return Fail(first.error());
  corp::CorpService corps(db, clock, ids);
  auto org = corps.EnsureDefault();
  if (!org) return Fail(org.error());
  if (auto root = departments.EnsureRoot(org->id, org->name); !root) return Fail(root.error());
  org_id = org->id;
  if (auto keyed = KeyMemberSearch(db); !keyed) return Fail(keyed.error());
  if (flags.port_file) {
    if (auto written = WritePortFile(*flags.port_file, port); !written) {
      return Fail(written.error());
    }
  }

  std::string url = PublicUrl(c, *hp, port, server.Secure());
  public_url = url;
  std::cout << "corphub " << kVersion << " is running: " << db.Describe() << "\n";
  if (first->has_value()) {
    std::cout << "First super admin created. Sign in with  username: " << (*first)->username
              << "  password: " << (*first)->password
              << "\n  (shown only this once; change it after signing in)\n";
  }
  std::cout << "Organisation corpid: " << org->corpid
            << "  (`corphub corp show` prints the contacts-sync secret)\n"
            << "Member client:  " << url << "/\n"
            << "Admin console:  " << url << "/admin/\n"
            << "Listening on " << c.server.listen << " (port " << port << "); Ctrl-C stops."
            << std::endl;
  if (c.mail.driver == "file" || c.sms.driver == "file") {
    std::cout << "Members' sign-in codes and invitations are written to " << outbox.string()
              << "/ (set [mail] and [sms] in the config to send them)" << std::endl;
  }
  log->info("listening on port {} ({} I/O threads, {} workers, storage {})", port, io_threads,
            workers, db.Describe());

  committer.Start();
  runner.Start();
  deliverer.Start();
  session_watch.Start();
  // Expired messages go once an hour (the job's id is the hour's, so nodes queue it once).
  std::jthread retention_clock([&](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    while (!stop.stop_requested()) {
      auto queued = retention.Schedule(org_id);
      if (!queued) log->warn("cannot queue the retention job: {}", queued.error().message);
      if (queued && *queued) runner.Notify();
      cv.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
    }
  });
  server.Run();
  retention_clock.request_stop();
  retention_clock.join();
  session_watch.Stop();
  deliverer.Stop();  // a round in flight finishes; what it leased is sent again after the lease
  runner.Stop();     // the job in hand stops at its next checkpoint and resumes at the next start
  committer.Stop();  // what handlers queued is written before the pool goes
  pool.Stop();
  log->info("stopped");
  core::ShutDownLogging();
  return kExitOk;
}

}  // namespace corphub::app
