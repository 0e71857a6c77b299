"""Per-caller isolation: eight test workers share one mock, each with its own access key id,
seeding, faulting, verifying and resetting at the same time, and never see each other."""

import json
import os
import sys
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "work"  # every worker seeds a job of this name, with its own runs
WORKERS = 8
ROUNDS = 3


def admin(endpoint, method, path, body=None, **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


class Worker:
    def __init__(self, endpoint, number):
        self.endpoint = endpoint
        self.number = number
        self.key = "AKIDWORKER%02d" % number
        self.client = boto3.session.Session(
            aws_access_key_id=self.key, aws_secret_access_key="secret",
            region_name="us-east-1").client(
            "datazone", endpoint_url=endpoint,
            config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 3}))

    def run_ids(self):
        return [item["runId"] for item in self.client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=50)["items"]]

    def round(self, barrier, problems):
        own = ["w%d-r%d" % (self.number, i) for i in range(self.number + 1)]
        runs = [{"runId": run_id, "status": "SUCCESS", "createdAt": 1754000000 + i * 60}
                for i, run_id in enumerate(own)]
        admin(self.endpoint, "POST", "/_mock/fixtures",
              {"domains": {DOMAIN: {"jobs": {JOB: {"runs": runs}}}}}, accessKeyId=self.key)
        admin(self.endpoint, "PUT", "/_mock/scenarios/active",
              {"active": ["throttle-then-succeed"]}, accessKeyId=self.key)
        earlier = admin(self.endpoint, "GET", "/_mock/requests", accessKeyId=self.key)
        since = earlier["requests"][-1]["id"] if earlier["requests"] else 0
        barrier.wait()  # everyone has seeded and activated before anyone calls

        # Its own first two calls are throttled, whatever the others do: counters are its own.
        ids = self.run_ids()
        if sorted(ids) != sorted(own):
            problems.append("%s saw %s" % (self.key, ids))
        verdict = admin(self.endpoint, "POST", "/_mock/verify",
                        {"where": {"accessKeyId": self.key, "status": 429}, "count": 2})
        if not verdict["ok"]:
            problems.append("%s: 429s %s" % (self.key, verdict))
        journal = admin(self.endpoint, "GET", "/_mock/requests", accessKeyId=self.key,
                        since=since)
        statuses = [entry["status"] for entry in journal["requests"]]
        if statuses != [429, 429, 200]:
            problems.append("%s journal %s" % (self.key, statuses))
        barrier.wait()  # everyone has checked before anyone resets

        admin(self.endpoint, "POST", "/_mock/reset", accessKeyId=self.key)
        try:
            self.run_ids()
            problems.append("%s still sees its job after its reset" % self.key)
        except self.client.exceptions.ResourceNotFoundException:
            pass
        if admin(self.endpoint, "GET", "/_mock/requests", accessKeyId=self.key)["requests"] != [
                self.last_entry()]:
            problems.append("%s journal not reset" % self.key)
        barrier.wait()

    def last_entry(self):
        # The 404 after the reset is the one entry of this caller since.
        return admin(self.endpoint, "GET", "/_mock/requests", accessKeyId=self.key)["requests"][-1]


class IsolationTest(mock_process.MockTestCase):
    def test_eight_parallel_workers_never_see_each_other(self):
        barrier = threading.Barrier(WORKERS, timeout=60)
        problems = []
        workers = [Worker(self.mock.endpoint, number) for number in range(WORKERS)]

        def work(worker):
            try:
                for _ in range(ROUNDS):
                    worker.round(barrier, problems)
            except Exception as error:  # reported below, with the worker's key
                problems.append("%s: %r" % (worker.key, error))
                barrier.abort()

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(problems, [])
        # Nothing of theirs leaked into the shared namespace.
        self.assertEqual(admin(self.mock.endpoint, "GET", "/_mock/scenarios")["active"], [])
        with self.assertRaises(botocore.exceptions.ClientError):
            Worker(self.mock.endpoint, 99).run_ids()

    def test_what_a_caller_seeds_adds_to_the_shared_data(self):
        key = "AKIDSEEDSONTOP"
        admin(self.mock.endpoint, "POST", "/_mock/fixtures",
              {"domains": {DOMAIN: {"jobs": {"nightly-lineage": {"runs": [
                  {"runId": "mine-1", "status": "FAILED", "createdAt": 1900000000}]}}}}},
              accessKeyId=key)
        mine = Worker(self.mock.endpoint, 0)
        mine.key = key
        mine.client = boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key="secret",
            region_name="us-east-1").client("datazone", endpoint_url=self.mock.endpoint)
        first = mine.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier="nightly-lineage")
        self.assertEqual(first["items"][0]["runId"], "mine-1")
        other = Worker(self.mock.endpoint, 1).client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier="nightly-lineage")
        self.assertNotEqual(other["items"][0]["runId"], "mine-1")
        admin(self.mock.endpoint, "POST", "/_mock/reset", accessKeyId=key)


if __name__ == "__main__":
    unittest.main()
