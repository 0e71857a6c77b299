#include "server/request_head.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

using Kind = BufferedHead::Kind;

constexpr std::string_view kGet =
    "GET /v2/domains/dzd_demo01/jobs/nightly/runs?maxResults=5 HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "X-Amz-Date: 20261204T000000Z\r\n"
    "\r\n";

TEST(InspectHeadTest, AWholeGetIsBodylessWithItsTarget) {
  const BufferedHead head = InspectHead(kGet);
  EXPECT_EQ(head.kind, Kind::kBodyless);
  EXPECT_EQ(head.target, "/v2/domains/dzd_demo01/jobs/nightly/runs?maxResults=5");
}

TEST(InspectHeadTest, OnlyTheFirstRequestOfPipelinedOnesIsRead) {
  const std::string two = std::string(kGet) + "GET /_mock/health HTTP/1.1\r\n\r\n";
  const BufferedHead head = InspectHead(two);
  EXPECT_EQ(head.kind, Kind::kBodyless);
  EXPECT_EQ(head.target, "/v2/domains/dzd_demo01/jobs/nightly/runs?maxResults=5");
}

TEST(InspectHeadTest, PartOfAHeadIsIncomplete) {
  for (std::size_t size = 0; size < kGet.size(); ++size) {
    EXPECT_EQ(InspectHead(kGet.substr(0, size)).kind, Kind::kIncomplete) << size;
  }
}

TEST(InspectHeadTest, ABodyAnnouncedInAnyCaseIsForAWorker) {
  for (const char* header : {"Content-Length: 0", "content-length: 12", "CONTENT-LENGTH:3",
                             "Transfer-Encoding: chunked", "transfer-encoding: chunked"}) {
    const std::string request =
        std::string("POST /_mock/fixtures HTTP/1.1\r\nHost: x\r\n") + header + "\r\n\r\n";
    EXPECT_EQ(InspectHead(request).kind, Kind::kWithBody) << header;
  }
}

TEST(InspectHeadTest, AHeaderThatOnlyMentionsContentLengthInItsValueIsNotABody) {
  const BufferedHead head = InspectHead("GET /x HTTP/1.1\r\nX-Note: content-length: 5\r\n\r\n");
  EXPECT_EQ(head.kind, Kind::kBodyless);
}

TEST(InspectHeadTest, WhatTheParserMustJudgeIsLeftToAWorker) {
  // A bare LF ends a line for the parser, so the loop's view of the head could differ.
  EXPECT_EQ(InspectHead("GET /x HTTP/1.1\nHost: x\r\n\r\n").kind, Kind::kWithBody);
  EXPECT_EQ(InspectHead("GET /x HTTP/1.1\r\nHost: x\n\r\n\r\n").kind, Kind::kWithBody);
  // A folded header line.
  EXPECT_EQ(InspectHead("GET /x HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n").kind, Kind::kWithBody);
  // A request line without a target and version.
  EXPECT_EQ(InspectHead("GARBAGE\r\n\r\n").kind, Kind::kWithBody);
  EXPECT_EQ(InspectHead("GET /x\r\n\r\n").kind, Kind::kWithBody);
}

}  // namespace
}  // namespace datazone_mock
