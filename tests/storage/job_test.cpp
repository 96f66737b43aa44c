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
