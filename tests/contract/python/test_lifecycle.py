"""Runs that change, as real clients see them: a poll loop in boto3 and the aws CLI against a
frozen clock that the test advances, schedules that grow, and afterCalls counted exactly under
concurrent callers."""

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

START = "2025-07-01T00:00:00Z"
FIXTURE = """
domains:
  dzd_live01:
    jobs:
      etl:
        runs:
          - runId: run-X
            status: SCHEDULED
            createdAt: now
            lifecycle:
              - {status: IN_PROGRESS, after: 1m}
              - {status: SUCCESS, after: 5m}
          - {runId: old, status: SUCCESS, createdAt: now-1d}
      counted:
        runs:
          - runId: run-C
            status: IN_PROGRESS
            createdAt: now-1h
            lifecycle:
              - {status: FAILED, afterCalls: 40, error: {message: "Out of memory"}}
      hourly:
        schedule:
          every: 1h
          start: now-5h
          seed: 3
          lifecycle:
            - {status: IN_PROGRESS, after: 1m}
            - {status: SUCCESS, after: 10m}
          outcomes: {SUCCESS: 50, FAILED: 50}
"""


class LifecycleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="datazone-mock-lifecycle-")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        fixture = os.path.join(cls.folder, "live.yaml")
        with open(fixture, "w") as handle:
            handle.write(FIXTURE)
        cls.mock = mock_process.MockProcess("--fixtures", fixture, "--clock", START)
        cls.addClassCleanup(cls.mock.kill)

    @classmethod
    def tearDownClass(cls):
        code = cls.mock.stop()
        if code != 0:
            raise AssertionError("datazone-mock exited with %d: %s" % (code, cls.mock.stderr))

    def setUp(self):
        self.admin("POST", "/_mock/reset")

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.mock.endpoint + path, data, method=method)
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    def client(self):
        return boto3.client(
            "datazone", endpoint_url=self.mock.endpoint, region_name="us-east-1",
            aws_access_key_id="AKIDLIFECYCLE", aws_secret_access_key="secret",
            config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1},
                                          max_pool_connections=16))

    def test_boto3_polls_a_run_to_success_as_the_clock_advances(self):
        client = self.client()
        seen = []
        while True:
            run = client.list_job_runs(domainIdentifier="dzd_live01", jobIdentifier="etl",
                                       maxResults=1)["items"][0]
            seen.append(run["status"])
            if run["status"] == "SUCCESS":
                break
            self.assertLess(len(seen), 20, seen)
            self.admin("POST", "/_mock/clock", {"advance": "30s"})
        self.assertEqual(seen, ["SCHEDULED"] * 2 + ["IN_PROGRESS"] * 8 + ["SUCCESS"])
        self.assertEqual(run["runId"], "run-X")
        self.assertEqual((run["startTime"] - run["createdAt"]).total_seconds(), 60)
        self.assertEqual((run["endTime"] - run["createdAt"]).total_seconds(), 300)

    def test_the_status_filter_sees_the_same_instant(self):
        client = self.client()
        self.admin("POST", "/_mock/clock", {"advance": "2m"})
        in_progress = client.list_job_runs(domainIdentifier="dzd_live01", jobIdentifier="etl",
                                           status="IN_PROGRESS")["items"]
        self.assertEqual([run["runId"] for run in in_progress], ["run-X"])
        self.assertEqual(client.list_job_runs(domainIdentifier="dzd_live01", jobIdentifier="etl",
                                              status="SCHEDULED")["items"], [])

    def test_aws_cli_poll_loop(self):
        env = dict(os.environ, **mock_process.CLIENT_ENV)
        env.pop("AWS_PROFILE", None)
        statuses = []
        for _ in range(8):
            result = subprocess.run(
                ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
                 "--domain-identifier", "dzd_live01", "--job-identifier", "etl",
                 "--max-items", "1", "--output", "json"],
                capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual(result.returncode, 0, result.stderr)
            statuses.append(json.loads(result.stdout)["items"][0]["status"])
            if statuses[-1] == "SUCCESS":
                break
            self.admin("POST", "/_mock/clock", {"advance": "1m"})
        self.assertEqual(statuses, ["SCHEDULED", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS",
                                    "IN_PROGRESS", "SUCCESS"])

    def test_after_calls_counts_exactly_under_concurrent_callers(self):
        client = self.client()

        def status_of_run_c(_):
            items = client.list_job_runs(domainIdentifier="dzd_live01",
                                         jobIdentifier="counted")["items"]
            return items[0]["status"]

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            first_forty = list(pool.map(status_of_run_c, range(40)))
        self.assertEqual(first_forty, ["IN_PROGRESS"] * 40)
        run = client.list_job_runs(domainIdentifier="dzd_live01", jobIdentifier="counted")
        self.assertEqual(run["items"][0]["status"], "FAILED")
        self.assertEqual(run["items"][0]["error"]["message"], "Out of memory")
        # Reset starts the count again.
        self.admin("POST", "/_mock/reset")
        self.assertEqual(status_of_run_c(0), "IN_PROGRESS")

    def test_a_schedule_grows_with_the_clock_and_pages_the_same_instant(self):
        client = self.client()
        paginator = client.get_paginator("list_job_runs")

        def all_runs():
            runs = []
            for page in paginator.paginate(domainIdentifier="dzd_live01", jobIdentifier="hourly",
                                           PaginationConfig={"PageSize": 2}):
                runs.extend(page["items"])
            return runs

        before = all_runs()
        self.assertEqual([run["runId"] for run in before],
                         ["sched-%07d" % i for i in range(6, 0, -1)])
        self.assertEqual(before[0]["status"], "SCHEDULED")  # created at this very instant
        self.assertTrue(all(run["status"] in ("SUCCESS", "FAILED") for run in before[1:]))
        self.admin("POST", "/_mock/clock", {"advance": "2h"})
        after = all_runs()
        self.assertEqual(len(after), 8)
        # The same spec and clock give the same runs: the old ones kept their outcomes.
        self.assertEqual([run["status"] for run in after[3:]],
                         [run["status"] for run in before[1:]])
        self.assertEqual(self.admin("GET", "/_mock/clock"),
                         {"now": "2025-07-01T02:00:00.000Z", "frozen": True})


if __name__ == "__main__":
    unittest.main()
