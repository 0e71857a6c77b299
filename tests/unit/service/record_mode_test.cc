// MockService in record mode, with the upstream and the recorder scripted (GoogleMock): what is
// forwarded, what comes back, what is recorded, and what never reaches the upstream.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/mock_service.h"
#include "support/builders.h"
#include "support/fakes.h"
#include "support/mocks.h"

namespace datazone_mock {
namespace {

using testing::_;
using testing::ElementsAre;
using testing::Field;
using testing::Invoke;
using testing::Return;
using testing::SizeIs;
using testing::StrictMock;

constexpr char kKnown[] = "/v2/domains/dzd_demo01/jobs/job-1/runs";
constexpr char kMissing[] = "/v2/domains/dzd_up/jobs/job-2/runs";

HttpResponse UpstreamAnswer(int status, std::string body, std::string error_type = {}) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "up-1"}};
  if (!error_type.empty()) response.headers.emplace_back("x-amzn-ErrorType", error_type);
  response.error_type = error_type;
  response.body = std::move(body);
  return response;
}

// A ListJobRuns page as the upstream writes it: runs "NAME-1".. of job job-2 of dzd_up.
std::string UpstreamBody(std::vector<std::string> run_ids, std::string next_token = {}) {
  std::string body = R"({"items":[)";
  for (std::size_t i = 0; i < run_ids.size(); ++i) {
    if (i > 0) body += ',';
    body += R"({"createdAt":)" + std::to_string(1700000000 + i) +
            R"(,"domainId":"dzd_up","jobId":"job-2","jobType":"LINEAGE","runId":")" + run_ids[i] +
            R"(","status":"SUCCESS"})";
  }
  body += ']';
  if (!next_token.empty()) body += R"(,"nextToken":")" + next_token + '"';
  return body + '}';
}

Result<RecordedPage, std::string> Recorded() { return RecordedPage{"recorded"}; }

class RecordModeTest : public testing::Test {
 protected:
  MockService Service(UpstreamUse use) {
    MockServiceParts parts;
    parts.store = store_;
    parts.tokens = std::make_shared<PageTokenCodec>("secret");
    parts.clock = std::make_shared<FakeClock>();
    parts.random = std::make_shared<SequenceRandomSource>(1);
    parts.upstream_use = use;
    parts.upstream = upstream_;
    parts.recorder = recorder_;
    return MockService(std::move(parts));
  }

  std::shared_ptr<StoreSnapshot> store_ =
      std::make_shared<StoreSnapshot>(MakeStore("dzd_demo01", "job-1", MakeRuns(3)));
  std::shared_ptr<StrictMock<MockUpstreamClient>> upstream_ =
      std::make_shared<StrictMock<MockUpstreamClient>>();
  std::shared_ptr<StrictMock<MockRunRecorder>> recorder_ =
      std::make_shared<StrictMock<MockRunRecorder>>();
};

HttpResponse Get(const MockService& service, std::string target) {
  return service.Handle(HttpRequest{"GET", std::move(target), {}, ""});
}

TEST_F(RecordModeTest, RecordForwardsTheTargetAsSentAndPassesTheAnswerOnUnchanged) {
  const MockService service = Service(UpstreamUse::kRecord);
  const std::string target = std::string(kKnown) + "?maxResults=2&nextToken=up%2Btoken";
  const HttpResponse upstream_answer = UpstreamAnswer(200, UpstreamBody({"a", "b"}, "next"));
  EXPECT_CALL(*upstream_, Forward(std::string_view(target))).WillOnce(Return(upstream_answer));
  EXPECT_CALL(*recorder_, Record("dzd_demo01", "job-1", Field(&UpstreamPage::items, SizeIs(2))))
      .WillOnce(Recorded);

  const HttpResponse answer = Get(service, target);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, upstream_answer.body);  // the upstream's token included
  EXPECT_EQ(answer.headers, upstream_answer.headers);
  EXPECT_EQ(answer.reason, "");
}

TEST_F(RecordModeTest, RecordValidatesFirstAndForwardsNothingInvalid) {
  const MockService service = Service(UpstreamUse::kRecord);  // StrictMock: no call expected
  const HttpResponse answer = Get(service, std::string(kKnown) + "?maxResults=0");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.error_type, "ValidationException");
}

TEST_F(RecordModeTest, RecordPassesUpstreamErrorsOnAndRecordsNothing) {
  const MockService service = Service(UpstreamUse::kRecord);
  const HttpResponse throttled =
      UpstreamAnswer(429, R"({"message":"Rate exceeded"})", "ThrottlingException");
  EXPECT_CALL(*upstream_, Forward(_)).WillOnce(Return(throttled));
  const HttpResponse answer = Get(service, kKnown);
  EXPECT_EQ(answer.status, 429);
  EXPECT_EQ(answer.body, throttled.body);
  EXPECT_EQ(answer.Header("x-amzn-ErrorType"), "ThrottlingException");
}

