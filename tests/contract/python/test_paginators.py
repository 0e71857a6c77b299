"""Paginators under stress: boto3's paginator and the aws CLI against the bundled page-shape
scenarios, a throttle on page 3, and lists that change while they page."""

import json
import os
import subprocess
import sys
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"  # 130 runs
SHAPES = ("short-pages", "empty-pages", "trailing-empty-page")


def admin(endpoint, method, path, body=None, content_type="application/json"):
    data = None
    if body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
    request = urllib.request.Request(endpoint + path, data=data, method=method,
                                     headers={"Content-Type": content_type})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def datazone(endpoint, retry_mode="standard", key="AKIDPAGINATORS"):
    config = botocore.config.Config(retries={"mode": retry_mode, "max_attempts": 3})
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key="secret",
                                 region_name="us-east-1").client(
        "datazone", endpoint_url=endpoint, config=config)


def collect(pages):
    """(run ids in order, item count of each page) of a boto3 page iterator."""
    ids, sizes = [], []
    for page in pages:
        ids.extend(item["runId"] for item in page["items"])
        sizes.append(len(page["items"]))
    return ids, sizes


class PageShapesTest(mock_process.MockTestCase):
    def activate(self, *names):
        admin(self.mock.endpoint, "PUT", "/_mock/scenarios/active", {"active": list(names)})
        admin(self.mock.endpoint, "POST", "/_mock/scenarios/reset")

    def tearDown(self):
        self.activate()

    def expected(self, ascending=False, status=None):
        return mock_process.expected_run_ids(self.fixture_runs[(DOMAIN, JOB)], ascending, status)

    def aws(self, *args):
        env = dict(os.environ, **mock_process.CLIENT_ENV)
        env.pop("AWS_PROFILE", None)
        result = subprocess.run(
            ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
             "--output", "json", "--domain-identifier", DOMAIN, "--job-identifier", JOB, *args],
            capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_boto3_paginator_collects_every_run_once_under_each_shape(self):
        paginator = datazone(self.mock.endpoint).get_paginator("list_job_runs")
        for scenario in SHAPES:
            for page_size in (None, 9):
                for ascending in (False, True):
                    with self.subTest(scenario=scenario, page_size=page_size, ascending=ascending):
                        self.activate(scenario)
                        config = {"PageSize": page_size} if page_size else {}
                        ids, sizes = collect(paginator.paginate(
                            domainIdentifier=DOMAIN, jobIdentifier=JOB,
                            sortOrder="ASCENDING" if ascending else "DESCENDING",
                            PaginationConfig=config))
                        self.assertEqual(ids, self.expected(ascending))
                        # The shape really happened.
                        limit = page_size or 50
                        if scenario == "short-pages":
                            self.assertEqual(sizes[0], 1)
                            self.assertTrue(all(size <= min(7, limit) for size in sizes[1:]))
                        elif scenario == "empty-pages":
                            self.assertEqual(sizes[0], 0)
                            self.assertEqual(sizes[2], 0)
                        else:
                            self.assertEqual(sizes[-1], 0)
                            self.assertGreater(sizes[-2], 0)

    def test_boto3_paginator_with_a_status_filter_and_max_items(self):
        paginator = datazone(self.mock.endpoint).get_paginator("list_job_runs")
        for scenario in SHAPES:
            with self.subTest(scenario=scenario):
                self.activate(scenario)
                ids, _ = collect(paginator.paginate(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                                    status="FAILED",
                                                    PaginationConfig={"PageSize": 4}))
                self.assertEqual(ids, self.expected(status="FAILED"))
                # MaxItems stops mid-page and resumes from boto3's own token.
                first = paginator.paginate(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                           PaginationConfig={"PageSize": 9, "MaxItems": 11})
                head = first.build_full_result()
                rest = paginator.paginate(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                          PaginationConfig={"PageSize": 9,
                                                            "StartingToken": head["NextToken"]})
                ids = [i["runId"] for i in head["items"]] + collect(rest)[0]
                self.assertEqual(ids, self.expected())

    def test_boto3_paginator_refuses_a_repeated_token(self):
        self.activate("repeat-token")
        paginator = datazone(self.mock.endpoint).get_paginator("list_job_runs")
        with self.assertRaises(botocore.exceptions.PaginationError) as raised:
            collect(paginator.paginate(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                       PaginationConfig={"PageSize": 5}))
        self.assertIn("same next token", str(raised.exception))

    def test_boto3_standard_retries_get_through_a_throttle_on_page_3(self):
        self.activate("throttle-page-3")
        client = datazone(self.mock.endpoint, key="AKIDPAGE3")
        retries = []
        ids = []
        for page in client.get_paginator("list_job_runs").paginate(
                domainIdentifier=DOMAIN, jobIdentifier=JOB, PaginationConfig={"PageSize": 20}):
            ids.extend(item["runId"] for item in page["items"])
            retries.append(page["ResponseMetadata"]["RetryAttempts"])
        self.assertEqual(ids, self.expected())
        self.assertEqual(retries, [0, 0, 1, 0, 0, 0, 0])
        calls = admin(self.mock.endpoint, "GET", "/_mock/requests?accessKeyId=AKIDPAGE3")
        self.assertEqual([c["status"] for c in calls["requests"]], [200, 200, 429] + [200] * 5)

    def test_cli_collects_every_run_once_under_each_shape(self):
        for scenario in SHAPES:
            with self.subTest(scenario=scenario):
                self.activate(scenario)
                listed = [i["runId"] for i in self.aws("--page-size", "9")["items"]]
                self.assertEqual(listed, self.expected())
                # --max-items stops part-way; --starting-token resumes, refetching the page it
                # stopped in, which must be the same page again.
                ids = []
                token = None
                for _ in range(40):
                    args = ["--page-size", "9", "--max-items", "11"]
                    if token:
                        args += ["--starting-token", token]
                    answer = self.aws(*args)
                    ids += [i["runId"] for i in answer["items"]]
                    token = answer.get("NextToken")
                    if not token:
                        break
                self.assertEqual(ids, self.expected())


