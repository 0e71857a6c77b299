#include "server/upstream.h"

#include <httplib.h>

#include "api/aws_errors.h"
#include "api/json_writer.h"
#include "auth/sigv4.h"

namespace datazone_mock {

namespace {

// host[:port] of an http(s) URL as given, or nullopt when it is not one (UpstreamUrlProblem).
std::optional<std::string> HostOf(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string host(url.substr(scheme_end + 3));
  if (!host.empty() && host.back() == '/') host.pop_back();
  if (host.empty() || host.find_first_of("/?#@") != std::string::npos) return std::nullopt;
  return host;
}

}  // namespace

std::optional<std::string> UpstreamUrlProblem(std::string_view url) {
  if (HostOf(url)) return std::nullopt;
  // The URL may carry user information; a problem message must not repeat it.
  const bool has_user = url.find('@') != std::string_view::npos;
  return "--upstream " +
         (has_user ? std::string("(URL not shown)") : "'" + std::string(url) + "'") +
         ": must be https://host[:port] (or http:// for a local upstream), without a path or "
         "user information";
}

std::string RegionOfUpstream(std::string_view url) {
  const auto host = HostOf(url);
  if (!host) return "us-east-1";
  // datazone.REGION.amazonaws.com, datazone-fips.REGION.amazonaws.com,
  // datazone.REGION.api.aws: the label after the first is the region.
  const std::size_t first_dot = host->find('.');
  if (host->rfind("datazone", 0) != 0 || first_dot == std::string::npos) return "us-east-1";
  const std::size_t second_dot = host->find('.', first_dot + 1);
  if (second_dot == std::string::npos) return "us-east-1";
  return host->substr(first_dot + 1, second_dot - first_dot - 1);
}

Result<std::unique_ptr<Upstream>, std::string> Upstream::Create(UpstreamOptions options) {
  if (auto problem = UpstreamUrlProblem(options.url)) return *problem;
  if (options.credential.access_key_id.empty() || options.credential.secret_access_key.empty()) {
    return std::string(
        "no credentials for the upstream: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN for temporary ones), or give --credentials FILE");
  }
  std::string host = *HostOf(options.url);
  std::unique_ptr<Upstream> upstream(new Upstream(std::move(options)));
  upstream->host_ = std::move(host);
  return upstream;
}

Upstream::~Upstream() = default;

HttpResponse Upstream::Forward(std::string_view target) const {
  HttpRequest request;
  request.method = "GET";
  request.target = std::string(target);
  request.headers.emplace_back("host", host_);
  SignRequest(request, options_.credential, std::chrono::system_clock::now(), options_.region);

  httplib::Client client(options_.url);
  client.set_connection_timeout(options_.timeout);
  client.set_read_timeout(options_.timeout);
  client.set_keep_alive(false);
  httplib::Headers headers;
  for (const auto& [name, value] : request.headers) {
    if (name != "host") headers.emplace(name, value);  // the client sets Host from the URL
  }
  const httplib::Result result = client.Get(request.target, headers);

  HttpResponse response;
  if (!result) {
    AwsError error = ServiceUnavailable("upstream " + options_.url + " could not be reached: " +
                                        httplib::to_string(result.error()));
    response.status = error.http_status;
    response.headers = {{"Content-Type", "application/json"},
                        {"x-amzn-ErrorType", error.error_type_header}};
    response.body = JsonMessageBody(error.message);
    response.error_type = error.type;
    response.reason = error.reason;
    return response;
  }
  response.status = result->status;
  for (const char* name : {"Content-Type", "x-amzn-RequestId", "x-amzn-ErrorType", "Date"}) {
    if (result->has_header(name))
      response.headers.emplace_back(name, result->get_header_value(name));
  }
  response.body = result->body;
  if (result->status >= 400) {
    const std::string type = result->get_header_value("x-amzn-ErrorType");
    response.error_type = type.substr(0, type.find(':'));
    response.reason = "from the upstream";
  }
  return response;
}

}  // namespace datazone_mock
