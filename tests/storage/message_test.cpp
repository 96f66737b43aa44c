// Messaging over every backend: sends resolved and stored by group commit, each recipient's
// event sequence, reads, recalls, duplicate checks and the member side's reads
// (docs/wecom-api.md "Messages", docs/member-api.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "apps/app_service.hpp"
#include "corp/token_service.hpp"
#include "directory/department_service.hpp"
#include "directory/member_service.hpp"
#include "directory/tag_service.hpp"
#include "jobs/job_runner.hpp"
#include "media/local_blob_store.hpp"
#include "messaging/chat_service.hpp"
#include "messaging/inbox_service.hpp"
#include "messaging/receipt_service.hpp"
#include "messaging/retention_service.hpp"
#include "messaging/send_service.hpp"
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {
namespace {

using core::ErrorKind;
using messaging::Committer;
using messaging::Delivery;
using messaging::EventKind;
using messaging::InboxEvent;
using messaging::MsgType;
using messaging::SendRequest;
using messaging::Stored;
using messaging::Targets;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// What reached live delivery: per member, the seqs in the order published.
class RecordingSink final : public messaging::EventSink {
 public:
  void Publish(std::shared_ptr<const std::string> event, const std::vector<Delivery>& to) override {
    std::lock_guard lock(mu_);
    for (const auto& d : to) seqs_[d.member_id].push_back(d.seq);
    last_event_ = *event;
  }
  std::vector<std::int64_t> SeqsOf(std::int64_t member) {
    std::lock_guard lock(mu_);
    return seqs_[member];
  }
  std::vector<std::int64_t> Listening(const std::vector<std::int64_t>& members) override {
    return members;  // everyone listens: every number is checked
  }
  std::string LastEvent() {
    std::lock_guard lock(mu_);
    return last_event_;
  }

 private:
  std::mutex mu_;
  std::map<std::int64_t, std::vector<std::int64_t>> seqs_;
  std::string last_event_;
};

class MessageTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    departments_ = std::make_unique<directory::DepartmentService>(*store_, clock_);
    members_ = std::make_unique<directory::MemberService>(*store_, clock_, ids_,
                                                          directory::MemberLimits{});
    tags_ = std::make_unique<directory::TagService>(*store_, clock_);
    apps_ = std::make_unique<apps::AppService>(*store_, clock_, ids_);
    sends_ = std::make_unique<messaging::SendService>(*store_, sink_, clock_, ids_);
    inbox_ = std::make_unique<messaging::InboxService>(*store_, sink_, clock_);
    committer_ = std::make_unique<Committer>(*store_);
    ASSERT_TRUE(departments_->EnsureRoot(org_.id, "总公司").ok());
    rd_ = MustCreateDepartment("研发部", 1);
    backend_ = MustCreateDepartment("后端组", rd_);
    sales_ = MustCreateDepartment("市场部", 1);
    MustCreateMember("ZhangSan", {rd_});
    MustCreateMember("lisi", {backend_, rd_});
    MustCreateMember("wangwu", {sales_});
    auto app = apps_->Create(org_.id, "OA");
    ASSERT_TRUE(app.ok()) << app.error().message;
    agentid_ = app->app.agentid;
  }
  void TearDown() override {
    if (committer_) committer_->Stop();
  }

  std::int64_t MustCreateDepartment(const std::string& name, std::int64_t parent) {
    directory::NewDepartment d;
    d.name = name;
    d.parent_id = parent;
    auto id = departments_->Create(actor_, org_.id, d);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? *id : -1;
  }
  void MustCreateMember(const std::string& userid, std::vector<std::int64_t> departments) {
    directory::NewMember m;
    m.userid = userid;
    m.fields.name = userid;
    m.fields.departments = std::move(departments);
    m.fields.email = userid + "@example.com";
    auto s = members_->Create(actor_, org_.id, m);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  std::int64_t IdOf(const std::string& userid) {
    auto m = members_->Get(org_.id, userid);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->id : -1;
  }

  SendRequest Text(const std::string& touser, const std::string& toparty = "",
                   const std::string& totag = "", const std::string& content = "hello") {
    SendRequest r;
    r.org_id = org_.id;
    r.token_agentid = agentid_;
    r.agentid = agentid_;
    r.sender = "app:" + std::to_string(agentid_);
    auto t = Targets::Parse(touser, toparty, totag);
    EXPECT_TRUE(t.ok());
    r.targets = *t;
    r.content.type = MsgType::kText;
    r.content.body_json = "{\"content\":\"" + content + "\"}";
    r.content.preview = content;
    return r;
  }

  // Prepare and store, as message/send does; the stored outcome.
  core::Result<Stored> Send(const SendRequest& r) {
    auto prepared = sends_->Prepare(r);
    if (!prepared) return std::move(prepared).error();
    if (prepared->member_ids().empty()) {
      return core::MakeError(ErrorKind::kNoValidRecipient, "nobody");
    }
    auto send = std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
    auto out = std::make_shared<Stored>();
    CORPHUB_TRY(store_->Write(sends_->StoreWork(send, out)));
    sends_->Publish(*out, EventKind::kMessage);
    return *out;
  }

  // Inbox rows, counted directly (the inbox has no foreign keys: nothing may be left behind).
  std::int64_t InboxRows(const std::string& where, const Params& params) {
    std::int64_t count = -1;
    auto s = store_->ReadSql([&](Sql& sql) -> core::Status {
      auto rows = sql.Query("SELECT COUNT(*) FROM inbox WHERE " + where, params);
      if (!rows.ok()) return std::move(rows).error();
      count = rows->at(0).GetInt64(0);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return count;
  }

  std::vector<std::int64_t> Seqs(const std::string& userid) {
    auto events = inbox_->After(IdOf(userid), 0, 1000);
    EXPECT_TRUE(events.ok());
    std::vector<std::int64_t> out;
    if (events.ok()) {
      for (const auto& e : *events) out.push_back(e.seq);
    }
    return out;
  }

  RecordingSink sink_;
  std::unique_ptr<directory::DepartmentService> departments_;
  std::unique_ptr<directory::MemberService> members_;
  std::unique_ptr<directory::TagService> tags_;
  std::unique_ptr<apps::AppService> apps_;
  std::unique_ptr<messaging::SendService> sends_;
  std::unique_ptr<messaging::InboxService> inbox_;
  std::unique_ptr<Committer> committer_;
  std::int64_t rd_ = 0, backend_ = 0, sales_ = 0, agentid_ = 0;
};

TEST_P(MessageTest, AnAppSecretGetsATokenForItsApp) {
  corp::TokenService tokens(*store_, clock_, ids_);
  auto app = apps_->Create(org_.id, "ERP");
  ASSERT_TRUE(app.ok());
  auto token = tokens.Issue(org_.corpid, app->secret);
  ASSERT_TRUE(token.ok()) << token.error().message;
  auto who = tokens.Authenticate(token->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->agentid, app->app.agentid);
  EXPECT_EQ(who->principal, "app:" + std::to_string(app->app.agentid));
  EXPECT_EQ(app->app.agentid, agentid_ + 1);
  auto wrong = tokens.Issue(org_.corpid, app->secret + "x");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kInvalidSecret);
}

TEST_P(MessageTest, UsersAreFoundIgnoringCaseAndTheUnknownAreReportedLowercased) {
  auto prepared = sends_->Prepare(Text(" zhangsan | LiSi |Nobody|nobody"));
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  EXPECT_THAT(prepared->member_ids(), UnorderedElementsAre(IdOf("ZhangSan"), IdOf("lisi")));
  EXPECT_THAT(prepared->resolution.invalid_users, ElementsAre("nobody"));
}

TEST_P(MessageTest, UseridsWithQuotesAndBackslashesAreLookedUpAsThemselves) {
  auto prepared = sends_->Prepare(Text(R"(no"body|back\slash|{a,b}|zhangsan)"));
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  EXPECT_THAT(prepared->member_ids(), ElementsAre(IdOf("ZhangSan")));
  EXPECT_THAT(prepared->resolution.invalid_users,
              ElementsAre(R"(no"body)", R"(back\slash)", "{a,b}"));
}

TEST_P(MessageTest, ADepartmentReachesItsSubtreeOnceAndTagsReachTheirDepartments) {
  auto prepared = sends_->Prepare(Text("", std::to_string(rd_) + "|999|x"));
  ASSERT_TRUE(prepared.ok());
  EXPECT_THAT(prepared->member_ids(), UnorderedElementsAre(IdOf("ZhangSan"), IdOf("lisi")));
  EXPECT_THAT(prepared->resolution.invalid_parties, ElementsAre("999", "x"));

  auto tag = tags_->Create(actor_, org_.id, "经理", std::nullopt);
  ASSERT_TRUE(tag.ok());
  ASSERT_TRUE(tags_->AddTargets(actor_, org_.id, *tag, {"wangwu"}, {backend_}).ok());
  auto tagged = sends_->Prepare(Text("", "", std::to_string(*tag) + "|77"));
  ASSERT_TRUE(tagged.ok());
  EXPECT_THAT(tagged->member_ids(), UnorderedElementsAre(IdOf("wangwu"), IdOf("lisi")));
  EXPECT_THAT(tagged->resolution.invalid_tags, ElementsAre("77"));

  auto all = sends_->Prepare(Text("@all", "999", "77"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->member_ids().size(), 3u);
  EXPECT_TRUE(all->resolution.invalid_parties.empty()) << "@all ignores toparty";
}

TEST_P(MessageTest, EachRecipientGetsTheNextNumberOfItsOwnSequence) {
  ASSERT_TRUE(Send(Text("zhangsan|lisi")).ok());
  ASSERT_TRUE(Send(Text("lisi")).ok());
  auto third = Send(Text("zhangsan|lisi|wangwu"));
  ASSERT_TRUE(third.ok());
  EXPECT_THAT(Seqs("zhangsan"), ElementsAre(1, 2));
  EXPECT_THAT(Seqs("lisi"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Seqs("wangwu"), ElementsAre(1));
  EXPECT_THAT(sink_.SeqsOf(IdOf("lisi")), ElementsAre(1, 2, 3));
  auto last = inbox_->LastSeq(IdOf("lisi"));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 3);
}

TEST_P(MessageTest, ReadsAndRecallsAreNumberedEventsAndShowInTheConversation) {
  auto first = Send(Text("zhangsan", "", "", "one"));
  auto second = Send(Text("zhangsan", "", "", "two"));
  ASSERT_TRUE(first.ok() && second.ok());
  const std::int64_t me = IdOf("zhangsan");

  auto conversations = inbox_->Conversations(me);
  ASSERT_TRUE(conversations.ok());
  ASSERT_EQ(conversations->size(), 1u);
  EXPECT_EQ((*conversations)[0].agentid, agentid_);
  EXPECT_EQ((*conversations)[0].unread, 2);
  EXPECT_EQ((*conversations)[0].last.message.msgid, second->msgid);

  auto read = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(inbox_->MarkReadWork(me, agentid_, "", 1, read)).ok());
  EXPECT_EQ(read->msgid, first->msgid);
  EXPECT_EQ(read->appended, 1);
  inbox_->Publish(*read);
  EXPECT_THAT(sink_.SeqsOf(me), ElementsAre(1, 2, 3));
  auto again = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(inbox_->MarkReadWork(me, agentid_, "", 1, again)).ok());
  EXPECT_EQ(again->appended, 0) << "nothing new was read: no event";

  auto recall = sends_->PrepareRecall(org_.id, agentid_, second->msgid);
  ASSERT_TRUE(recall.ok()) << recall.error().message;
  auto recalled = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(sends_->RecallWork(*recall, recalled)).ok());
  EXPECT_EQ(recalled->appended, 1);
  sends_->Publish(*recalled, EventKind::kRecall);
  EXPECT_THAT(sink_.SeqsOf(me), ElementsAre(1, 2, 3, 4));

  auto events = inbox_->After(me, 0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<EventKind> kinds;
  for (const auto& e : *events) kinds.push_back(e.kind);
  EXPECT_THAT(kinds, ElementsAre(EventKind::kMessage, EventKind::kMessage, EventKind::kRead,
                                 EventKind::kRecall));
  auto page = inbox_->Page(me, agentid_, "", 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].message.msgid, second->msgid);  // newest first
  EXPECT_TRUE((*page)[0].message.recalled_at.has_value());
  EXPECT_TRUE((*page)[1].read_at.has_value());
  auto after = inbox_->Conversations(me);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[0].unread, 0) << "the recalled message is not unread";

  auto twice = sends_->PrepareRecall(org_.id, agentid_, second->msgid);
  ASSERT_TRUE(twice.ok());
  auto none = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(sends_->RecallWork(*twice, none)).ok());
  EXPECT_EQ(none->appended, 0);
}

