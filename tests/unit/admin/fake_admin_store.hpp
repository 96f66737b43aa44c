// Test-only: an in-memory AdminRepository behind a Transactor that commits a Write only when its
// function returns ok (state is copied in and copied back), with hooks to inject failures.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "admin/admin_repository.hpp"
#include "core/transactor.hpp"

namespace corphub::admin::test_support {

struct AdminState {
  std::vector<AdminAccount> accounts;
  std::int64_t next_id = 1;
  std::vector<AdminSession> sessions;
  std::int64_t next_session_id = 1;
  struct RecoveryCode {
    std::int64_t admin_id = 0;
    std::string hash;
    bool used = false;
  };
  std::vector<RecoveryCode> recovery;
  std::vector<core::AuditRecord> audit;
  std::vector<AdminGroup> groups;  // admin_ids filled
  std::int64_t next_group_id = 1;
};

struct Faults {
  std::optional<core::Error> count;   // Count() fails with this
  std::optional<core::Error> insert;  // Insert() fails with this
  // Runs at the start of each Write with the committed state: another process committing first.
  std::function<void(AdminState&)> before_write;
};

class FakeAdminRepository final : public AdminRepository {
 public:
  FakeAdminRepository(AdminState& state, const Faults& faults) : state_(state), faults_(faults) {}

  core::Result<std::int64_t> Insert(const AdminAccount& account) override {
    ++inserts;
    if (faults_.insert) return *faults_.insert;
    for (const auto& a : state_.accounts) {
      if (a.username == account.username) {
        return core::MakeError(core::ErrorKind::kAlreadyExists, "admin_accounts.username");
      }
    }
    AdminAccount stored = account;
    stored.id = state_.next_id++;
    state_.accounts.push_back(stored);
    return stored.id;
  }

  core::Result<std::optional<AdminAccount>> FindByUsername(std::string_view username) override {
    for (const auto& a : state_.accounts) {
      if (a.username == username) return std::optional<AdminAccount>(a);
    }
    return std::optional<AdminAccount>{};
  }

  core::Result<std::int64_t> Count() override {
    if (faults_.count) return *faults_.count;
    return static_cast<std::int64_t>(state_.accounts.size());
  }

  core::Result<std::optional<AdminAccount>> FindById(std::int64_t id) override {
    for (const auto& a : state_.accounts) {
      if (a.id == id) return std::optional<AdminAccount>(a);
    }
    return std::optional<AdminAccount>{};
  }

