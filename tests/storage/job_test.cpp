// Durable jobs and the batch import over every backend: the runner's lease and retries, and a
// batch job that resumes from its checkpoint after a crash without applying a row twice.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "directory/batch_service.hpp"
#include "directory/member_service.hpp"
#include "jobs/job_runner.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using jobs::Job;
using jobs::JobRunner;
using jobs::JobStatus;

class JobTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    directory::DepartmentService departments(*store_, clock_);
    ASSERT_TRUE(departments.EnsureRoot(org_.id, "总公司").ok());
    members_ = std::make_unique<directory::MemberService>(*store_, clock_, ids_,
                                                          directory::MemberLimits{});
    batches_ = std::make_unique<directory::BatchService>(
        *store_, clock_, ids_, *members_,
        [this](std::int64_t, std::string_view id) -> core::Result<std::string> {
          if (id != "the-file") {
            return core::MakeError(ErrorKind::kInvalidMediaId, "no such media_id");
          }
          return file_;
        });
  }

  core::Transactor<jobs::JobUnit>& JobStore() { return *store_; }
  core::Transactor<directory::DirectoryUnit>& DirectoryStore() { return *store_; }

  Job MustFind(const std::string& jobid) {
    std::optional<Job> out;
    EXPECT_TRUE(JobStore()
                    .Read([&](jobs::JobUnit& u) -> core::Status {
                      auto j = u.Jobs().FindByJobid(org_.id, jobid);
                      if (!j) return std::move(j).error();
                      out = std::move(*j);
                      return core::Ok();
                    })
                    .ok());
    EXPECT_TRUE(out.has_value()) << jobid;
    return out.value_or(Job{});
  }

  std::vector<std::string> Userids() {
    std::vector<std::string> out;
    auto page = members_->ListIds(org_.id, "", 10000);
    EXPECT_TRUE(page.ok());
    if (page.ok()) {
      for (const auto& e : page->entries) out.push_back(e.userid);
    }
    return out;
  }

  // A file of n members u0..u(n-1) in the root department.
  static std::string UserFile(int n) {
    std::string csv = "姓名,帐号,手机号\n";
    for (int i = 0; i < n; ++i) {
      csv += "成员" + std::to_string(i) + ",u" + std::to_string(i) + ",139" +
             std::to_string(10000000 + i) + "\n";
    }
    return csv;
  }

  std::unique_ptr<directory::MemberService> members_;
  std::unique_ptr<directory::BatchService> batches_;
  std::string file_;
};

TEST_P(JobTest, ARunnerRunsQueuedJobsAndFinishesFailedOnesWithTheirCode) {
  file_ = UserFile(3);
  auto ok = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(MustFind(*ok).status, JobStatus::kQueued);
  EXPECT_EQ(MustFind(*ok).total, 3);

  JobRunner runner(*store_, clock_, {});
  runner.Handle("sync_user", [&](const Job& j) { return batches_->Run(j); });
  runner.Handle("failing", [](const Job&) -> core::Status {
    return core::MakeError(ErrorKind::kMassDeletion, "too many");
  });
  Job failing;
  failing.org_id = org_.id;
  failing.jobid = "failing-job";
  failing.type = "failing";
  failing.created_at = failing.updated_at = clock_.Now();
  ASSERT_TRUE(JobStore().Write([&](jobs::JobUnit& u) { return u.Jobs().Insert(failing); }).ok());

  runner.RunPending();
  const Job done = MustFind(*ok);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  EXPECT_EQ(done.done, 3);
  EXPECT_EQ(done.Percentage(), 100);
  EXPECT_EQ(done.errcode, 0);
  EXPECT_EQ(Userids(), (std::vector<std::string>{"u0", "u1", "u2"}));
  const Job failed = MustFind("failing-job");
  EXPECT_EQ(failed.status, JobStatus::kFinished);
  EXPECT_EQ(failed.errcode, 45026);
  EXPECT_EQ(failed.errmsg, "too many");
}

TEST_P(JobTest, AJobWhoseRunnerDiedIsClaimedAgainOnlyOnceItsLeaseHasRunOut) {
  file_ = UserFile(2);
  auto jobid = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  ASSERT_TRUE(jobid.ok());
  int runs = 0;
  JobRunner dying(*store_, clock_, {});
  // kUnavailable leaves the job running under its lease, as a crash would.
  dying.Handle("sync_user", [&](const Job&) -> core::Status {
    ++runs;
    return core::MakeError(ErrorKind::kUnavailable, "the runner died");
  });
  dying.RunPending();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(MustFind(*jobid).status, JobStatus::kRunning);
  dying.RunPending();  // still leased: nobody takes it
  EXPECT_EQ(runs, 1);

  clock_.Set(clock_.Now() + std::chrono::seconds(121));
  JobRunner next(*store_, clock_, {});
  next.Handle("sync_user", [&](const Job& j) { return batches_->Run(j); });
  next.RunPending();
  const Job done = MustFind(*jobid);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  EXPECT_EQ(done.attempts, 2);
  EXPECT_EQ(Userids().size(), 2u);
}