TEST_P(MessageTest, RecallIsForTheSendingAppWithinADay) {
  auto sent = Send(Text("zhangsan"));
  ASSERT_TRUE(sent.ok());
  auto other = apps_->Create(org_.id, "ERP");
  ASSERT_TRUE(other.ok());
  auto foreign = sends_->PrepareRecall(org_.id, other->app.agentid, sent->msgid);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kInvalidMsgId);
  auto unknown = sends_->PrepareRecall(org_.id, agentid_, "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidMsgId);
  clock_.Advance(std::chrono::hours(24) + std::chrono::seconds(1));
  auto late = sends_->PrepareRecall(org_.id, agentid_, sent->msgid);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, ErrorKind::kRecallExpired);
}

TEST_P(MessageTest, AppChecksComeBeforeAnythingIsStored) {
  SendRequest r = Text("zhangsan");
  r.token_agentid = 0;
  auto contacts = sends_->Prepare(r);
  ASSERT_FALSE(contacts.ok());
  EXPECT_EQ(contacts.error().kind, ErrorKind::kApiForbidden);
  r = Text("zhangsan");
  r.agentid = 42;
  auto unknown = sends_->Prepare(r);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidAgentId);
  auto other = apps_->Create(org_.id, "ERP");
  ASSERT_TRUE(other.ok());
  r = Text("zhangsan");
  r.agentid = other->app.agentid;
  auto foreign = sends_->Prepare(r);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kAppPermissionDenied);
  r = Text("zhangsan");
  r.content.media.push_back({"no-such-media", "image"});
  auto media = sends_->Prepare(r);
  ASSERT_FALSE(media.ok());
  EXPECT_EQ(media.error().kind, ErrorKind::kInvalidMediaId);
  EXPECT_TRUE(Seqs("zhangsan").empty());
}

