#include "auth/sigv4.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "api/aws_errors.h"

namespace datazone_mock {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

constexpr const char* kServiceSuffix =
    ":http://internal.amazon.com/coral/com.amazon.coral.service/";
constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kInvalidSignatureMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr const char* kUnrecognizedClientMessage =
    "The security token included in the request is invalid.";

// AWS's documentation example key pair, used by the vectors generated below.
const Credential kExampleKey{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                             std::nullopt, std::nullopt};
const Credential kExampleSessionKey{"ASIAEXAMPLE", "sessionsecret",
                                    "FQoGZXIvYXdzE//tok+en/with=slash", std::nullopt};
// The key pair of the requests captured from real SDKs (docs/wire.md, "What the SDKs send").
const Credential kCapturedKey{"x", "y", std::nullopt, std::nullopt};
const Credential kCapturedSessionKey{"x", "y", "sess", std::nullopt};

// date -u -d 2026-11-28T23:40:00Z +%s
constexpr std::int64_t k234000 = 1795909200;

system_clock::time_point At(std::int64_t epoch_seconds) {
  return system_clock::time_point(seconds(epoch_seconds));
}

HttpRequest MakeRequest(std::string method, std::string target, Headers headers,
                        std::string body = "") {
  return HttpRequest{std::move(method), std::move(target), std::move(headers), std::move(body)};
}

CredentialSet SetOf(std::initializer_list<Credential> credentials) {
  CredentialSet set;
  for (const Credential& c : credentials) set.emplace(c.access_key_id, c);
  return set;
}

void SetHeader(HttpRequest& request, const std::string& name, const std::string& value) {
  for (auto& [key, existing] : request.headers) {
    if (key == name) {
      existing = value;
      return;
    }
  }
  request.headers.emplace_back(name, value);
}

void RemoveHeader(HttpRequest& request, const std::string& name) {
  std::erase_if(request.headers, [&](const auto& header) { return header.first == name; });
}

// Asserts a 403 authentication error with the exact bytes docs/wire.md prescribes.
void ExpectAuthError(const Result<std::string, AwsError>& result, const std::string& type,
                     const std::string& message) {
  ASSERT_FALSE(result.ok()) << "accepted as '" << result.value() << "'";
  EXPECT_EQ(result.error().type, type);
  EXPECT_EQ(result.error().http_status, 403);
  EXPECT_EQ(result.error().error_type_header, type + kServiceSuffix);
  EXPECT_EQ(result.error().message, message);
}

// --- Vectors produced by real SDKs -------------------------------------------------------------

struct SdkVector {
  std::string name;
  std::string method;
  std::string target;
  Headers headers;  // as sent, names lower-cased as HttpRequest has them, authorization last
  std::string body;
  Credential credential;
  std::int64_t signed_at;         // X-Amz-Date in epoch seconds
  std::string canonical_request;  // as the SDK computed it, where it printed one
};

std::string Signature(const SdkVector& v) {
  return ParseAuthorization(v.headers.back().second).signature;
}

HttpRequest RequestOf(const SdkVector& v) {
  return MakeRequest(v.method, v.target, v.headers, v.body);
}

std::vector<SdkVector> SdkVectors() {
  return {
      // botocore 1.43.11, SigV4Auth(Credentials(...), 'datazone', region).add_auth(AWSRequest(...))
      // with botocore.auth.get_current_datetime fixed at 2026-11-28T23:40:00; canonical requests
      // from SigV4Auth.canonical_request. (python3, /tmp script, not in the repository.)
      {"BotocorePlain",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs",
       {{"host", "127.0.0.1:18080"},
        {"x-amz-date", "20261128T234000Z"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=45e903538ebd9a5613a23e4b8f3db5b6eeab8b461ba90da53c4864d5cfefa9da"}},
       "",
       kExampleKey,
       k234000,
       "GET\n/v2/domains/dzd_abc123/jobs/job-1/runs\n\nhost:127.0.0.1:18080\n"
       "x-amz-date:20261128T234000Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      // Query in call order with a value needing encoding ('a b/c+d=e&f'), a header with runs
      // of spaces, region eu-west-1.
      {"BotocoreQueryAndSpacedHeader",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/"
       "runs?status=SUCCESS&nextToken=a%20b%2Fc%2Bd%3De%26f&maxResults=5&sortOrder=ASCENDING",
       {{"host", "127.0.0.1:18080"},
        {"x-custom", "  a   b  "},
        {"x-amz-date", "20261128T234000Z"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date;x-custom, "
         "Signature=e393beb1254984df7e4bf30f8ce9947e653e791f3393354783d5e1ab1e006bba"}},
       "",
       kExampleKey,
       k234000,
       "GET\n/v2/domains/dzd_abc123/jobs/job-1/runs\n"
       "maxResults=5&nextToken=a%20b%2Fc%2Bd%3De%26f&sortOrder=ASCENDING&status=SUCCESS\n"
       "host:127.0.0.1:18080\nx-amz-date:20261128T234000Z\nx-custom:a b\n\n"
       "host;x-amz-date;x-custom\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"BotocoreSessionToken",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs?maxResults=1",
       {{"host", "127.0.0.1:18080"},
        {"x-amz-date", "20261128T234000Z"},
        {"x-amz-security-token", "FQoGZXIvYXdzE//tok+en/with=slash"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date;x-amz-security-token, "
         "Signature=77e52a60e9a056aec71e714565c87b35d3bcae9089fa8e312b830b7c5b8d8f60"}},
       "",
       kExampleSessionKey,
       k234000,
       "GET\n/v2/domains/dzd_abc123/jobs/job-1/runs\nmaxResults=1\nhost:127.0.0.1:18080\n"
       "x-amz-date:20261128T234000Z\nx-amz-security-token:FQoGZXIvYXdzE//tok+en/with=slash\n\n"
       "host;x-amz-date;x-amz-security-token\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      // A path label 'a/b c%d', encoded by botocore's percent_encode: encoded again when signed.
      {"BotocoreEncodedLabel",
       "GET",
       "/v2/domains/dzd_abc/jobs/a%2Fb%20c%25d/runs",
       {{"host", "localhost:8080"},
        {"x-amz-date", "20261128T234000Z"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=f18ea14b2f7c5c39fb08e9f62e1fe77a15c0adcaece1d2c5a76f628bdc4b62d2"}},
       "",
       kExampleKey,
       k234000,
       "GET\n/v2/domains/dzd_abc/jobs/a%252Fb%2520c%2525d/runs\n\nhost:localhost:8080\n"
       "x-amz-date:20261128T234000Z\n\nhost;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      // Empty and "." segments and a trailing slash.
      {"BotocoreDotAndEmptySegments",
       "GET",
       "/v2/domains//jobs/./job-1/runs/",
       {{"host", "localhost:8080"},
        {"x-amz-date", "20261128T234000Z"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=43fcdc35164bb8ca49ac1f2caec372d93261fddda6574f83e56b4b3948087b3d"}},
       "",
       kExampleKey,
       k234000,
       "GET\n/v2/domains/jobs/job-1/runs/\n\nhost:localhost:8080\nx-amz-date:20261128T234000Z\n\n"
       "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      // A body (hashed into the signature) and a repeated query name, sorted by value.
      {"BotocoreBodyAndRepeatedName",
       "POST",
       "/v2/domains/dzd_abc/jobs/j/runs?b=2&a=2&a=1",
       {{"host", "localhost:8080"},
        {"content-type", "application/json"},
        {"x-amz-date", "20261128T234000Z"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=content-type;host;x-amz-date, "
         "Signature=8b775ca08e873a51030fbf2004490c37e471f91fc2cc54e17e4b26931d082151"}},
       "{\"x\": 1}",
       kExampleKey,
       k234000,
       "POST\n/v2/domains/dzd_abc/jobs/j/runs\na=1&a=2&b=2\ncontent-type:application/json\n"
       "host:localhost:8080\nx-amz-date:20261128T234000Z\n\ncontent-type;host;x-amz-date\n"
       "613fe5aa65343dbb1b9abe6abac6773f5c91bd60d3f2ffb7e2eae69e1db8b227"},

      // @aws-sdk/client-datazone 3.1048.0 (@smithy/signature-v4 5.7.5) on node 20: a
      // ListJobRunsCommand sent through a capturing requestHandler, Date.now fixed at
      // 2026-11-28T23:42:03Z; the target is the path plus buildQueryString(query), as the node
      // handler writes it. (node, /tmp script, not in the repository.)
      {"JsPlain",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "d382f256-2f59-47fa-8f47-c8ae65f73e16"},
        {"amz-sdk-request", "attempt=1; max=1"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-content-sha256", kEmptySha256},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-user-agent, "
         "Signature=c01b70f1ef540a2900606ad01ee06635b0ee51e42f6cf3f97facc7e2d930f294"}},
       "",
       kExampleKey,
       1795909323,
       ""},
      {"JsQuery",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/"
       "runs?maxResults=5&nextToken=a%20b%2Fc%2Bd%3De%26f&sortOrder=ASCENDING&status=SUCCESS",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "f7a73047-ed4d-48f9-8c8c-cc599fb136d6"},
        {"amz-sdk-request", "attempt=1; max=1"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-content-sha256", kEmptySha256},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-user-agent, "
         "Signature=6254ab26014fed39972701ef68a44bb977ee639c261af1da905ab7b5b7227fea"}},
       "",
       kExampleKey,
       1795909323,
       ""},
      {"JsSessionToken",
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs?maxResults=1",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "6081025b-6981-400f-a5f7-5024d6047f7b"},
        {"amz-sdk-request", "attempt=1; max=1"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-security-token", "FQoGZXIvYXdzE//tok+en/with=slash"},
        {"x-amz-content-sha256", kEmptySha256},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-security-token;x-amz-user-agent, "
         "Signature=029ee4933d0cb2f7e3d2d288b68dc7034f2cda3d22cee868a9ba515b330e9c79"}},
       "",
       kExampleSessionKey,
       1795909323,
       ""},
      {"JsEncodedLabel",
       "GET",
       "/v2/domains/dzd_abc/jobs/a%2Fb%20c%25d/runs",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "ab014f49-b0b1-4478-92b7-000a8828adc9"},
        {"amz-sdk-request", "attempt=1; max=1"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-content-sha256", kEmptySha256},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-user-agent, "
         "Signature=3f883220e1f90ff9a51c3095432ed64d9269cbd66d7b0be3c5bef0274eb43d14"}},
       "",
       kExampleKey,
       1795909323,
       ""},
      // domainIdentifier "": the JS SDK sends an empty segment (docs/wire.md).
      {"JsEmptyLabel",
       "GET",
       "/v2/domains//jobs/job-1/runs",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "437e6dc7-5b78-4514-aa01-0cfdd9e30e2c"},
        {"amz-sdk-request", "attempt=1; max=1"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-content-sha256", kEmptySha256},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-user-agent, "
         "Signature=83f67d882b1b2fa5b870519be16f83d0e050b49b05ee3a199d949fc1406ab5dc"}},
       "",
       kExampleKey,
       1795909323,
       ""},

      // Requests captured on the wire from real SDKs, signed with access key x, secret y.
      {"CapturedBoto3",  // raw_boto3_request.txt: boto3 1.43.11
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/"
       "runs?maxResults=10&sortOrder=DESCENDING&status=IN_PROGRESS&nextToken=a%20b%2Fc%2Bd%3De%26f",
       {{"host", "127.0.0.1:18080"},
        {"accept-encoding", "identity"},
        {"user-agent",
         "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v857 md/arch#x86_64 "
         "lang/python#3.11.7 md/pyimpl#CPython m/b,e,N,Z,D cfg/retry-mode#legacy "
         "Botocore/1.43.11"},
        {"x-amz-date", "20261128T234000Z"},
        {"amz-sdk-invocation-id", "9a9b0c81-6b4c-4349-b83a-ec37508fb1fa"},
        {"amz-sdk-request", "attempt=1"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=25a0c512e20e066f2982f1a0d7575050ef88021e80aed3804a917245ddbb7c26"}},
       "",
       kCapturedKey,
       k234000,
       ""},
      {"CapturedAwsCli",  // raw_awscli_request.txt: aws-cli 1.45.11
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs?status=SUCCESS&sortOrder=ASCENDING&maxResults=10",
       {{"host", "127.0.0.1:18080"},
        {"accept-encoding", "identity"},
        {"user-agent",
         "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v857 md/arch#x86_64 "
         "lang/python#3.11.7 md/pyimpl#CPython m/b,g,N,D,Z cfg/retry-mode#legacy "
         "botocore/1.43.11"},
        {"x-amz-date", "20261128T234132Z"},
        {"amz-sdk-invocation-id", "4bdfac52-678f-49ac-b5d3-1c672814f91b"},
        {"amz-sdk-request", "attempt=1"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=365c506d335ad8c6d623cea6921deb1faa2c7c66fda88363eeaf68ea90fa9dba"}},
       "",
       kCapturedKey,
       1795909292,
       ""},
      {"CapturedBoto3Retry",  // raw_boto3_standard_429_retries.txt, third attempt
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs",
       {{"host", "127.0.0.1:18080"},
        {"accept-encoding", "identity"},
        {"user-agent",
         "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v857 md/arch#x86_64 "
         "lang/python#3.11.7 md/pyimpl#CPython m/b,N,Z,e,E cfg/retry-mode#standard "
         "Botocore/1.43.11"},
        {"x-amz-date", "20261128T234545Z"},
        {"amz-sdk-invocation-id", "adcb6a85-df56-472a-9a7a-7d745aea7903"},
        {"amz-sdk-request", "ttl=20261128T234644Z; attempt=3; max=3"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date, "
         "Signature=a84e116870279ac21b80fff37694fcf810a2a12382f283390b4a825299c962fd"}},
       "",
       kCapturedKey,
       1795909545,
       ""},
      {"CapturedBoto3SessionToken",  // raw_boto3_with_session_token.txt
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/runs",
       {{"host", "127.0.0.1:18080"},
        {"accept-encoding", "identity"},
        {"user-agent",
         "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v857 md/arch#x86_64 "
         "lang/python#3.11.7 md/pyimpl#CPython m/D,b,e,N,Z cfg/retry-mode#legacy "
         "Botocore/1.43.11"},
        {"x-amz-date", "20261128T234551Z"},
        {"x-amz-security-token", "sess"},
        {"amz-sdk-invocation-id", "0ca9d754-bc6a-4f80-a029-23144e86c106"},
        {"amz-sdk-request", "attempt=1"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=host;x-amz-date;x-amz-security-token, "
         "Signature=fa76c970ea6874bdf48a3425a45d8d8cd3db0e2e3fc6ed9c62c6eea2a982c4a9"}},
       "",
       kCapturedSessionKey,
       1795909551,
       ""},
      {"CapturedJs",  // raw_jsv3_request.txt: @aws-sdk/client-datazone 3.1048.0
       "GET",
       "/v2/domains/dzd_abc123/jobs/job-1/"
       "runs?maxResults=10&nextToken=a%20b%2Fc%2Bd%3De%26f&sortOrder=DESCENDING&status=IN_PROGRESS",
       {{"x-amz-user-agent", "aws-sdk-js/3.1048.0"},
        {"user-agent",
         "aws-sdk-js/3.1048.0 ua/2.1 os/linux#6.18.44-fc-v857 lang/js md/nodejs#20.20.2 "
         "api/datazone#3.1048.0 m/N,E,e"},
        {"host", "127.0.0.1:18080"},
        {"amz-sdk-invocation-id", "7d1ff072-d0f7-4410-bc22-c01b3ffdf60c"},
        {"amz-sdk-request", "attempt=1; max=3"},
        {"x-amz-date", "20261128T234203Z"},
        {"x-amz-content-sha256", kEmptySha256},
        {"connection", "keep-alive"},
        {"authorization",
         "AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request, "
         "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;"
         "x-amz-date;x-amz-user-agent, "
         "Signature=3109c82a664c4183b142ded8af4c9f33ac5f729205d82506630c3ff54136a317"}},
       "",
       kCapturedKey,
       1795909323,
       ""},
  };
}

class SdkVectorTest : public testing::TestWithParam<SdkVector> {};

// botocore prints its canonical request; the JS SDK and the wire captures give signatures only.
std::vector<SdkVector> VectorsWithCanonicalRequest() {
  std::vector<SdkVector> out;
  for (SdkVector& v : SdkVectors()) {
    if (!v.canonical_request.empty()) out.push_back(std::move(v));
  }
  return out;
}

class CanonicalRequestVectorTest : public testing::TestWithParam<SdkVector> {};

TEST_P(CanonicalRequestVectorTest, CanonicalRequestIsTheSdks) {
  const SdkVector& v = GetParam();
  const HttpRequest request = RequestOf(v);
  const SigV4Authorization authorization = ParseAuthorization(v.headers.back().second);
  EXPECT_EQ(CanonicalRequest(request, authorization.signed_headers, PayloadHash(request)),
            v.canonical_request);
}

TEST_P(SdkVectorTest, ExpectedSignatureIsTheSdks) {
  const SdkVector& v = GetParam();
  const HttpRequest request = RequestOf(v);
  const SigV4Authorization authorization = ParseAuthorization(v.headers.back().second);
  ASSERT_TRUE(authorization.Complete());
  EXPECT_EQ(ExpectedSignature(request, authorization, FormatAmzDate(v.signed_at),
                              v.credential.secret_access_key),
            Signature(v));
}

TEST_P(SdkVectorTest, VerifiesWithinFiveMinutesEitherWay) {
  const SdkVector& v = GetParam();
  const CredentialSet credentials = SetOf({v.credential});
  for (const auto now :
       {At(v.signed_at), At(v.signed_at + 300) + milliseconds(999), At(v.signed_at - 300)}) {
    const auto result = Authenticate(RequestOf(v), AuthMode::kVerify, credentials, now);
    ASSERT_TRUE(result.ok()) << result.error().type << ": " << result.error().message << " / "
                             << result.error().reason;
    EXPECT_EQ(result.value(), v.credential.access_key_id);
  }
}

TEST_P(SdkVectorTest, AnotherSecretDoesNotVerify) {
  const SdkVector& v = GetParam();
  Credential other = v.credential;
  other.secret_access_key += "x";
  ExpectAuthError(Authenticate(RequestOf(v), AuthMode::kVerify, SetOf({other}), At(v.signed_at)),
                  "InvalidSignatureException", kInvalidSignatureMessage);
}

TEST_P(SdkVectorTest, ChangingAnySignedPartBreaksTheSignature) {
  const SdkVector& v = GetParam();
  const CredentialSet credentials = SetOf({v.credential});
  const SigV4Authorization authorization = ParseAuthorization(v.headers.back().second);
  const auto expect_rejected = [&](const HttpRequest& request, const std::string& what) {
    SCOPED_TRACE(what);
    ExpectAuthError(Authenticate(request, AuthMode::kVerify, credentials, At(v.signed_at)),
                    "InvalidSignatureException", kInvalidSignatureMessage);
  };
  HttpRequest request = RequestOf(v);
  request.method = v.method == "GET" ? "POST" : "GET";
  expect_rejected(request, "method");
  request = RequestOf(v);
  request.target.insert(request.target.find("/runs") + 1, "x");
  expect_rejected(request, "path");
  request = RequestOf(v);
  request.target += request.target.find('?') == std::string::npos ? "?a=b" : "&a=b";
  expect_rejected(request, "query");
  request = RequestOf(v);
  request.body += " ";
  if (request.Header("x-amz-content-sha256").empty()) expect_rejected(request, "body");
  for (const std::string& name : authorization.signed_headers) {
    request = RequestOf(v);
    for (auto& [key, value] : request.headers) {
      // A changed X-Amz-Date must stay readable to reach the signature check.
      if (key == name) value = name == "x-amz-date" ? FormatAmzDate(v.signed_at + 1) : value + "1";
    }
    // A changed session token is refused earlier, as an invalid token.
    if (name != "x-amz-security-token") expect_rejected(request, "header " + name);
  }
}

TEST_P(SdkVectorTest, UnsignedHeadersMayChange) {
  const SdkVector& v = GetParam();
  HttpRequest request = RequestOf(v);
  request.headers.emplace_back("x-forwarded-for", "10.0.0.1");
  SetHeader(request, "user-agent", "changed by a proxy");
  ASSERT_THAT(ParseAuthorization(v.headers.back().second).signed_headers,
              testing::Not(testing::Contains("user-agent")));
  const auto result =
      Authenticate(request, AuthMode::kVerify, SetOf({v.credential}), At(v.signed_at));
  ASSERT_TRUE(result.ok()) << result.error().reason;
}

TEST_P(SdkVectorTest, AccessKeyIdIsReadInEveryMode) {
  const SdkVector& v = GetParam();
  EXPECT_EQ(AccessKeyIdOf(RequestOf(v)), v.credential.access_key_id);
  for (const AuthMode mode : {AuthMode::kOff, AuthMode::kRequired}) {
    const auto result = Authenticate(RequestOf(v), mode, {}, At(0));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.value(), v.credential.access_key_id);
  }
}

std::string VectorName(const testing::TestParamInfo<SdkVector>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(RealSdks, SdkVectorTest, testing::ValuesIn(SdkVectors()), VectorName);
INSTANTIATE_TEST_SUITE_P(Botocore, CanonicalRequestVectorTest,
                         testing::ValuesIn(VectorsWithCanonicalRequest()), VectorName);

// The query order of boto3 (call order), the CLI (model order) and JS (alphabetical) canonicalize
// to the same string (docs/wire.md: "Query parameters arrive in any order").
TEST(SigV4Test, QueryOrderDoesNotMatter) {
  const SdkVector boto = SdkVectors()[1];
  HttpRequest request = RequestOf(boto);
  request.target =
      "/v2/domains/dzd_abc123/jobs/job-1/"
      "runs?sortOrder=ASCENDING&maxResults=5&status=SUCCESS&nextToken=a%20b%2Fc%2Bd%3De%26f";
  const auto result =
      Authenticate(request, AuthMode::kVerify, SetOf({boto.credential}), At(boto.signed_at));
  ASSERT_TRUE(result.ok()) << result.error().reason;
}

// --- Known answers ------------------------------------------------------------------------------

TEST(SigV4Test, SigningKeyMatchesTheAwsDocumentationExample) {
  // "Deriving the signing key", AWS General Reference (Signature Version 4 examples).
  const std::string key =
      SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  ASSERT_EQ(key.size(), 32u);
  std::string hex;
  for (const char c : key) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(c);
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0F];
  }
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4Test, Sha256AndStringToSign) {
  EXPECT_EQ(Sha256Hex(""), kEmptySha256);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(StringToSign("20261128T234000Z", "20261128/us-east-1/datazone/aws4_request", ""),
            std::string("AWS4-HMAC-SHA256\n20261128T234000Z\n"
                        "20261128/us-east-1/datazone/aws4_request\n") +
                kEmptySha256);
}

TEST(SigV4Test, PayloadHashPrefersTheDeclaredHeader) {
  HttpRequest request = MakeRequest("POST", "/", {}, "abc");
  EXPECT_EQ(PayloadHash(request),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  request.headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  EXPECT_EQ(PayloadHash(request), "UNSIGNED-PAYLOAD");
}

// --- Canonical pieces ---------------------------------------------------------------------------

TEST(CanonicalUriTest, FollowsBotocoreForNonS3Services) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "/"},
      {"/", "/"},
      {"//", "/"},
      {"/./", "/"},
      {"/v2/domains/dzd_a/jobs/j/runs", "/v2/domains/dzd_a/jobs/j/runs"},
      {"/a/./b//c/", "/a/b/c/"},
      {"/a/../b", "/a/../b"},  // botocore keeps "..": so do we
      {"/a%2Fb", "/a%252Fb"},
      {"/a%2fb", "/a%252fb"},  // the raw text is encoded, not normalized
      {"/a b+c", "/a%20b%2Bc"},
      {"/~a-b_c.d", "/~a-b_c.d"},
      {"/\xc3\xa9", "/%C3%A9"},
      {"a/b", "a/b"},
  };
  for (const auto& [raw, canonical] : cases) EXPECT_EQ(CanonicalUri(raw), canonical) << raw;
}

TEST(CanonicalQueryTest, DecodesReencodesAndSorts) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"b=2&a=1", "a=1&b=2"},
      {"a=2&a=1&a=10", "a=1&a=10&a=2"},
      {"a+b=c+d", "a%2Bb=c%2Bd"},  // '+' is a plus, never a space
      {"flag", "flag="},
      {"flag=", "flag="},
      {"a=1&&b=2&", "a=1&b=2"},
      {"x=%zz&y=%4", "x=%25zz&y=%254"},
      {"x=%7e%2f%41", "x=~%2FA"},
      {"nextToken=a%20b%2Fc%2Bd%3De%26f", "nextToken=a%20b%2Fc%2Bd%3De%26f"},
      {"k=a b", "k=a%20b"},
      {"a-=2&a%20=1", "a%20=1&a-=2"},  // sorted by the encoded bytes: '%' < '-'
      {"v=x=y", "v=x%3Dy"},
  };
  for (const auto& [raw, canonical] : cases) EXPECT_EQ(CanonicalQuery(raw), canonical) << raw;
}

