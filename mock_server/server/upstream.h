#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "core/http_message.h"
#include "core/result.h"
#include "service/record_mode.h"

namespace datazone_mock {

// Where recorded requests go: the DataZone endpoint of a real account
// (https://datazone.REGION.amazonaws.com) or, in tests, another datazone-mock.
struct UpstreamOptions {
  std::string url;  // scheme://host[:port], no path
  std::string region = "us-east-1";
  Credential credential;  // signs every forwarded request (SigV4, service "datazone")
  std::chrono::seconds timeout{30};
};

// Why `url` cannot be an upstream, in one line: it must be http(s)://host[:port], without a
// path or user information. nullopt when it can.
std::optional<std::string> UpstreamUrlProblem(std::string_view url);

// The region to sign for when none is given: REGION of a datazone.REGION.amazonaws.com host (or
// its FIPS and dual-stack forms), else us-east-1.
std::string RegionOfUpstream(std::string_view url);

// Forwards ListJobRuns requests to the upstream, re-signed with its own credential: the client's
// signature (if any) is for the mock and never travels on. The answer comes back as the upstream
// gave it: status, body and the headers an SDK reads (Content-Type, x-amzn-RequestId,
// x-amzn-ErrorType, Date). An upstream that cannot be reached is a 503
// ServiceUnavailableException, which SDKs retry. Thread-safe: each call has its own connection.
class Upstream final : public UpstreamClient {
 public:
  // Checks the URL (http or https, a host, no path); the problem in one line otherwise.
  static Result<std::unique_ptr<Upstream>, std::string> Create(UpstreamOptions options);
  ~Upstream() override;

  // `target`: the path and query to request, already percent-encoded (what the client sent).
  HttpResponse Forward(std::string_view target) const override;

 private:
  explicit Upstream(UpstreamOptions options) : options_(std::move(options)) {}
  UpstreamOptions options_;
  std::string host_;  // the Host header and canonical host: host[:port] as in the URL
};

}  // namespace datazone_mock
