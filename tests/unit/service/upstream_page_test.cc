#include "service/upstream_page.h"

#include <gtest/gtest.h>

#include "api/list_job_runs.h"
#include "store/fixture.h"
#include "store/store_builder.h"

namespace datazone_mock {
namespace {

TEST(ReadUpstreamPageTest, ReadsBackWhatTheMockSerializes) {
  // The mock's own writer is the wire format an upstream speaks: a page written and read back
  // gives the same runs.
  auto document = ParseFixture(R"(domains:
  dzd_up01:
    jobs:
      etl:
        jobType: LINEAGE
        runs:
          - {runId: r1, status: FAILED, createdAt: 2025-08-04T14:00:00.155Z, runMode: ON_DEMAND,
             createdBy: user-bob, startTime: 2025-08-04T14:00:01Z,
             endTime: 2025-08-04T14:03:00.999Z, error: {message: "disk \"full\""}}
          - {runId: r2, status: SCHEDULED, createdAt: 1754316000}
)",
                               "up.yaml", 0);
  ASSERT_TRUE(document.ok()) << FormatDiagnostics(document.error());
  auto store = BuildStore({document.value()});
  ASSERT_TRUE(store.ok());
  const auto shared = std::make_shared<const Store>(std::move(store).value());
  const PageTokenCodec tokens("secret");
  ListJobRunsInput input{"dzd_up01", "etl", std::nullopt, SortOrder::kDescending, std::nullopt, 1};
  const auto output = ListJobRuns(input, shared, tokens, 0);
  ASSERT_TRUE(output.ok());
  const auto page = ReadUpstreamPage(SerializeListJobRunsOutput(output.value()));
  ASSERT_TRUE(page.ok()) << page.error();
  ASSERT_EQ(page.value().items.size(), 1u);
  EXPECT_TRUE(page.value().next_token.has_value());
  const auto& item = page.value().items[0];
  EXPECT_EQ(item.domain_id, "dzd_up01");
  EXPECT_EQ(item.job_id, "etl");
  EXPECT_EQ(item.job_type, JobType::kLineage);
  EXPECT_EQ(item.run, document.value().domains[0].jobs[0].runs[0].run);
}

TEST(ReadUpstreamPageTest, RefusesWhatTheFixtureSchemaCouldNotHold) {
  EXPECT_EQ(ReadUpstreamPage("[]").error(), "the body is not a JSON object");
  EXPECT_EQ(ReadUpstreamPage("{}").error(), "no items array");
  EXPECT_EQ(ReadUpstreamPage(R"({"items":[{"runId":"r"}]})").error(),
            "items[0] lacks one of domainId, jobId, runId, status, jobType");
  EXPECT_EQ(ReadUpstreamPage(R"({"items":[{"domainId":"d","jobId":"j","runId":"r",)"
                             R"("status":"DONE","jobType":"LINEAGE","createdAt":1}]})")
                .error(),
            "items[0].status 'DONE' is not a job run status");
  EXPECT_EQ(ReadUpstreamPage(R"({"items":[{"domainId":"d","jobId":"j","runId":"r",)"
                             R"("status":"SUCCESS","jobType":"LINEAGE","createdAt":"x"}]})")
                .error(),
            "items[0].createdAt is not a time in epoch seconds");
  // Members the model does not know are ignored, as an SDK would.
  const auto extra = ReadUpstreamPage(R"({"items":[{"domainId":"d","jobId":"j","runId":"r",)"
                                      R"("status":"SUCCESS","jobType":"LINEAGE","createdAt":1,)"
                                      R"("newMember":{"x":1}}],"other":true})");
  ASSERT_TRUE(extra.ok()) << extra.error();
  EXPECT_EQ(extra.value().items[0].run.created_at, 1000);
}

}  // namespace
}  // namespace datazone_mock
