#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"
#include "core/result.h"
#include "service/upstream_page.h"

namespace datazone_mock {

// Where ListJobRuns calls may go besides the store (record mode, docs/decisions.md "Record mode").
enum class UpstreamUse {
  kNone,           // the store answers every call
  kRecord,         // `datazone-mock record`: every valid call is forwarded and its answer passed on
  kRecordMissing,  // --record-missing: a domain or job the store lacks is fetched and kept
};

// The real service (or another mock) behind the mock. Implemented over HTTP by server/upstream.h;
// an interface so that MockService stays free of sockets and its tests can script the upstream.
class UpstreamClient {
 public:
  virtual ~UpstreamClient() = default;
  // `target`: the path and query of a ListJobRuns request, percent-encoded. The answer as the
  // upstream gave it; an unreachable upstream is a 503 ServiceUnavailableException.
  virtual HttpResponse Forward(std::string_view target) const = 0;
};

// What a RunRecorder did with a page, in words for the journal's explanation
// ("12 runs, 130 in recorded.yaml").
struct RecordedPage {
  std::string summary;
};

// Keeps what the upstream answered: the output file, and for --record-missing the store.
class RunRecorder {
 public:
  virtual ~RunRecorder() = default;
  // Records a page the upstream answered for the job a request named: its runs (of one or more
  // jobs), and that job even when the page has none, so that a job without runs is served back
  // as an empty listing rather than a 404. Why nothing could be recorded, otherwise.
  virtual Result<RecordedPage, std::string> Record(std::string_view domain_id,
                                                   std::string_view job_id,
                                                   const UpstreamPage& page) = 0;
};

}  // namespace datazone_mock