TEST_P(MessageTest, TheSameRequestWithinTheIntervalIsStoredOnce) {
  SendRequest r = Text("zhangsan");
  r.duplicate_check = true;
  r.dup_key = "k1";
  r.duplicate_interval = std::chrono::seconds(60);
  auto first = Send(r);
  auto second = Send(r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->msgid, second->msgid);
  EXPECT_TRUE(second->duplicate);
  EXPECT_THAT(Seqs("zhangsan"), ElementsAre(1));
  clock_.Advance(std::chrono::seconds(61));
  auto later = Send(r);
  ASSERT_TRUE(later.ok());
  EXPECT_NE(later->msgid, first->msgid);
  EXPECT_THAT(Seqs("zhangsan"), ElementsAre(1, 2));
}

TEST_P(MessageTest, AMemberDeletedAfterPreparingIsSkipped) {
  auto prepared = sends_->Prepare(Text("zhangsan|lisi"));
  ASSERT_TRUE(prepared.ok());
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "lisi").ok());
  auto send = std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
  auto out = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(sends_->StoreWork(send, out)).ok());
  EXPECT_EQ(out->appended, 1);
  EXPECT_THAT(Seqs("zhangsan"), ElementsAre(1));
}

TEST_P(MessageTest, GroupCommitStoresConcurrentSendsInFewerTransactionsWithoutGaps) {
  committer_->Start();
  constexpr int kSends = 60;
  std::vector<std::future<core::Status>> done;
  std::vector<std::shared_ptr<Stored>> outs;
  for (int i = 0; i < kSends; ++i) {
    auto prepared = sends_->Prepare(Text(i % 2 ? "zhangsan|lisi" : "lisi"));
    ASSERT_TRUE(prepared.ok());
    auto send = std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
    auto out = std::make_shared<Stored>();
    outs.push_back(out);
    auto promise = std::make_shared<std::promise<core::Status>>();
    done.push_back(promise->get_future());
    committer_->Submit(
        sends_->StoreWork(send, out),
        [promise](core::Status s) { promise->set_value(std::move(s)); }, 3);
  }
  for (auto& f : done) ASSERT_TRUE(f.get().ok());
  auto stats = committer_->GetStats();
  EXPECT_EQ(stats.pieces, static_cast<std::size_t>(kSends));
  EXPECT_LE(stats.batches, stats.pieces);
  std::vector<std::int64_t> expected;
  for (int i = 1; i <= kSends; ++i) expected.push_back(i);
  EXPECT_EQ(Seqs("lisi"), expected);
  EXPECT_EQ(Seqs("zhangsan").size(), static_cast<std::size_t>(kSends / 2));
}