TEST(CanonicalHeadersTest, TrimsCollapsesJoinsAndSorts) {
  const HttpRequest request = MakeRequest("GET", "/",
                                          {{"x-b", "\t two   words \t"},
                                           {"host", "h"},
                                           {"x-a", "first"},
                                           {"x-a", " second  value "},
                                           {"x-empty", ""}});
  EXPECT_EQ(CanonicalHeaders(request, {"x-b", "Host", "x-a", "x-empty", "x-absent", "host"}),
            "host:h\nx-a:first,second value\nx-absent:\nx-b:two words\nx-empty:\n");
  EXPECT_EQ(CanonicalHeaders(request, {}), "");
}

// --- Parsing the Authorization header -----------------------------------------------------------

TEST(ParseAuthorizationTest, ReadsEveryPart) {
  SigV4Authorization expected;
  expected.access_key_id = "AKIDEXAMPLE";
  expected.date = "20261128";
  expected.region = "eu-west-1";
  expected.service = "datazone";
  expected.signed_headers = {"host", "x-amz-date"};
  expected.signature = "abc123";
  expected.missing_credential = false;
  expected.missing_signed_headers = false;
  expected.missing_signature = false;
  EXPECT_EQ(ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/"
                               "datazone/aws4_request, SignedHeaders=host;x-amz-date, "
                               "Signature=abc123"),
            expected);
  // Spacing is free, names are lower-cased, parameters come in any order; the first counts.
  EXPECT_EQ(ParseAuthorization("  AWS4-HMAC-SHA256   Signature=abc123,SignedHeaders=Host;X-Amz-Date"
                               " ,Credential = AKIDEXAMPLE/20261128/eu-west-1/datazone/"
                               "aws4_request, Signature=other, Extra=1  "),
            expected);
  EXPECT_EQ(expected.CredentialScope(), "20261128/eu-west-1/datazone/aws4_request");
}

