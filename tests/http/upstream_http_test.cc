// Forwarding to an upstream, re-signed: another datazone-mock with --auth verify plays the real
// service, so the SigV4 signature is checked for real.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "server/mock_server.h"
#include "server/upstream.h"
#include "support/temp_dir.h"

namespace datazone_mock {
namespace {

constexpr const char* kRuns = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=3";

class UpstreamTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto file = dir_.path() / "credentials.yaml";
    std::ofstream(file)
        << "credentials:\n  - {accessKeyId: AKIDUPSTREAM, secretAccessKey: right}\n";
    Options options;
    options.port = 0;
    options.auth = AuthMode::kVerify;
    options.credentials = file.string();
    options.token_secret = "upstream";
    auto server = MockServer::Create(options, nullptr);
    ASSERT_TRUE(server.ok()) << server.error().message;
    upstream_server_ = std::move(server).value();
    upstream_server_->Start();
  }

  std::unique_ptr<Upstream> To(std::string url, Credential credential) {
    auto upstream = Upstream::Create(UpstreamOptions{std::move(url), "us-east-1", credential});
    EXPECT_TRUE(upstream.ok()) << upstream.error();
    return upstream.ok() ? std::move(upstream).value() : nullptr;
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(upstream_server_->port()); }

  TempDir dir_{"datazone-mock-upstream-"};
  std::unique_ptr<MockServer> upstream_server_;
};

TEST_F(UpstreamTest, ForwardsReSignedAndPassesTheAnswerThrough) {
  const auto upstream = To(Url(), Credential{"AKIDUPSTREAM", "right", {}, {}});
  ASSERT_TRUE(upstream);
  const HttpResponse answer = upstream->Forward(kRuns);
  EXPECT_EQ(answer.status, 200) << answer.body;
  const auto page = nlohmann::json::parse(answer.body);
  EXPECT_EQ(page["items"].size(), 3u);
  EXPECT_TRUE(page.contains("nextToken"));
  EXPECT_EQ(answer.Header("x-amzn-RequestId").size(), 36u);
  // The upstream saw a verified caller: the journal has the upstream's own key.
  const auto seen = upstream_server_->Requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].access_key_id, "AKIDUPSTREAM");
  EXPECT_EQ(seen[0].status, 200);
  // The next page, through the upstream's own token.
  const HttpResponse next =
      upstream->Forward(std::string(kRuns) + "&nextToken=" + page["nextToken"].get<std::string>());
  EXPECT_EQ(next.status, 200) << next.body;
}

TEST_F(UpstreamTest, UpstreamErrorsArePassedThrough) {
  const auto wrong = To(Url(), Credential{"AKIDUPSTREAM", "wrong", {}, {}});
  ASSERT_TRUE(wrong);
  const HttpResponse refused = wrong->Forward(kRuns);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_type, "InvalidSignatureException");
  EXPECT_EQ(refused.Header("x-amzn-ErrorType").substr(0, 25), "InvalidSignatureException");
  const auto right = To(Url(), Credential{"AKIDUPSTREAM", "right", {}, {}});
  const HttpResponse missing = right->Forward("/v2/domains/dzd_nope01/jobs/x/runs");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_type, "ResourceNotFoundException");
}

TEST_F(UpstreamTest, AnUnreachableUpstreamIsARetryable503) {
  const auto down = To("http://127.0.0.1:9", Credential{"AKIDUPSTREAM", "right", {}, {}});
  ASSERT_TRUE(down);
  const HttpResponse answer = down->Forward(kRuns);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.error_type, "ServiceUnavailableException");
}

TEST(UpstreamCreateTest, ABadUrlOrNoCredentialsIsOneLine) {
  const Credential key{"AKID", "secret", {}, {}};
  const std::string expected =
      ": must be https://host[:port] (or http:// for a local upstream), without a path or user "
      "information";
  EXPECT_EQ(Upstream::Create({"ftp://example.com", "us-east-1", key}).error(),
            "--upstream 'ftp://example.com'" + expected);
  EXPECT_EQ(Upstream::Create({"https://example.com/v2", "us-east-1", key}).error(),
            "--upstream 'https://example.com/v2'" + expected);
  EXPECT_EQ(Upstream::Create({"example.com", "us-east-1", key}).error(),
            "--upstream 'example.com'" + expected);
  // User information in the URL is refused without being repeated.
  EXPECT_EQ(Upstream::Create({"https://me:pw@example.com", "us-east-1", key}).error(),
            "--upstream (URL not shown)" + expected);
  EXPECT_EQ(Upstream::Create({"https://datazone.us-east-1.amazonaws.com", "us-east-1", {}}).error(),
            "no credentials for the upstream: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(and AWS_SESSION_TOKEN for temporary ones), or give --credentials FILE");
  EXPECT_TRUE(
      Upstream::Create({"https://datazone.us-east-1.amazonaws.com/", "us-east-1", key}).ok());
}

TEST(UpstreamRegionTest, ComesFromAnAwsHostElseUsEast1) {
  EXPECT_EQ(RegionOfUpstream("https://datazone.eu-west-1.amazonaws.com"), "eu-west-1");
  EXPECT_EQ(RegionOfUpstream("https://datazone-fips.us-gov-west-1.amazonaws.com/"),
            "us-gov-west-1");
  EXPECT_EQ(RegionOfUpstream("https://datazone.ap-south-2.api.aws"), "ap-south-2");
  EXPECT_EQ(RegionOfUpstream("http://127.0.0.1:8484"), "us-east-1");
  EXPECT_EQ(RegionOfUpstream("http://datazone:8484"), "us-east-1");
}

}  // namespace
}  // namespace datazone_mock