TEST_P(MessageTest, OnlyARecipientSeesAMessagesMedia) {
  media::MediaInfo info;
  info.org_id = org_.id;
  info.media_id = "m1";
  info.type = "image";
  info.filename = "a.png";
  info.content_type = "image/png";
  info.size = 10;
  info.sha256 = "x";
  info.created_at = clock_.Now();
  info.expires_at = clock_.Now() + std::chrono::hours(72);
  core::Transactor<media::MediaUnit>& media_store = *store_;
  ASSERT_TRUE(media_store.Write([&](media::MediaUnit& u) { return u.Media().Insert(info); }).ok());
  SendRequest r = Text("zhangsan");
  r.content.type = MsgType::kImage;
  r.content.body_json = R"({"media_id":"m1"})";
  r.content.media.push_back({"m1", "image"});
  ASSERT_TRUE(Send(r).ok());
  auto mine = inbox_->MediaVisible(IdOf("zhangsan"), "m1");
  auto theirs = inbox_->MediaVisible(IdOf("lisi"), "m1");
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_TRUE(*mine);
  EXPECT_FALSE(*theirs);
}

TEST_P(MessageTest, RetentionDeletesExpiredMessagesAndKeepsTheSequenceGoing) {
  ASSERT_TRUE(Send(Text("zhangsan", "", "", "old")).ok());
  ASSERT_TRUE(Send(Text("lisi", "", "", "only one, soon gone")).ok());
  ASSERT_TRUE(Send(Text("lisi", "", "", "and another")).ok());
  SendRequest keep = Text("zhangsan", "", "", "kept");
  keep.keep_permanently = true;
  auto kept = Send(keep);
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(kept->message.expires_at.has_value());

  media::LocalBlobStore blobs(std::filesystem::path(options_.data_dir) / "retention-media");
  messaging::RetentionService retention(*store_, blobs, clock_);
  auto early = retention.Purge(nullptr);
  ASSERT_TRUE(early.ok()) << early.error().message;
  EXPECT_EQ(early->messages, 0);

  clock_.Advance(std::chrono::hours(24 * 5) + std::chrono::seconds(1));
  auto queued = retention.Schedule(org_.id);
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_TRUE(*queued);
  auto again = retention.Schedule(org_.id);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again) << "one job an hour";
  jobs::JobRunner runner(*store_, clock_, {});
  runner.Handle(std::string(messaging::kRetentionJob),
                [&](const jobs::Job& j) { return retention.Run(j); });
  runner.RunPending();

  auto page = inbox_->Page(IdOf("zhangsan"), agentid_, "", 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].message.msgid, kept->msgid);
  EXPECT_EQ(InboxRows("member_id = ?", {IdOf("zhangsan")}), 1) << "the expired one's row went too";
  ASSERT_TRUE(Send(Text("zhangsan", "", "", "new")).ok());
  EXPECT_THAT(Seqs("zhangsan"), ElementsAre(2, 3)) << "numbers are never reused";
  // Every row of lisi's went: the next number still follows the last one handed out.
  EXPECT_EQ(InboxRows("member_id = ?", {IdOf("lisi")}), 0);
  auto last = inbox_->LastSeq(IdOf("lisi"));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2);
  ASSERT_TRUE(Send(Text("lisi", "", "", "after the purge")).ok());
  EXPECT_THAT(Seqs("lisi"), ElementsAre(3));
}