class ListsThatChangeTest(mock_process.MockTestCase):
    """Runs added, deleted and changed while clients page (README, "Lists that change")."""

    JOB = "changing"

    def setUp(self):
        admin(self.mock.endpoint, "POST", "/_mock/reset")
        runs = [{"runId": "run-%02d" % i, "status": "FAILED" if i % 2 else "SUCCESS",
                 "createdAt": 1754000000 + i * 60} for i in range(1, 31)]
        admin(self.mock.endpoint, "POST", "/_mock/fixtures",
              {"domains": {DOMAIN: {"jobs": {self.JOB: {"runs": runs}}}}})

    def change_after_first_page(self):
        """Between page 1 and page 2: a newer run comes, run-10 goes, run-15 turns from FAILED
        to SUCCESS and run-12 from SUCCESS to FAILED (all of them past page 1)."""
        base = "/_mock/fixtures/%s/%s/runs/" % (DOMAIN, self.JOB)
        admin(self.mock.endpoint, "POST", "/_mock/fixtures", {"domains": {DOMAIN: {"jobs": {
            self.JOB: {"runs": [{"runId": "run-99", "status": "FAILED",
                                 "createdAt": 1754000000 + 99 * 60}]}}}}})
        admin(self.mock.endpoint, "DELETE", base + "run-10")
        admin(self.mock.endpoint, "PUT", base + "run-15",
              {"runId": "run-15", "status": "SUCCESS", "createdAt": 1754000000 + 15 * 60})
        admin(self.mock.endpoint, "PUT", base + "run-12",
              {"runId": "run-12", "status": "FAILED", "createdAt": 1754000000 + 12 * 60})

    def expected(self, status=None):
        """Newest first, once each: every run that still exists and (after the changes, which
        come before the page it is on) matches; never run-99, newer than page 1."""
        final = {i: ("FAILED" if i % 2 else "SUCCESS") for i in range(1, 31)}
        del final[10]
        final[15] = "SUCCESS"
        final[12] = "FAILED"
        return ["run-%02d" % i for i in sorted(final, reverse=True)
                if status is None or final[i] == status]

    def test_boto3_paginator(self):
        for status, page_size in ((None, 5), ("FAILED", 3)):
            with self.subTest(status=status):
                self.setUp()
                paginator = datazone(self.mock.endpoint).get_paginator("list_job_runs")
                args = {"status": status} if status else {}
                ids = []
                pages = paginator.paginate(domainIdentifier=DOMAIN, jobIdentifier=self.JOB,
                                           PaginationConfig={"PageSize": page_size}, **args)
                for number, page in enumerate(pages):
                    ids.extend(item["runId"] for item in page["items"])
                    if number == 0:  # boto3 asks for page 2 only when the loop comes back
                        self.change_after_first_page()
                self.assertEqual(ids, self.expected(status))

    def test_cli_resuming_with_its_starting_token(self):
        env = dict(os.environ, **mock_process.CLIENT_ENV)

        def aws(*args):
            result = subprocess.run(
                ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
                 "--output", "json", "--domain-identifier", DOMAIN, "--job-identifier", self.JOB,
                 "--page-size", "4", *args],
                capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual(result.returncode, 0, result.stderr)
            return json.loads(result.stdout)

        first = aws("--max-items", "5")
        self.change_after_first_page()
        rest = aws("--starting-token", first["NextToken"])
        ids = [i["runId"] for i in first["items"] + rest["items"]]
        self.assertEqual(ids, self.expected())


if __name__ == "__main__":
    unittest.main()