TEST(ParseAuthorizationTest, FlagsMissingAndUnreadableParts) {
  struct Case {
    std::string header;
    bool missing_credential;
    bool missing_signed_headers;
    bool missing_signature;
  };
  const std::vector<Case> cases = {
      {"", true, true, true},
      {"AWS4-HMAC-SHA256", true, true, true},
      {"Basic eDp5", true, true, true},
      {"AWS4-HMAC-SHA1 Credential=x/20261128/us-east-1/datazone/aws4_request, "
       "SignedHeaders=host, Signature=ab",
       true, true, true},
      {"AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request", false, true, true},
      {"AWS4-HMAC-SHA256 SignedHeaders=host", true, false, true},
      {"AWS4-HMAC-SHA256 Signature=ab", true, true, false},
      {"AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone, SignedHeaders=host, "
       "Signature=ab",
       true, false, false},
      {"AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws4_request/extra, "
       "SignedHeaders=host, Signature=ab",
       true, false, false},
      {"AWS4-HMAC-SHA256 Credential=/20261128/us-east-1/datazone/aws4_request, "
       "SignedHeaders=host, Signature=ab",
       true, false, false},
      {"AWS4-HMAC-SHA256 Credential=x/20261128/us-east-1/datazone/aws5_request, "
       "SignedHeaders=host;, Signature=",
       true, true, true},
      {"AWS4-HMAC-SHA256 Credential, SignedHeaders, Signature", true, true, true},
  };
  for (const Case& c : cases) {
    const SigV4Authorization parsed = ParseAuthorization(c.header);
    EXPECT_EQ(parsed.missing_credential, c.missing_credential) << c.header;
    EXPECT_EQ(parsed.missing_signed_headers, c.missing_signed_headers) << c.header;
    EXPECT_EQ(parsed.missing_signature, c.missing_signature) << c.header;
    if (c.missing_credential) {
      EXPECT_EQ(parsed.access_key_id, "") << c.header;
    }
  }
}