TEST_P(MessageTest, AGroupChatIsItsOwnConversationOfItsMembers) {
  messaging::ChatService chats(*store_, clock_, ids_);
  messaging::NewChat chat;
  chat.name = "项目群";
  chat.userlist = {"ZhangSan", "lisi"};
  auto chatid = chats.Create(org_.id, agentid_, chat);
  ASSERT_TRUE(chatid.ok()) << chatid.error().message;
  auto info = chats.Get(org_.id, agentid_, *chatid);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->owner, "ZhangSan");
  EXPECT_THAT(info->userlist, UnorderedElementsAre("ZhangSan", "lisi"));

  auto other = apps_->Create(org_.id, "ERP");
  ASSERT_TRUE(other.ok());
  auto foreign = chats.Get(org_.id, other->app.agentid, *chatid);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kInvalidChatId);
  chat.userlist = {"zhangsan", "nobody"};
  auto unknown = chats.Create(org_.id, agentid_, chat);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidUserIdList);

  ASSERT_TRUE(Send(Text("zhangsan")).ok());
  messaging::Content content;
  content.type = MsgType::kText;
  content.body_json = R"({"content":"群消息"})";
  auto prepared = chats.PrepareSend(org_.id, agentid_, *chatid, content, 0, "app:x");
  ASSERT_TRUE(prepared.ok()) << prepared.error().message;
  auto send = std::make_shared<const messaging::PreparedSend>(std::move(prepared).value());
  auto out = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(sends_->StoreWork(send, out)).ok());
  EXPECT_EQ(out->appended, 2);

  auto conversations = inbox_->Conversations(IdOf("zhangsan"));
  ASSERT_TRUE(conversations.ok());
  ASSERT_EQ(conversations->size(), 2u);
  EXPECT_EQ((*conversations)[0].chatid, *chatid) << "newest first";
  EXPECT_EQ((*conversations)[0].chat_name, "项目群");
  EXPECT_EQ((*conversations)[1].chatid, "");
  auto page = inbox_->Page(IdOf("zhangsan"), agentid_, *chatid, 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].message.chatid, *chatid);

  auto read = std::make_shared<Stored>();
  ASSERT_TRUE(
      store_->Write(inbox_->MarkReadWork(IdOf("zhangsan"), agentid_, *chatid, 0, read)).ok());
  EXPECT_EQ(read->appended, 1);
  auto after = inbox_->Conversations(IdOf("zhangsan"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[1].unread, 1) << "reading the chat leaves the app's conversation unread";

  messaging::ChatChange change;
  change.chatid = *chatid;
  change.remove = {"lisi"};
  change.add = {"wangwu"};
  ASSERT_TRUE(chats.Update(org_.id, agentid_, change).ok());
  auto changed = chats.Get(org_.id, agentid_, *chatid);
  ASSERT_TRUE(changed.ok());
  EXPECT_THAT(changed->userlist, UnorderedElementsAre("ZhangSan", "wangwu"));
  change = {};
  change.chatid = *chatid;
  change.remove = {"zhangsan"};
  auto ownerless = chats.Update(org_.id, agentid_, change);
  ASSERT_FALSE(ownerless.ok());
  EXPECT_EQ(ownerless.error().kind, ErrorKind::kInvalidParameter);
}