TEST_P(JobTest, AStoppingRunnerQueuesTheJobAgainAtItsCheckpointWithoutWaitingForTheLease) {
  const int rows = static_cast<int>(directory::BatchService::kChunkRows) + 20;
  file_ = UserFile(rows);
  auto jobid = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  ASSERT_TRUE(jobid.ok());
  bool stopping = true;  // asked after each chunk: every run does one chunk and gives way
  batches_->StopWhen([&] { return stopping; });
  JobRunner runner(*store_, clock_, {});
  std::vector<std::int64_t> resumed_from;
  runner.Handle("sync_user", [&](const Job& j) {
    resumed_from.push_back(j.done);
    return batches_->Run(j);
  });
  runner.RunPending();  // the clock stands still: no lease runs out in between
  EXPECT_EQ(resumed_from, (std::vector<std::int64_t>{
                              0, static_cast<std::int64_t>(directory::BatchService::kChunkRows)}));
  const Job done = MustFind(*jobid);
  EXPECT_EQ(done.status, JobStatus::kFinished);
  EXPECT_EQ(done.attempts, 1) << "an orderly stop is no failed attempt";
  EXPECT_EQ(Userids().size(), static_cast<std::size_t>(rows));
  auto result = batches_->Result(org_.id, *jobid);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->results_json.size(), static_cast<std::size_t>(rows));
}

TEST_P(JobTest, AJobThatKeepsFailingIsGivenUp) {
  file_ = UserFile(1);
  auto jobid = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  ASSERT_TRUE(jobid.ok());
  jobs::JobRunnerOptions options;
  options.max_attempts = 2;
  JobRunner runner(*store_, clock_, options);
  runner.Handle("sync_user", [&](const Job&) -> core::Status {
    return core::MakeError(ErrorKind::kUnavailable, "down");
  });
  for (int i = 0; i < 3; ++i) {
    runner.RunPending();
    clock_.Set(clock_.Now() + std::chrono::seconds(121));
  }
  const Job j = MustFind(*jobid);
  EXPECT_EQ(j.status, JobStatus::kFinished);
  EXPECT_EQ(j.errcode, -1);
  EXPECT_TRUE(Userids().empty());
}

TEST_P(JobTest, ABatchResumesFromItsCheckpointAndAppliesNoRowTwice) {
  const int rows = static_cast<int>(directory::BatchService::kChunkRows) + 20;
  file_ = UserFile(rows);
  auto jobid = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  ASSERT_TRUE(jobid.ok());
  // A crash after the first chunk leaves its rows, results and checkpoint committed together.
  // Make that state: run the job over the first chunk's rows alone (which commits them and
  // marks it finished), then put it back as a crashed runner leaves it: running, checkpoint at
  // one chunk.
  {
    std::string first_chunk = UserFile(static_cast<int>(directory::BatchService::kChunkRows));
    std::swap(file_, first_chunk);
    ASSERT_TRUE(batches_->Run(MustFind(*jobid)).ok());
    std::swap(file_, first_chunk);
  }
  ASSERT_TRUE(JobStore()
                  .Write([&](jobs::JobUnit& u) -> core::Status {
                    auto j = u.Jobs().FindByJobid(org_.id, *jobid);
                    if (!j || !*j) return core::MakeError(ErrorKind::kInternal, "gone");
                    Job back = **j;
                    back.status = JobStatus::kRunning;
                    back.finished_at.reset();
                    back.done = static_cast<std::int64_t>(directory::BatchService::kChunkRows);
                    return u.Jobs().Update(back);
                  })
                  .ok());
  // The events so far, to count what the resumed run adds.
  auto events_before = [&] {
    std::size_t n = 0;
    EXPECT_TRUE(DirectoryStore()
                    .Read([&](directory::DirectoryUnit& u) -> core::Status {
                      auto e = u.ContactEvents().After(org_.id, 0, 100000);
                      if (!e) return std::move(e).error();
                      n = e->size();
                      return core::Ok();
                    })
                    .ok());
    return n;
  };
  const std::size_t before = events_before();
  ASSERT_TRUE(batches_->Run(MustFind(*jobid)).ok());
  EXPECT_EQ(events_before() - before, 20u) << "only the rows after the checkpoint are applied";
  auto result = batches_->Result(org_.id, *jobid);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->job.status, JobStatus::kFinished);
  EXPECT_EQ(result->results_json.size(), static_cast<std::size_t>(rows));
  for (const auto& r : result->results_json)
    EXPECT_NE(r.find("\"errcode\":0"), std::string::npos) << r;
  EXPECT_EQ(Userids().size(), static_cast<std::size_t>(rows));
}