  core::Result<std::vector<AdminAccount>> List() override {
    auto out = state_.accounts;
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.username < b.username; });
    return out;
  }

  core::Result<std::int64_t> CountSupers() override {
    std::int64_t n = 0;
    for (const auto& a : state_.accounts) n += a.role == AdminRole::kSuper ? 1 : 0;
    return n;
  }

  core::Status SetPassword(const AdminAccount& account) override {
    for (auto& a : state_.accounts) {
      if (a.id == account.id) {
        a.password_hash = account.password_hash;
        a.must_change_password = account.must_change_password;
        return core::Ok();
      }
    }
    return core::MakeError(core::ErrorKind::kNotFound, "admin");
  }

  core::Status SetRole(const AdminAccount& account) override {
    for (auto& a : state_.accounts) {
      if (a.id == account.id) {
        a.role = account.role;
        return core::Ok();
      }
    }
    return core::MakeError(core::ErrorKind::kNotFound, "admin");
  }

  core::Status Delete(std::int64_t id) override {
    if (std::erase_if(state_.accounts, [&](const auto& a) { return a.id == id; }) == 0) {
      return core::MakeError(core::ErrorKind::kNotFound, "admin");
    }
    std::erase_if(state_.sessions, [&](const auto& s) { return s.admin_id == id; });
    for (auto& g : state_.groups) std::erase(g.admin_ids, id);
    return core::Ok();
  }

  core::Status DeleteSessionsOf(std::int64_t admin_id, std::int64_t except_id) override {
    std::erase_if(state_.sessions,
                  [&](const auto& s) { return s.admin_id == admin_id && s.id != except_id; });
    return core::Ok();
  }

  core::Status InsertGroup(AdminGroup& group) override {
    for (const auto& g : state_.groups) {
      if (g.org_id == group.org_id && g.name == group.name) {
        return core::MakeError(core::ErrorKind::kAlreadyExists, "admin_groups.name");
      }
    }
    group.id = state_.next_group_id++;
    AdminGroup stored = group;
    stored.admin_ids.clear();
    state_.groups.push_back(stored);
    return core::Ok();
  }

  core::Status UpdateGroup(const AdminGroup& group) override {
    for (auto& g : state_.groups) {
      if (g.id != group.id && g.org_id == group.org_id && g.name == group.name) {
        return core::MakeError(core::ErrorKind::kAlreadyExists, "admin_groups.name");
      }
    }
    for (auto& g : state_.groups) {
      if (g.id == group.id && g.org_id == group.org_id) {
        auto admins = g.admin_ids;
        g = group;
        g.admin_ids = admins;
        return core::Ok();
      }
    }
    return core::MakeError(core::ErrorKind::kNotFound, "admin group");
  }

  core::Status DeleteGroup(std::int64_t org_id, std::int64_t id) override {
    if (std::erase_if(state_.groups,
                      [&](const auto& g) { return g.org_id == org_id && g.id == id; }) == 0) {
      return core::MakeError(core::ErrorKind::kNotFound, "admin group");
    }
    return core::Ok();
  }

  core::Result<std::vector<AdminGroup>> Groups(std::int64_t org_id) override {
    std::vector<AdminGroup> out;
    for (const auto& g : state_.groups) {
      if (g.org_id == org_id) out.push_back(g);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }

  core::Result<std::vector<AdminGroup>> GroupsOf(std::int64_t admin_id) override {
    std::vector<AdminGroup> out;
    for (const auto& g : state_.groups) {
      if (std::find(g.admin_ids.begin(), g.admin_ids.end(), admin_id) != g.admin_ids.end()) {
        out.push_back(g);
      }
    }
    return out;
  }

  core::Status SetGroupsOf(std::int64_t admin_id, const std::vector<std::int64_t>& ids) override {
    for (auto& g : state_.groups) {
      std::erase(g.admin_ids, admin_id);
      if (std::find(ids.begin(), ids.end(), g.id) != ids.end()) {
        g.admin_ids.push_back(admin_id);
        std::sort(g.admin_ids.begin(), g.admin_ids.end());
      }
    }
    return core::Ok();
  }

  core::Status SetLoginState(const AdminAccount& account) override {
    for (auto& a : state_.accounts) {
      if (a.id == account.id) {
        a.failed_logins = account.failed_logins;
        a.locked_until = account.locked_until;
        return core::Ok();
      }
    }
    return core::MakeError(core::ErrorKind::kNotFound, "admin");
  }

  core::Status SetTotp(const AdminAccount& account) override {
    for (auto& a : state_.accounts) {
      if (a.id == account.id) {
        a.totp_secret = account.totp_secret;
        a.totp_pending = account.totp_pending;
        a.totp_last_step = account.totp_last_step;
        return core::Ok();
      }
    }
    return core::MakeError(core::ErrorKind::kNotFound, "admin");
  }

  core::Status ReplaceRecoveryCodes(std::int64_t admin_id,
                                    const std::vector<std::string>& hashes) override {
    std::erase_if(state_.recovery, [&](const auto& c) { return c.admin_id == admin_id; });
    for (const auto& h : hashes) state_.recovery.push_back({admin_id, h, false});
    return core::Ok();
  }

  core::Result<bool> UseRecoveryCode(std::int64_t admin_id, std::string_view hash,
                                     core::TimePoint) override {
    for (auto& c : state_.recovery) {
      if (c.admin_id == admin_id && c.hash == hash && !c.used) {
        c.used = true;
        return true;
      }
    }
    return false;
  }

  core::Result<std::int64_t> RecoveryCodesLeft(std::int64_t admin_id) override {
    std::int64_t n = 0;
    for (const auto& c : state_.recovery) n += c.admin_id == admin_id && !c.used ? 1 : 0;
    return n;
  }

  core::Status InsertSession(AdminSession& session) override {
    session.id = state_.next_session_id++;
    AdminSession stored = session;
    stored.admin = {};
    state_.sessions.push_back(stored);
    return core::Ok();
  }

  core::Result<std::optional<AdminSession>> FindSession(std::string_view token_hash) override {
    for (const auto& s : state_.sessions) {
      if (s.token_hash != token_hash) continue;
      AdminSession out = s;
      for (const auto& a : state_.accounts) {
        if (a.id == s.admin_id) out.admin = a;
      }
      return std::optional<AdminSession>(out);
    }
    return std::optional<AdminSession>{};
  }

  core::Status TouchSession(std::int64_t id, core::TimePoint last_seen_at) override {
    for (auto& s : state_.sessions) {
      if (s.id == id) s.last_seen_at = last_seen_at;
    }
    return core::Ok();
  }

  core::Status DeleteSession(std::int64_t id) override {
    std::erase_if(state_.sessions, [&](const AdminSession& s) { return s.id == id; });
    return core::Ok();
  }

  core::Result<std::int64_t> DeleteExpiredSessions(core::TimePoint now,
                                                   core::TimePoint idle_since) override {
    return static_cast<std::int64_t>(std::erase_if(state_.sessions, [&](const AdminSession& s) {
      return s.expires_at <= now || s.last_seen_at <= idle_since;
    }));
  }

  int inserts = 0;

 private:
  AdminState& state_;
  const Faults& faults_;
};