TEST_P(MessageTest, DeletingAMemberTakesTheirInboxWithThem) {
  ASSERT_TRUE(Send(Text("zhangsan|lisi")).ok());
  ASSERT_TRUE(Send(Text("zhangsan")).ok());
  const std::int64_t gone = IdOf("zhangsan");
  EXPECT_EQ(InboxRows("member_id = ?", {gone}), 2);
  ASSERT_TRUE(members_->Delete(actor_, org_.id, "zhangsan").ok());
  EXPECT_EQ(InboxRows("member_id = ?", {gone}), 0);
  EXPECT_EQ(InboxRows("member_id = ?", {IdOf("lisi")}), 1) << "others keep theirs";
}

TEST_P(MessageTest, ReadStatusCountsAndPagesTheRecipientsWithTheirReadTimes) {
  auto sent = Send(Text("", std::to_string(rd_)));  // zhangsan and lisi
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  auto other = Send(Text("wangwu"));
  ASSERT_TRUE(other.ok());
  clock_.Advance(std::chrono::seconds(90));
  auto read = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(inbox_->MarkReadWork(IdOf("lisi"), agentid_, "", 0, read)).ok());

  messaging::ReceiptService receipts(*store_, clock_);
  auto all =
      receipts.ReadStatus(org_.id, agentid_, sent->msgid, messaging::ReceiptFilter::kAll, 0, 1000);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->stats.recipients, 2);
  EXPECT_EQ(all->stats.read, 1);
  ASSERT_EQ(all->receipts.size(), 2u);
  std::map<std::string, std::optional<core::TimePoint>> by_user;
  for (const auto& r : all->receipts) by_user[r.userid] = r.read_at;
  EXPECT_FALSE(by_user.at("ZhangSan").has_value());
  ASSERT_TRUE(by_user.at("lisi").has_value());
  EXPECT_EQ(*by_user.at("lisi"), clock_.Now());
  EXPECT_EQ(all->next_cursor, 0);

  auto unread =
      receipts.ReadStatus(org_.id, agentid_, sent->msgid, messaging::ReceiptFilter::kUnread, 0, 10);
  ASSERT_TRUE(unread.ok());
  ASSERT_EQ(unread->receipts.size(), 1u);
  EXPECT_EQ(unread->receipts[0].userid, "ZhangSan");
  auto only_read =
      receipts.ReadStatus(org_.id, agentid_, sent->msgid, messaging::ReceiptFilter::kRead, 0, 10);
  ASSERT_TRUE(only_read.ok());
  ASSERT_EQ(only_read->receipts.size(), 1u);
  EXPECT_EQ(only_read->receipts[0].userid, "lisi");

  // Pages of one: the cursor walks every recipient once.
  std::vector<std::string> walked;
  std::int64_t cursor = 0;
  for (int i = 0; i < 5; ++i) {
    auto page = receipts.ReadStatus(org_.id, agentid_, sent->msgid, messaging::ReceiptFilter::kAll,
                                    cursor, 1);
    ASSERT_TRUE(page.ok());
    for (const auto& r : page->receipts) walked.push_back(r.userid);
    cursor = page->next_cursor;
    if (cursor == 0) break;
  }
  EXPECT_THAT(walked, UnorderedElementsAre("ZhangSan", "lisi"));

  // Another app's message, or an unknown msgid, is 40058 for the app; the console sees all.
  auto second_app = apps_->Create(org_.id, "HR");
  ASSERT_TRUE(second_app.ok());
  auto foreign = receipts.ReadStatus(org_.id, second_app->app.agentid, sent->msgid,
                                     messaging::ReceiptFilter::kAll, 0, 10);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kInvalidMsgId);
  auto unknown =
      receipts.ReadStatus(org_.id, agentid_, "nope", messaging::ReceiptFilter::kAll, 0, 10);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidMsgId);
  auto console = receipts.ReadStatus(org_.id, std::nullopt, sent->msgid,
                                     messaging::ReceiptFilter::kAll, 0, 10);
  ASSERT_TRUE(console.ok());
  EXPECT_EQ(console->stats.recipients, 2);
}