TEST_P(JobTest, CreatingManyChecksEachRowAgainstTheStoreAndTheRowsBeforeIt) {
  // One member in the store already.
  directory::NewMember boss{"Boss", {}};
  boss.fields.name = "老板";
  boss.fields.mobile = "13900000000";
  boss.fields.departments = std::vector<std::int64_t>{1};
  ASSERT_TRUE(members_->Create(actor_, org_.id, boss).ok());

  auto person = [](std::string userid, std::string mobile) {
    directory::NewMember m{std::move(userid), {}};
    m.fields.name = "成员";
    m.fields.mobile = std::move(mobile);
    m.fields.departments = std::vector<std::int64_t>{1};
    return m;
  };
  std::vector<directory::NewMember> rows;
  rows.push_back(person("a", "13800000001"));    // ok
  rows.push_back(person("b", "138-0000-0001"));  // a's mobile, written otherwise
  rows.push_back(person("c", "13800000003"));    // ok, led by a (same batch) and Boss
  rows.back().fields.direct_leaders = std::vector<std::string>{"A", "boss"};
  rows.push_back(person("d", "13800000004"));  // an unknown department
  rows.back().fields.departments = std::vector<std::int64_t>{99};
  rows.push_back(person("BOSS", "13800000005"));  // the userid is taken, ignoring case
  rows.push_back(person("f", "not a mobile"));    // malformed
  rows.push_back(person("g", "13900000000"));     // Boss's mobile
  rows.push_back(person("h", "13800000008"));     // ok, led by someone nobody knows
  rows.back().fields.direct_leaders = std::vector<std::string>{"nobody"};

  std::vector<core::Status> outcomes;
  std::size_t events = 0;
  ASSERT_TRUE(DirectoryStore()
                  .Write([&](directory::DirectoryUnit& u) -> core::Status {
                    CORPHUB_TRY(u.Departments().LockTree(org_.id));
                    outcomes = members_->CreateManyIn(u, actor_, org_.id, rows);
                    auto e = u.ContactEvents().After(org_.id, 0, 1000);
                    if (!e) return std::move(e).error();
                    events = e->size();
                    return core::Ok();
                  })
                  .ok());
  ASSERT_EQ(outcomes.size(), rows.size());
  auto kind = [&](std::size_t i) {
    return outcomes[i].ok() ? std::optional<ErrorKind>() : outcomes[i].error().kind;
  };
  EXPECT_EQ(kind(0), std::nullopt);
  EXPECT_EQ(kind(1), ErrorKind::kMobileExists);
  EXPECT_EQ(kind(2), std::nullopt);
  EXPECT_EQ(kind(3), ErrorKind::kDepartmentNotFound);
  EXPECT_EQ(kind(4), ErrorKind::kUserIdExists);
  EXPECT_EQ(kind(5), ErrorKind::kMobileInvalid);
  EXPECT_EQ(kind(6), ErrorKind::kMobileExists);
  EXPECT_EQ(kind(7), ErrorKind::kUserNotFound);
  EXPECT_EQ(events, 1u + 2u) << "Boss's create_user and one per member created here";

  auto c = members_->Get(org_.id, "c");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->direct_leaders, (std::vector<std::string>{"a", "Boss"}))
      << "leaders take the spelling they were created with";
  EXPECT_EQ(Userids(), (std::vector<std::string>{"Boss", "a", "c"}));
  auto by_mobile = members_->UseridByMobile(org_.id, "13800000001");
  ASSERT_TRUE(by_mobile.ok());
  EXPECT_EQ(*by_mobile, "a");
}

TEST_P(JobTest, ABadFileIsRefusedAtSubmitAndQueuesNothing) {
  file_ = "account,mobile\nzhangsan,13800000000\n";
  auto r = batches_->Submit(actor_, org_.id, directory::kSyncUser, "the-file", "{}");
  EXPECT_EQ(r.ok() ? std::optional<ErrorKind>() : r.error().kind, ErrorKind::kBatchFileInvalid);
  file_ = std::string("\x00\x01\x02garbage", 10);
  r = batches_->Submit(actor_, org_.id, directory::kReplaceParty, "the-file", "{}");
  EXPECT_EQ(r.ok() ? std::optional<ErrorKind>() : r.error().kind, ErrorKind::kBatchFileInvalid);
  r = batches_->Submit(actor_, org_.id, directory::kSyncUser, "another", "{}");
  EXPECT_EQ(r.ok() ? std::optional<ErrorKind>() : r.error().kind, ErrorKind::kInvalidMediaId);
  bool any = true;
  ASSERT_TRUE(JobStore()
                  .Read([&](jobs::JobUnit& u) -> core::Status {
                    auto next = u.Jobs().NextRunnable(clock_.Now());
                    if (!next) return std::move(next).error();
                    any = next->has_value();
                    return core::Ok();
                  })
                  .ok());
  EXPECT_FALSE(any);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