TEST(AccessKeyIdOfTest, ReadsTheCredentialOnly) {
  EXPECT_EQ(AccessKeyIdOf(MakeRequest("GET", "/", {})), "");
  EXPECT_EQ(AccessKeyIdOf(MakeRequest(
                "GET", "/",
                {{"authorization",
                  "AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/datazone/aws4_request"}})),
            "AKID");
  EXPECT_EQ(AccessKeyIdOf(MakeRequest("GET", "/", {{"authorization", "Basic eDp5"}})), "");
  EXPECT_EQ(AccessKeyIdOf(
                MakeRequest("GET", "/", {{"authorization", "AWS4-HMAC-SHA256 Credential=AKID"}})),
            "");
}

// --- Signing time -------------------------------------------------------------------------------

TEST(SigningTimeTest, ReadsXAmzDateThenDate) {
  EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"x-amz-date", "20261128T234000Z"}})), k234000);
  EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"date", "Sat, 28 Nov 2026 23:40:00 GMT"}})),
            k234000);
  EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"date", "20261128T234000Z"}})), k234000);
  EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"x-amz-date", " 20261128T234000Z\t"}})), k234000);
  // X-Amz-Date decides when present.
  EXPECT_EQ(SigningTime(MakeRequest(
                "GET", "/", {{"date", "Sat, 28 Nov 2026 23:40:00 GMT"}, {"x-amz-date", "bad"}})),
            std::nullopt);
  EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {})), std::nullopt);
  for (const char* bad :
       {"2026-11-28T23:40:00Z", "20261128T234000", "20261128T244000Z", "20260230T000000Z",
        "2026112XT234000Z", "20261128 234000Z", "Sat, 28 Foo 2026 23:40:00 GMT",
        "Sat, 28 Nov 2026 23:40:00 UTC", "Sat, 28 Nov 2026 23:40 GMT"}) {
    EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"x-amz-date", bad}})), std::nullopt) << bad;
    EXPECT_EQ(SigningTime(MakeRequest("GET", "/", {{"date", bad}})), std::nullopt) << bad;
  }
}

