// Google Benchmark micro-benchmarks of the per-request work: validation, tokens, page seek at
// 1,000,000 runs, serialization of a page of 50, a schedule's pages at 1,000 and 1,000,000 runs.
#include <benchmark/benchmark.h>

#include "api/list_job_runs.h"
#include "api/list_job_runs_request.h"
#include "api/page_token.h"
#include "store/run_generator.h"
#include "store/schedule.h"

namespace datazone_mock {
namespace {

constexpr const char* kTarget =
    "/v2/domains/dzd_bench01/jobs/big-job/runs?maxResults=50&sortOrder=DESCENDING&status=FAILED";

std::shared_ptr<const Store> BigStore(std::uint64_t count) {
  GenerateSpec spec;
  spec.count = count;
  spec.seed = 7;
  spec.start = 1'704'067'200'000;
  spec.every_ms = 30'000;
  spec.weights = {
      {JobRunStatus::kSuccess, 80}, {JobRunStatus::kFailed, 15}, {JobRunStatus::kInProgress, 5}};
  auto store = std::make_shared<Store>();
  Domain& domain = store->domains["dzd_bench01"];
  domain.id = "dzd_bench01";
  domain.jobs.emplace("big-job",
                      Job{"big-job", JobType::kLineage, JobRunIndex(GenerateRuns(spec))});
  return store;
}

void BM_RouteAndValidate(benchmark::State& state) {
  for (auto _ : state) {
    auto call = RouteListJobRuns("GET", kTarget);
    auto input = ValidateListJobRuns(*call);
    benchmark::DoNotOptimize(input);
  }
}
BENCHMARK(BM_RouteAndValidate);

// A token as a deep page issues it: the codec seals the record (AES-256-GCM with a synthetic
// nonce) and checks it, once each per paginated request.
PageTokenClaims BenchTokenClaims() {
  return PageTokenClaims{"dzd_bench01",
                         "big-job",
                         JobRunStatus::kFailed,
                         SortOrder::kDescending,
                         RunPosition{1'704'067'200'000, "gen-0500000"},
                         0,
                         1'000};
}

void BM_TokenEncode(benchmark::State& state) {
  const PageTokenCodec codec("bench-secret");
  const PageTokenClaims claims = BenchTokenClaims();
  for (auto _ : state) benchmark::DoNotOptimize(codec.Encode(claims));
}
BENCHMARK(BM_TokenEncode);

void BM_TokenDecode(benchmark::State& state) {
  const PageTokenCodec codec("bench-secret");
  const std::string token = codec.Encode(BenchTokenClaims());
  for (auto _ : state) benchmark::DoNotOptimize(codec.Decode(token, 0));
}
BENCHMARK(BM_TokenDecode);

// A token with one character changed: what a client sending garbage costs (it fails the tag).
void BM_TokenDecodeTampered(benchmark::State& state) {
  const PageTokenCodec codec("bench-secret");
  std::string token = codec.Encode(BenchTokenClaims());
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  for (auto _ : state) benchmark::DoNotOptimize(codec.Decode(token, 0));
}
BENCHMARK(BM_TokenDecodeTampered);

// A page seek at the given store size: flat means O(log n).
void BM_PageSeek(benchmark::State& state) {
  const auto store = BigStore(static_cast<std::uint64_t>(state.range(0)));
  const Job& job = store->domains.at("dzd_bench01").jobs.at("big-job");
  PageQuery query;
  query.status = state.range(1) != 0 ? std::optional(JobRunStatus::kFailed) : std::nullopt;
  query.after = RunPosition{job.runs.runs()[job.runs.size() / 2].created_at,
                            job.runs.runs()[job.runs.size() / 2].run_id};
  for (auto _ : state) benchmark::DoNotOptimize(job.runs.Seek(query));
}
BENCHMARK(BM_PageSeek)->ArgsProduct({{1'000, 100'000, 1'000'000}, {0, 1}});

void BM_Serialize50(benchmark::State& state) {
  const auto store = BigStore(1'000);
  const Domain& domain = store->domains.at("dzd_bench01");
  ListJobRunsOutput output;
  output.domain = &domain;
  output.job = &domain.jobs.at("big-job");
  output.items = output.job->runs.Seek(PageQuery{}).items;
  output.next_token = std::string(130, 'A');
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = SerializeListJobRunsOutput(output);
    bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Serialize50);

// The whole operation after validation: lookup, token check, seek, next token, JSON.
void BM_ListJobRunsDeepPage(benchmark::State& state) {
  const auto store = BigStore(static_cast<std::uint64_t>(state.range(0)));
  const PageTokenCodec codec("bench-secret");
  ListJobRunsInput input{"dzd_bench01",          "big-job",    std::nullopt,
                         SortOrder::kDescending, std::nullopt, 50};
  const Job& job = store->domains.at("dzd_bench01").jobs.at("big-job");
  const JobRun& middle = job.runs.runs()[job.runs.size() / 2];
  input.next_token = codec.Encode(
      PageTokenClaims{input.domain_identifier, input.job_identifier, std::nullopt,
                      SortOrder::kDescending, RunPosition{middle.created_at, middle.run_id}, 0});
  for (auto _ : state) {
    auto output = ListJobRuns(input, store, codec, 0);
    benchmark::DoNotOptimize(SerializeListJobRunsOutput(output.value()));
  }
}
BENCHMARK(BM_ListJobRunsDeepPage)->Arg(1'000)->Arg(1'000'000);

// A schedule of `count` runs by now: every 30 s, two lifecycle steps, the last one's status drawn
// (SUCCESS 90 %, FAILED 10 %, ABORTED 1 in 10,000).
ScheduleSpec BenchSchedule() {
  ScheduleSpec spec;
  spec.start = 1'704'067'200'000;
  spec.every_ms = 30'000;
  spec.seed = 7;
  LifecycleStep running;
  running.status = JobRunStatus::kInProgress;
  running.after_ms = 60'000;
  LifecycleStep done;
  done.status = JobRunStatus::kSuccess;
  done.after_ms = 600'000;
  done.error_message = "bench failure";
  spec.lifecycle.steps = {running, done};
  spec.outcomes = {
      {JobRunStatus::kSuccess, 8'999}, {JobRunStatus::kFailed, 1'000}, {JobRunStatus::kAborted, 1}};
  return spec;
}

TimestampMs BenchScheduleNow(std::int64_t count) {
  return 1'704'067'200'000 + (count - 1) * 30'000;
}

// A page of a schedule, newest first, after its outcome blocks are built: flat means the page
// does not grow with the job. Queries: 0 first page, 1 first page of a common outcome, 2 of a
// rare one, 3 a deep page (after the middle run), 4 a deep page of a common outcome.
void BM_ScheduleSeek(benchmark::State& state) {
  const Schedule schedule(BenchSchedule());
  const TimestampMs now = BenchScheduleNow(state.range(0));
  const JobRun middle = schedule.RunAt(schedule.CountAt(now) / 2, now);
  PageQuery query;
  query.order = SortOrder::kDescending;
  query.limit = 50;
  switch (state.range(1)) {
    case 1:
      query.status = JobRunStatus::kSuccess;
      break;
    case 2:
      query.status = JobRunStatus::kAborted;
      break;
    case 3:
      query.after = RunPosition{middle.created_at, middle.run_id};
      break;
    case 4:
      query.after = RunPosition{middle.created_at, middle.run_id};
      query.status = JobRunStatus::kFailed;
      break;
    default:
      break;
  }
  bool has_more = false;
  (void)schedule.Seek(query, now, &has_more);  // builds the blocks this query reads
  std::size_t items = 0;
  for (auto _ : state) {
    const std::vector<JobRun> page = schedule.Seek(query, now, &has_more);
    items = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_ScheduleSeek)
    ->ArgNames({"runs", "query"})
    ->ArgsProduct({{1'000, 1'000'000}, {0, 1, 2, 3, 4}});

// A fresh schedule counted through (every outcome block drawn): the one-off cost, and the memory
// it leaves behind per run.
void BM_ScheduleFullScan(benchmark::State& state) {
  const TimestampMs now = BenchScheduleNow(state.range(0));
  double bytes_per_run = 0;
  for (auto _ : state) {
    const Schedule schedule(BenchSchedule());
    benchmark::DoNotOptimize(schedule.CountMatching(JobRunStatus::kFailed, now));
    bytes_per_run =
        static_cast<double>(schedule.OutcomeBytes()) / static_cast<double>(schedule.CountAt(now));
  }
  state.counters["bytes_per_run"] = bytes_per_run;
}
BENCHMARK(BM_ScheduleFullScan)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace datazone_mock

BENCHMARK_MAIN();