TEST_P(MessageTest, AnAppsSentMessagesComeNewestFirstWithTheirCounts) {
  std::vector<std::string> msgids;
  for (int i = 0; i < 3; ++i) {
    auto sent = Send(Text("zhangsan|lisi", "", "", "n" + std::to_string(i)));
    ASSERT_TRUE(sent.ok());
    msgids.push_back(sent->msgid);
  }
  auto read = std::make_shared<Stored>();
  ASSERT_TRUE(store_->Write(inbox_->MarkReadWork(IdOf("zhangsan"), agentid_, "", 0, read)).ok());
  messaging::ReceiptService receipts(*store_, clock_);
  auto first = receipts.Sent(org_.id, agentid_, 0, 2);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].message.msgid, msgids[2]);
  EXPECT_EQ((*first)[1].message.msgid, msgids[1]);
  EXPECT_EQ((*first)[0].stats.recipients, 2);
  EXPECT_EQ((*first)[0].stats.read, 1);
  auto rest = receipts.Sent(org_.id, agentid_, (*first)[1].message.id, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].message.msgid, msgids[0]);
  auto none = receipts.Sent(org_.id, 4242, 0, 2);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kInvalidAgentId);
}

TEST_P(MessageTest, DailyStatisticsCountDeliveriesPerAppTodayAndYesterday) {
  messaging::ReceiptService receipts(*store_, clock_);
  const auto [today, tomorrow] = messaging::LocalDay(clock_.Now(), 0);
  clock_.Set(today - std::chrono::hours(2));  // yesterday evening
  ASSERT_TRUE(Send(Text("zhangsan|lisi|wangwu")).ok());
  clock_.Set(today + std::chrono::hours(9));
  ASSERT_TRUE(Send(Text("zhangsan")).ok());
  ASSERT_TRUE(Send(Text("", std::to_string(rd_))).ok());
  auto hr = apps_->Create(org_.id, "HR");
  ASSERT_TRUE(hr.ok());

  auto now = receipts.DailyDeliveries(org_.id, 0);
  ASSERT_TRUE(now.ok()) << now.error().message;
  ASSERT_EQ(now->size(), 1u) << "an app that sent nothing is left out";
  EXPECT_EQ((*now)[0].agentid, agentid_);
  EXPECT_EQ((*now)[0].app_name, "OA");
  EXPECT_EQ((*now)[0].count, 3);
  auto before = receipts.DailyDeliveries(org_.id, 1);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].count, 3);
  auto bad = receipts.DailyDeliveries(org_.id, 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidParameter);
  (void)tomorrow;
}

INSTANTIATE_TEST_SUITE_P(Backends, MessageTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace corphub::storage::testing
