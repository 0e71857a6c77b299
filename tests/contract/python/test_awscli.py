"""The aws CLI against datazone-mock: its own pagination, filters, and error output."""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"


class AwsCliTest(mock_process.MockTestCase):
    def aws(self, *args):
        env = dict(os.environ, **mock_process.CLIENT_ENV)
        env.pop("AWS_PROFILE", None)
        return subprocess.run(
            ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
             "--output", "json", *args],
            capture_output=True, text=True, env=env, timeout=120)

    def run_ids(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        return [item["runId"] for item in json.loads(result.stdout)["items"]]

    def test_lists_every_run_in_order(self):
        runs = self.fixture_runs[(DOMAIN, JOB)]
        # The CLI follows nextToken itself; --page-size sets maxResults on each call.
        listed = self.run_ids(self.aws("--domain-identifier", DOMAIN, "--job-identifier", JOB,
                                       "--page-size", "7"))
        self.assertEqual(listed, mock_process.expected_run_ids(runs, ascending=False))
        ascending_failed = self.run_ids(self.aws(
            "--domain-identifier", DOMAIN, "--job-identifier", JOB, "--sort-order", "ASCENDING",
            "--status", "FAILED"))
        self.assertEqual(ascending_failed,
                         mock_process.expected_run_ids(runs, ascending=True, status="FAILED"))

    def test_max_items_resumes_from_its_token(self):
        runs = self.fixture_runs[(DOMAIN, JOB)]
        first = self.aws("--domain-identifier", DOMAIN, "--job-identifier", JOB,
                         "--max-items", "10", "--page-size", "3")
        self.assertEqual(first.returncode, 0, first.stderr)
        page = json.loads(first.stdout)
        rest = self.aws("--domain-identifier", DOMAIN, "--job-identifier", JOB,
                        "--page-size", "3", "--starting-token", page["NextToken"])
        listed = [i["runId"] for i in page["items"]] + self.run_ids(rest)
        self.assertEqual(listed, mock_process.expected_run_ids(runs, ascending=False))

    def test_timestamps_and_members(self):
        result = self.aws("--domain-identifier", "dzd-analytics_02", "--job-identifier",
                          "weekly-rollup", "--sort-order", "ASCENDING")
        self.assertEqual(result.returncode, 0, result.stderr)
        first = json.loads(result.stdout)["items"][0]
        self.assertEqual(first["runId"], "rollup-2025-w27")
        # aws-cli v1 prints timestamps as they came over the wire: epoch seconds.
        self.assertEqual(first["createdAt"], 1751860800)
        self.assertEqual(first["startTime"], 1751860803.125)
        self.assertEqual(first["endTime"], 1751863277.5)
        self.assertNotIn("error", first)

    def test_errors_exit_non_zero_with_the_aws_message(self):
        result = self.aws("--domain-identifier", "dzd_missing", "--job-identifier", JOB)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the ListJobRuns "
                      "operation: The specified resource cannot be found.", result.stderr)
        result = self.aws("--domain-identifier", DOMAIN, "--job-identifier", JOB,
                          "--status", "success")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("An error occurred (ValidationException) when calling the ListJobRuns "
                      "operation: 1 validation error detected: Value at 'status' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [SCHEDULED, IN_PROGRESS, "
                      "SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, CANCELED]",
                      result.stderr)


if __name__ == "__main__":
    unittest.main()
