#include "api/list_job_runs.h"

#include <algorithm>

#include "api/aws_errors.h"
#include "api/json_writer.h"
#include "core/nearest_names.h"
#include "core/time_format.h"

namespace datazone_mock {
namespace {

// " (did you mean x?)" with the names of `known` nearest to `name`, or "".
template <class Map>
std::string WithSuggestion(const std::string& name, const Map& known) {
  std::vector<std::string_view> names;
  names.reserve(known.size());
  for (const auto& [key, value] : known) names.push_back(key);
  const std::string hint = DidYouMean(NearestNames(name, names));
  return hint.empty() ? std::string() : " (" + hint + ")";
}

// Why a verified token does not belong to this request, if it does not.
std::optional<std::string> BindingMismatch(const PageTokenClaims& claims,
                                           const ListJobRunsInput& input) {
  if (claims.domain_identifier != input.domain_identifier) return "issued for another domain";
  if (claims.job_identifier != input.job_identifier) return "issued for another job";
  if (claims.status != input.status) return "issued for another status filter";
  if (claims.sort_order != input.sort_order) return "issued for another sortOrder";
  return std::nullopt;
}

void AppendMember(std::string& out, std::string_view name) {
  out += ",\"";
  out += name;
  out += "\":";
}

// Writes the runs of one job. What is the same for every run of the page (domain, job, job
// type) is rendered once; enum values and member names are literals. This is the hot path of
// every answer, so it avoids temporaries.
class RunWriter {
 public:
  RunWriter(const Domain& domain, const Job& job) {
    domain_part_ = ",\"domainId\":";
    AppendJsonString(domain_part_, domain.id);
    job_part_ = ",\"jobId\":";
    AppendJsonString(job_part_, job.id);
    job_part_ += ",\"jobType\":";
    AppendJsonString(job_part_, ToString(job.type));
    job_part_ += ",\"runId\":";
  }

  // Members in alphabetical order, as AWS sends them; absent ones are omitted.
  void Append(std::string& out, const JobRun& run) const {
    out += "{\"createdAt\":";
    AppendEpochSeconds(out, run.created_at);
    if (run.created_by) {
      out += ",\"createdBy\":";
      AppendJsonString(out, *run.created_by);
    }
    out += domain_part_;
    if (run.end_time) {
      out += ",\"endTime\":";
      AppendEpochSeconds(out, *run.end_time);
    }
    if (run.error_message) {
      out += ",\"error\":{\"message\":";
      AppendJsonString(out, *run.error_message);
      out += '}';
    }
    out += job_part_;
    AppendJsonString(out, run.run_id);
    if (run.run_mode) {
      out += ",\"runMode\":\"";
      out += ToString(*run.run_mode);
      out += '"';
    }
    if (run.start_time) {
      out += ",\"startTime\":";
      AppendEpochSeconds(out, *run.start_time);
    }
    out += ",\"status\":\"";
    out += ToString(run.status);
    out += "\"}";
  }