class FakeAuditLog final : public core::AuditLog {
 public:
  explicit FakeAuditLog(AdminState& state) : state_(state) {}
  core::Status Append(const core::AuditRecord& record) override {
    state_.audit.push_back(record);
    return core::Ok();
  }
  core::Status AppendMany(const std::vector<core::AuditRecord>& records) override {
    for (const auto& r : records) state_.audit.push_back(r);
    return core::Ok();
  }
  core::Result<std::vector<core::AuditEntry>> List(const core::AuditQuery&) override {
    return std::vector<core::AuditEntry>{};
  }

 private:
  AdminState& state_;
};

class FakeAdminUnit final : public AdminUnit {
 public:
  FakeAdminUnit(AdminState& state, const Faults& faults) : repo_(state, faults), audit_(state) {}
  AdminRepository& Admins() override { return repo_; }
  core::AuditLog& Audit() override { return audit_; }
  int Inserts() const { return repo_.inserts; }

 private:
  FakeAdminRepository repo_;
  FakeAuditLog audit_;
};

class FakeAdminStore final : public core::Transactor<AdminUnit> {
 public:
  core::Status Write(const std::function<core::Status(AdminUnit&)>& fn) override {
    ++writes;
    if (faults.before_write) faults.before_write(committed);
    AdminState working = committed;
    FakeAdminUnit unit(working, faults);
    core::Status status = fn(unit);  // an exception leaves `committed` untouched as well
    inserts += unit.Inserts();
    if (status.ok()) committed = std::move(working);
    return status;
  }

  core::Status Read(const std::function<core::Status(AdminUnit&)>& fn) override {
    ++reads;
    AdminState snapshot = committed;  // whatever fn does is discarded
    FakeAdminUnit unit(snapshot, faults);
    return fn(unit);
  }

  const AdminAccount* Find(std::string_view username) const {
    for (const auto& a : committed.accounts) {
      if (a.username == username) return &a;
    }
    return nullptr;
  }

  AdminState committed;
  Faults faults;
  int writes = 0;
  int reads = 0;
  int inserts = 0;
};

}  // namespace corphub::admin::test_support