TEST(SigningTimeTest, FormatAmzDate) {
  EXPECT_EQ(FormatAmzDate(k234000), "20261128T234000Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(951782400), "20000229T000000Z");
  // Absurd clocks are clamped to four-digit years rather than misprinted.
  EXPECT_EQ(FormatAmzDate(INT64_MAX), "99991231T235959Z");
  EXPECT_EQ(FormatAmzDate(INT64_MIN), "00010101T000000Z");
}

// --- Authenticate: each answer with its exact bytes ---------------------------------------------

// A request botocore signed (BotocorePlain) and the credentials that verify it.
class AuthenticateTest : public testing::Test {
 protected:
  HttpRequest request_ = RequestOf(SdkVectors()[0]);
  CredentialSet credentials_ = SetOf({kExampleKey});
  system_clock::time_point now_ = At(k234000);
};

TEST_F(AuthenticateTest, OffAcceptsEveryoneAndStillNamesTheCaller) {
  auto result = Authenticate(request_, AuthMode::kOff, {}, now_);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "AKIDEXAMPLE");
  RemoveHeader(request_, "authorization");
  result = Authenticate(request_, AuthMode::kOff, {}, now_);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "");
}

TEST_F(AuthenticateTest, NoAuthorizationHeader) {
  RemoveHeader(request_, "authorization");
  for (const AuthMode mode : {AuthMode::kRequired, AuthMode::kVerify}) {
    const auto result = Authenticate(request_, mode, credentials_, now_);
    ExpectAuthError(result, "MissingAuthenticationTokenException", "Missing Authentication Token");
    EXPECT_EQ(result.error().reason, "no Authorization header");
  }
  request_.headers.emplace_back("authorization", "  ");
  ExpectAuthError(Authenticate(request_, AuthMode::kVerify, credentials_, now_),
                  "MissingAuthenticationTokenException", "Missing Authentication Token");
}

