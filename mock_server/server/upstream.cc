#include "server/upstream.h"

#include <httplib.h>

#include "api/aws_errors.h"
#include "api/json_writer.h"
#include "auth/sigv4.h"

namespace datazone_mock {

Result<std::unique_ptr<Upstream>, std::string> Upstream::Create(UpstreamOptions options) {
  const std::string& url = options.url;
  const std::size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return "upstream '" + url + "' must start with https:// (or http:// for a local upstream)";
  }
  std::string host = url.substr(scheme_end + 3);
  if (!host.empty() && host.back() == '/') host.pop_back();
  if (host.empty() || host.find('/') != std::string::npos) {
    return "upstream '" + url + "' must be scheme://host[:port] without a path";
  }
  if (options.credential.access_key_id.empty() || options.credential.secret_access_key.empty()) {
    return std::string(
        "no credentials for the upstream: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN for temporary ones), or give --credentials FILE");
  }
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