 private:
  std::string domain_part_;  // ,"domainId":"..."
  std::string job_part_;     // ,"jobId":"...","jobType":"...","runId":
};

// The position an empty first page's token leads on from. Newest first, it lies just above the
// newest run the query sees now, so that runs created later stay out of this listing as they do
// of any other (README, "Lists that change"); oldest first, none: the listing's start, as later
// runs come at its end anyway.
std::optional<RunPosition> ListingStart(const Job& job, PageQuery query, TimestampMs now,
                                        std::uint64_t listings) {
  if (query.order == SortOrder::kAscending) return std::nullopt;
  query.limit = 1;
  const JobPage newest = SeekJob(job, query, now, listings);
  if (newest.items.empty()) return std::nullopt;
  return RunPosition{newest.items.front()->created_at + 1, std::string()};
}

}  // namespace

Result<ListJobRunsOutput, AwsError> ListJobRuns(const ListJobRunsInput& input,
                                                std::shared_ptr<const Store> store,
                                                const PageTokenCodec& tokens,
                                                std::int64_t now_seconds, std::string_view caller,
                                                TimestampMs data_now, const PageShape& shape,
                                                Trace* trace) {
  const Domain* domain = store->FindDomain(input.domain_identifier);
  if (!domain) {
    TraceIf(trace, "domain", "not found", [&] {
      return input.domain_identifier + WithSuggestion(input.domain_identifier, store->domains);
    });
    return ResourceNotFound("domain " + input.domain_identifier + " not found");
  }
  TraceIf(trace, "domain", "found", [&] { return input.domain_identifier; });
  if (!domain->Allows(caller)) {
    AwsError denied = AccessDenied();
    denied.reason = "access key '" + std::string(caller) + "' is not allowed for domain " +
                    input.domain_identifier;
    TraceIf(trace, "access", "denied", [&] { return denied.reason; });
    return denied;
  }
  TraceIf(trace, "access", "allowed", [&] {
    return caller.empty() ? std::string("unsigned caller") : "access key " + std::string(caller);
  });
  const Job* job = FindJob(*domain, input.job_identifier);
  if (!job) {
    TraceIf(trace, "job", "not found", [&] {
      return input.job_identifier + " in " + input.domain_identifier +
             WithSuggestion(input.job_identifier, domain->jobs);
    });
    return ResourceNotFound("job " + input.job_identifier + " not found in domain " +
                            input.domain_identifier);
  }
  TraceIf(trace, "job", "found", [&] { return input.job_identifier; });

  PageQuery query;
  query.status = input.status;
  query.order = input.sort_order;
  query.limit = static_cast<std::size_t>(input.max_results);
  if (shape.limit) query.limit = std::min<std::size_t>(query.limit, *shape.limit);
  std::uint32_t page_number = 1;  // the request without a token is page 1
  if (input.next_token) {
    auto claims = tokens.Decode(*input.next_token, now_seconds);
    if (!claims.ok()) {
      TraceIf(trace, "nextToken", "refused", [&] { return claims.error(); });
      return InvalidNextToken(std::move(claims).error());
    }
    if (auto mismatch = BindingMismatch(claims.value(), input)) {
      TraceIf(trace, "nextToken", "refused", [&] { return *mismatch; });
      return InvalidNextToken(std::move(*mismatch));
    }
    query.after = claims.value().after;
    page_number = PageAfter(claims.value().page);
    TraceIf(trace, "nextToken", "accepted", [&] { return "page " + std::to_string(page_number); });
  } else {
    TraceIf(trace, "nextToken", "none", [] { return std::string("page 1"); });
  }

  // This listing's number among the job's successful ones: taken once the request can no longer
  // fail, so afterCalls counts answers, exactly, however many callers list at once.
  const std::uint64_t listings = job->listings->fetch_add(1, std::memory_order_relaxed);
  JobPage page = SeekJob(*job, query, data_now, listings);
  ListJobRunsOutput output;
  output.domain = domain;
  output.job = job;
  // The last page has no token, even when full: no token ever leads to an empty page, unless a
  // scenario's page shape asks for one.
  bool issue_token = false;
  std::optional<RunPosition> next_after;
  if (!page.items.empty())
    next_after = RunPosition{page.items.back()->created_at, page.items.back()->run_id};
  if (page.has_more) {
    // An empty page with runs remaining comes only from `limit: 0`: its token leads on from
    // where the request stood.
    issue_token = true;
    if (page.items.empty())
      next_after = query.after ? query.after : ListingStart(*job, query, data_now, listings);
  } else if (shape.trailing_empty && !page.items.empty()) {
    issue_token = true;  // its page: the empty one after the last run
  }
  if (shape.repeat_token && input.next_token) {
    output.next_token = *input.next_token;
  } else if (issue_token) {
    PageTokenClaims claims{input.domain_identifier, input.job_identifier,  input.status,
                           input.sort_order,        std::move(next_after), now_seconds};
    claims.page = page_number;  // the page this token was issued on
    output.next_token = tokens.Encode(claims);
  }
  output.page = page_number;
  output.items = std::move(page.items);
  output.evaluated = std::move(page.evaluated);
  output.store = std::move(store);
  return output;
}

std::string SerializeListJobRunsItems(const ListJobRunsOutput& output) {
  std::string body;
  // A run with every member is about 360 bytes: enough room that the body is never moved.
  body.reserve(256 + output.items.size() * 400);
  body += "{\"items\":[";
  if (!output.items.empty()) {
    const RunWriter writer(*output.domain, *output.job);
    for (std::size_t i = 0; i < output.items.size(); ++i) {
      if (i > 0) body += ',';
      writer.Append(body, *output.items[i]);
    }
  }
  body += ']';
  return body;
}

void AppendListJobRunsEnd(std::string& body, const ListJobRunsOutput& output) {
  if (output.next_token) {
    AppendMember(body, "nextToken");
    AppendJsonString(body, *output.next_token);
  }
  body += '}';
}

std::string SerializeListJobRunsOutput(const ListJobRunsOutput& output) {
  std::string body = SerializeListJobRunsItems(output);
  AppendListJobRunsEnd(body, output);
  return body;
}

}  // namespace datazone_mock