TEST_F(AuthenticateTest, IncompleteSignatureListsOnlyWhatIsMissing) {
  struct Case {
    std::string authorization;
    bool with_date;
    std::string message;
  };
  const std::string credential = "Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request";
  const std::vector<Case> cases = {
      {"Basic eDp5", false,
       // docs/wire.md's full text, every part missing.
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
      {"Basic eDp5", true,
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."},
      {"AWS4-HMAC-SHA256 " + credential, true,
       "Authorization header requires 'Signature' parameter. Authorization header requires "
       "'SignedHeaders' parameter."},
      {"AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host;x-amz-date", true,
       "Authorization header requires 'Signature' parameter."},
      {"AWS4-HMAC-SHA256 " + credential + ", Signature=ab", true,
       "Authorization header requires 'SignedHeaders' parameter."},
      {"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab", true,
       "Authorization header requires 'Credential' parameter."},
      {"AWS4-HMAC-SHA256 " + credential + ", SignedHeaders=host, Signature=ab", false,
       "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.authorization);
    HttpRequest request =
        MakeRequest("GET", "/", {{"host", "h"}, {"authorization", c.authorization}});
    if (c.with_date) request.headers.emplace_back("x-amz-date", "20261128T234000Z");
    for (const AuthMode mode : {AuthMode::kRequired, AuthMode::kVerify}) {
      ExpectAuthError(Authenticate(request, mode, credentials_, now_),
                      "IncompleteSignatureException", c.message);
    }
  }
  // The full text is also the type's default (docs/decisions.md).
  EXPECT_EQ(ErrorByType("IncompleteSignatureException")->message, cases[0].message);
}

TEST_F(AuthenticateTest, AnUnreadableDateCountsAsMissing) {
  SetHeader(request_, "x-amz-date", "2026-11-28T23:40:00Z");
  const auto result = Authenticate(request_, AuthMode::kRequired, credentials_, now_);
  ExpectAuthError(
      result, "IncompleteSignatureException",
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  EXPECT_EQ(result.error().reason,
            "incomplete signature, missing or unreadable: a readable X-Amz-Date or Date header; "
            "Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/"
            "datazone/aws4_request, SignedHeaders=host;x-amz-date, "
            "Signature=45e903538ebd9a5613a23e4b8f3db5b6eeab8b461ba90da53c4864d5cfefa9da'");
}

TEST_F(AuthenticateTest, RequiredDoesNotVerify) {
  SetHeader(request_, "authorization",
            "AWS4-HMAC-SHA256 Credential=nobody/19990101/nowhere/other/aws4_request, "
            "SignedHeaders=host, Signature=not-hex");
  const auto result = Authenticate(request_, AuthMode::kRequired, {}, At(0));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "nobody");
}

TEST_F(AuthenticateTest, UnknownAccessKey) {
  const auto result = Authenticate(request_, AuthMode::kVerify, SetOf({kCapturedKey}), now_);
  ExpectAuthError(result, "UnrecognizedClientException", kUnrecognizedClientMessage);
  EXPECT_EQ(result.error().reason, "unknown access key id 'AKIDEXAMPLE'");
  // Checked before the clock: a stranger learns nothing about the server's time.
  ExpectAuthError(Authenticate(request_, AuthMode::kVerify, {}, At(0)),
                  "UnrecognizedClientException", kUnrecognizedClientMessage);
}

TEST_F(AuthenticateTest, SessionTokenMustBeExactlyTheCredentials) {
  const SdkVector session = SdkVectors()[2];  // BotocoreSessionToken
  const CredentialSet credentials = SetOf({session.credential});
  HttpRequest request = RequestOf(session);
  ASSERT_TRUE(Authenticate(request, AuthMode::kVerify, credentials, now_).ok());

  RemoveHeader(request, "x-amz-security-token");
  auto result = Authenticate(request, AuthMode::kVerify, credentials, now_);
  ExpectAuthError(result, "UnrecognizedClientException", kUnrecognizedClientMessage);
  EXPECT_EQ(result.error().reason,
            "no X-Amz-Security-Token for temporary credential 'ASIAEXAMPLE'");

  request = RequestOf(session);
  SetHeader(request, "x-amz-security-token", "FQoGZXIvYXdzE//tok+en/with=slasH");
  result = Authenticate(request, AuthMode::kVerify, credentials, now_);
  ExpectAuthError(result, "UnrecognizedClientException", kUnrecognizedClientMessage);
  EXPECT_EQ(result.error().reason,
            "X-Amz-Security-Token is not the session token of 'ASIAEXAMPLE'");

  // A token sent with long-term keys is refused too, as AWS refuses it.
  request_.headers.emplace_back("x-amz-security-token", "sess");
  result = Authenticate(request_, AuthMode::kVerify, credentials_, now_);
  ExpectAuthError(result, "UnrecognizedClientException", kUnrecognizedClientMessage);
  EXPECT_EQ(result.error().reason,
            "X-Amz-Security-Token sent for long-term credential 'AKIDEXAMPLE'");
}

TEST_F(AuthenticateTest, ExpiredCredential) {
  Credential expiring = kExampleKey;
  // Valid until, not including, expiresAt.
  expiring.expires_at = k234000 * 1000 + 1;
  ASSERT_TRUE(Authenticate(request_, AuthMode::kVerify, SetOf({expiring}), now_).ok());
  expiring.expires_at = k234000 * 1000;
  auto result = Authenticate(request_, AuthMode::kVerify, SetOf({expiring}), now_);
  ExpectAuthError(result, "ExpiredTokenException",
                  "The security token included in the request is expired");
  EXPECT_EQ(result.error().reason, "credential 'AKIDEXAMPLE' expired at 2026-11-28T23:40:00.000Z");
  // Expiry is checked before the clock skew.
  result = Authenticate(request_, AuthMode::kVerify, SetOf({expiring}), At(k234000 + 3600));
  ExpectAuthError(result, "ExpiredTokenException",
                  "The security token included in the request is expired");
}

TEST_F(AuthenticateTest, SignatureExpiredAfterFiveMinutes) {
  ASSERT_TRUE(
      Authenticate(request_, AuthMode::kVerify, credentials_, At(k234000 + 300) + milliseconds(999))
          .ok());
  const auto result = Authenticate(request_, AuthMode::kVerify, credentials_, At(k234000 + 301));
  ExpectAuthError(result, "InvalidSignatureException",
                  "Signature expired: 20261128T234000Z is now earlier than 20261128T234001Z "
                  "(20261128T234501Z - 5 min.)");
  EXPECT_EQ(result.error().reason, "signing time too far in the past");
}

TEST_F(AuthenticateTest, SignatureNotYetCurrentBeforeFiveMinutes) {
  ASSERT_TRUE(Authenticate(request_, AuthMode::kVerify, credentials_, At(k234000 - 300)).ok());
  const auto result =
      Authenticate(request_, AuthMode::kVerify, credentials_, At(k234000 - 300) - milliseconds(1));
  ExpectAuthError(result, "InvalidSignatureException",
                  "Signature not yet current: 20261128T234000Z is still later than "
                  "20261128T233959Z (20261128T233459Z + 5 min.)");
  EXPECT_EQ(result.error().reason, "signing time too far in the future");
}

TEST_F(AuthenticateTest, SkewIsCheckedBeforeTheSignature) {
  SetHeader(request_, "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=0000");
  ExpectAuthError(Authenticate(request_, AuthMode::kVerify, credentials_, At(k234000 + 86400)),
                  "InvalidSignatureException",
                  "Signature expired: 20261128T234000Z is now earlier than 20261129T233500Z "
                  "(20261129T234000Z - 5 min.)");
}

TEST_F(AuthenticateTest, WrongSignatureShowsTheCanonicalRequestInTheReason) {
  SetHeader(request_, "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=45E903538EBD9A5613A23E4B8F3DB5B6EEAB8B461BA90DA53C4864D5CFEFA9DA");
  const auto result = Authenticate(request_, AuthMode::kVerify, credentials_, now_);
  ExpectAuthError(result, "InvalidSignatureException", kInvalidSignatureMessage);
  EXPECT_EQ(result.error().reason,
            "signature mismatch for 'AKIDEXAMPLE'; canonical request: "
            "GET\\n/v2/domains/dzd_abc123/jobs/job-1/runs\\n\\nhost:127.0.0.1:18080\\n"
            "x-amz-date:20261128T234000Z\\n\\nhost;x-amz-date\\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(AuthenticateTest, ScopeIsTakenFromTheHeader) {
  // A signature made for another service or region verifies as long as the header names the
  // scope it was made for: the mock answers whatever region a client is configured with.
  HttpRequest request = MakeRequest("GET", "/v2/domains/dzd_a/jobs/j/runs", {{"host", "h"}});
  SignRequest(request, kExampleKey, now_, "ap-south-2", "other");
  const auto result = Authenticate(request, AuthMode::kVerify, credentials_, now_);
  ASSERT_TRUE(result.ok()) << result.error().reason;
  EXPECT_THAT(std::string(request.Header("authorization")),
              testing::HasSubstr("/20261128/ap-south-2/other/aws4_request,"));
}

TEST_F(AuthenticateTest, DateHeaderInsteadOfXAmzDate) {
  HttpRequest request = MakeRequest("GET", "/v2/domains/dzd_a/jobs/j/runs",
                                    {{"host", "h"}, {"date", "Sat, 28 Nov 2026 23:40:00 GMT"}});
  SigV4Authorization authorization = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/"
      "aws4_request, SignedHeaders=date;host, Signature=x");
  // The string to sign carries the time in X-Amz-Date's form whatever header carried it.
  const std::string signature =
      ExpectedSignature(request, authorization, "20261128T234000Z", kExampleKey.secret_access_key);
  request.headers.emplace_back(
      "authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/aws4_request, "
      "SignedHeaders=date;host, Signature=" +
          signature);
  const auto result = Authenticate(request, AuthMode::kVerify, credentials_, now_);
  ASSERT_TRUE(result.ok()) << result.error().reason;
  ExpectAuthError(Authenticate(request, AuthMode::kVerify, credentials_, At(k234000 - 301)),
                  "InvalidSignatureException",
                  "Signature not yet current: 20261128T234000Z is still later than "
                  "20261128T233959Z (20261128T233459Z + 5 min.)");
}

// --- SignRequest --------------------------------------------------------------------------------

TEST(SignRequestTest, SignsLikeBotocore) {
  // With only host present, SignRequest signs what botocore signs (vector BotocorePlain).
  HttpRequest request =
      MakeRequest("GET", "/v2/domains/dzd_abc123/jobs/job-1/runs", {{"host", "127.0.0.1:18080"}});
  SignRequest(request, kExampleKey, At(k234000) + milliseconds(750));
  EXPECT_EQ(request.headers, SdkVectors()[0].headers);
}

TEST(SignRequestTest, AddsTheSessionTokenAndReplacesAnOldSignature) {
  HttpRequest request = RequestOf(SdkVectors()[0]);
  SignRequest(request, kExampleSessionKey, At(k234000 + 60));
  EXPECT_EQ(request.Header("x-amz-date"), "20261128T234100Z");
  EXPECT_EQ(request.Header("x-amz-security-token"), "FQoGZXIvYXdzE//tok+en/with=slash");
  EXPECT_EQ(request.headers.size(), 4u);
  const auto result =
      Authenticate(request, AuthMode::kVerify, SetOf({kExampleSessionKey}), At(k234000 + 60));
  ASSERT_TRUE(result.ok()) << result.error().reason;
  EXPECT_EQ(result.value(), "ASIAEXAMPLE");
}

TEST(AuthModeTest, RoundTrips) {
  for (const AuthMode mode : {AuthMode::kOff, AuthMode::kRequired, AuthMode::kVerify}) {
    EXPECT_EQ(ParseAuthMode(ToString(mode)), mode);
  }
  EXPECT_EQ(ToString(AuthMode::kVerify), "verify");
  EXPECT_EQ(ParseAuthMode("Verify"), std::nullopt);
  EXPECT_EQ(ParseAuthMode(""), std::nullopt);
}

// --- Robustness: untrusted input of any size ----------------------------------------------------

// Every answer to junk is either ok or one of the 403s docs/wire.md lists.
void ExpectWellFormedAnswer(const Result<std::string, AwsError>& result) {
  if (result.ok()) return;
  EXPECT_THAT(result.error().type,
              testing::AnyOf("MissingAuthenticationTokenException", "IncompleteSignatureException",
                             "UnrecognizedClientException", "InvalidSignatureException",
                             "ExpiredTokenException"));
  EXPECT_EQ(result.error().http_status, 403);
}

TEST(SigV4RobustnessTest, JunkNeverCrashes) {
  // Fragments of the syntax, so that junk often gets far into the parsers.
  const std::vector<std::string> pieces = {"AWS4-HMAC-SHA256 ",
                                           "Credential=",
                                           "SignedHeaders=",
                                           "Signature=",
                                           "AKIDEXAMPLE",
                                           "/",
                                           ",",
                                           ";",
                                           "=",
                                           " ",
                                           "\t",
                                           "%",
                                           "%2",
                                           "%2F",
                                           "+",
                                           "&",
                                           "?",
                                           ".",
                                           "..",
                                           "aws4_request",
                                           "20261128",
                                           "host",
                                           "x-amz-date",
                                           "\xff",
                                           std::string(1, '\0'),
                                           "abc",
                                           "0"};
  std::mt19937 random(20261128);  // fixed seed: the same junk on every run
  const auto junk = [&] {
    std::string out;
    const int count = static_cast<int>(random() % 24);
    for (int i = 0; i < count; ++i) out += pieces[random() % pieces.size()];
    return out;
  };
  const CredentialSet credentials = SetOf({kExampleKey, kExampleSessionKey});
  for (int i = 0; i < 3000; ++i) {
    HttpRequest request = MakeRequest(junk(), "/" + junk(), {{"host", junk()}}, junk());
    request.headers.emplace_back("authorization", junk());
    if (random() % 2) request.headers.emplace_back("x-amz-date", junk());
    if (random() % 4 == 0) request.headers.emplace_back("date", junk());
    if (random() % 4 == 0) request.headers.emplace_back("x-amz-security-token", junk());
    (void)AccessKeyIdOf(request);
    (void)ParseAuthorization(junk());
    (void)CanonicalUri(junk());
    (void)CanonicalQuery(junk());
    for (const AuthMode mode : {AuthMode::kOff, AuthMode::kRequired, AuthMode::kVerify}) {
      ExpectWellFormedAnswer(Authenticate(request, mode, credentials, At(k234000)));
    }
  }
}

TEST(SigV4RobustnessTest, HugeInputsAreHandled) {
  const std::size_t kMiB = 1u << 20;
  std::string signed_headers;
  for (int i = 0; i < 100'000; ++i) signed_headers += "h" + std::to_string(i) + ";";
  signed_headers += "host";
  HttpRequest request = MakeRequest(
      "GET", std::string(kMiB, '/') + "?" + std::string(kMiB, '&') + std::string(kMiB, '%'),
      {{"host", std::string(kMiB, ' ')},
       {"x-amz-date", "20261128T234000Z"},
       {"authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/datazone/"
        "aws4_request, SignedHeaders=" +
            signed_headers + ", Signature=" + std::string(kMiB, 'a')}},
      std::string(4 * kMiB, 'b'));
  ExpectAuthError(Authenticate(request, AuthMode::kVerify, SetOf({kExampleKey}), At(k234000)),
                  "InvalidSignatureException", kInvalidSignatureMessage);
  EXPECT_EQ(CanonicalUri(std::string(kMiB, '/')), "/");
  EXPECT_EQ(CanonicalQuery(std::string(kMiB, '&')), "");
  EXPECT_EQ(ParseAuthorization(std::string(kMiB, ',')), SigV4Authorization{});
}

}  // namespace
}  // namespace datazone_mock