TEST_F(RecordModeTest, RecordStillAnswersWhenThePageCannotBeKept) {
  const MockService service = Service(UpstreamUse::kRecord);
  EXPECT_CALL(*upstream_, Forward(_))
      .WillOnce(Return(UpstreamAnswer(200, UpstreamBody({"a"}))))
      .WillOnce(Return(UpstreamAnswer(200, R"({"items":[{"runId":1}]})")));
  EXPECT_CALL(*recorder_, Record(_, _, _))
      .WillOnce(Return(Result<RecordedPage, std::string>(std::string("disk full"))));
  EXPECT_EQ(Get(service, kKnown).reason, "not recorded: disk full");
  const HttpResponse unreadable = Get(service, kKnown);
  EXPECT_EQ(unreadable.status, 200);
  EXPECT_THAT(unreadable.reason, testing::StartsWith("not recorded: items[0]"));
}

TEST_F(RecordModeTest, RecordMissingServesKnownJobsFromTheStore) {
  const MockService service = Service(UpstreamUse::kRecordMissing);  // StrictMock: no call
  const HttpResponse answer = Get(service, std::string(kKnown) + "?maxResults=2");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.page, 1u);
}

TEST_F(RecordModeTest, RecordMissingFetchesEveryPageKeepsThemAndAnswersFromTheStore) {
  const MockService service = Service(UpstreamUse::kRecordMissing);
  testing::InSequence in_order;
  EXPECT_CALL(*upstream_, Forward(std::string_view(std::string(kMissing) + "?maxResults=50")))
      .WillOnce(Return(UpstreamAnswer(200, UpstreamBody({"a", "b"}, "t/1+"))));
  EXPECT_CALL(*upstream_, Forward(std::string_view(std::string(kMissing) +
                                                   "?maxResults=50&nextToken=t%2F1%2B")))
      .WillOnce(Return(UpstreamAnswer(200, UpstreamBody({"c"}))));
  EXPECT_CALL(*recorder_, Record(_, _, Field(&UpstreamPage::items, SizeIs(3))))
      .WillOnce(Invoke([this](std::string_view, std::string_view,
                              const UpstreamPage& page) -> Result<RecordedPage, std::string> {
        // What MockServer's recorder does for --record-missing: the runs join the store.
        auto store = std::make_shared<Store>(*store_->Get());
        Domain& domain = store->domains["dzd_up"];
        domain.id = "dzd_up";
        std::vector<JobRun> runs;
        for (const auto& item : page.items) runs.push_back(item.run);
        domain.jobs.emplace("job-2", Job{"job-2", JobType::kLineage, JobRunIndex(runs)});
        store_->Replace(std::move(store));
        return RecordedPage{"3 runs"};
      }));

  const HttpResponse answer = Get(service, std::string(kMissing) + "?maxResults=1");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.page, 1u);  // served by the mock: its own page and token
  // Newest first: b (1700000001) before a and c (1700000000).
  EXPECT_THAT(answer.body, testing::HasSubstr(R"("runId":"b")"));
  EXPECT_THAT(answer.body, testing::HasSubstr(R"("nextToken":")"));
  EXPECT_THAT(answer.body, testing::Not(testing::HasSubstr("t/1+")));
}

TEST_F(RecordModeTest, RecordMissingPassesUpstreamErrorsOnAndRecordsNothing) {
  const MockService service = Service(UpstreamUse::kRecordMissing);
  const HttpResponse not_found = UpstreamAnswer(
      404, R"({"message":"The specified resource cannot be found."})", "ResourceNotFoundException");
  EXPECT_CALL(*upstream_, Forward(_)).WillOnce(Return(not_found));
  const HttpResponse answer = Get(service, kMissing);
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(answer.body, not_found.body);
}

TEST_F(RecordModeTest, RecordMissingStopsWhenTheUpstreamRepeatsItsToken) {
  const MockService service = Service(UpstreamUse::kRecordMissing);
  EXPECT_CALL(*upstream_, Forward(_))
      .WillOnce(Return(UpstreamAnswer(200, UpstreamBody({"a"}, "same"))))
      .WillOnce(Return(UpstreamAnswer(200, UpstreamBody({"b"}, "same"))));
  EXPECT_CALL(*recorder_, Record(_, _, Field(&UpstreamPage::items, SizeIs(2)))).WillOnce(Recorded);
  // The recorder above kept nothing in the store, so the job is still unknown there.
  EXPECT_EQ(Get(service, kMissing).status, 404);
}

TEST_F(RecordModeTest, RecordMissingKeepsAJobWithoutRunsAndServesItsEmptyListing) {
  const MockService service = Service(UpstreamUse::kRecordMissing);
  EXPECT_CALL(*upstream_, Forward(_)).WillOnce(Return(UpstreamAnswer(200, R"({"items":[]})")));
  EXPECT_CALL(*recorder_, Record("dzd_up", "job-2", Field(&UpstreamPage::items, SizeIs(0))))
      .WillOnce(Invoke([this](std::string_view, std::string_view,
                              const UpstreamPage&) -> Result<RecordedPage, std::string> {
        auto store = std::make_shared<Store>(*store_->Get());
        Domain& domain = store->domains["dzd_up"];
        domain.id = "dzd_up";
        domain.jobs.emplace("job-2",
                            Job{"job-2", JobType::kLineage, JobRunIndex(std::vector<JobRun>{})});
        store_->Replace(std::move(store));
        return RecordedPage{"0 runs"};
      }));
  const HttpResponse answer = Get(service, kMissing);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.page, 1u);  // from the store
  EXPECT_EQ(answer.body, R"({"items":[]})");
}

}  // namespace
}  // namespace datazone_mock
