#include "core/nearest_names.h"

#include <gtest/gtest.h>

namespace datazone_mock {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("dzd_demo01", "dzd_demo01"), 0u);
  EXPECT_EQ(EditDistance("dzd_demo02", "dzd_demo01"), 1u);
  EXPECT_EQ(EditDistance("dzd_dmeo01", "dzd_demo01"), 2u);  // a swap is two edits
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(NearestNamesTest, NearestFirstOnlyWhatLooksLikeASlip) {
  const std::vector<std::string_view> domains = {"dzd_demo01", "dzd-analytics_02", "dzd_demo10",
                                                 "dzd_other99"};
  EXPECT_EQ(NearestNames("dzd_demo02", domains),
            (std::vector<std::string>{"dzd_demo01", "dzd_demo10"}));
  EXPECT_EQ(NearestNames("dzd_demo01x", domains, 1), (std::vector<std::string>{"dzd_demo01"}));
  EXPECT_TRUE(NearestNames("something-else-entirely", domains).empty());
}

TEST(NearestNamesTest, AtMostTheLimit) {
  const std::vector<std::string_view> jobs = {"job-1", "job-2", "job-3", "job-4"};
  EXPECT_EQ(NearestNames("job-5", jobs).size(), 3u);
}

TEST(DidYouMeanTest, ReadsAsASentence) {
  EXPECT_EQ(DidYouMean({}), "");
  EXPECT_EQ(DidYouMean({"a"}), "did you mean a?");
  EXPECT_EQ(DidYouMean({"a", "b"}), "did you mean a or b?");
  EXPECT_EQ(DidYouMean({"a", "b", "c"}), "did you mean a, b or c?");
}

}  // namespace
}  // namespace datazone_mock
