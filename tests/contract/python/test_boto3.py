"""boto3 against datazone-mock: pagination, filters, fields and every error as AWS raises it."""

import datetime
import os
import sys
import unittest

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"


def make_client(endpoint, validate=True):
    session = boto3.session.Session(
        aws_access_key_id=mock_process.CLIENT_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=mock_process.CLIENT_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    config = botocore.config.Config(parameter_validation=validate, retries={"max_attempts": 1})
    return session.client("datazone", endpoint_url=endpoint, config=config)


class Boto3PaginationTest(mock_process.MockTestCase):
    def setUp(self):
        self.client = make_client(self.mock.endpoint)

    def traverse(self, domain, job, page_size, sort_order=None, status=None):
        kwargs = {"domainIdentifier": domain, "jobIdentifier": job,
                  "PaginationConfig": {"PageSize": page_size}}
        if sort_order:
            kwargs["sortOrder"] = sort_order
        if status:
            kwargs["status"] = status
        ids, pages = [], 0
        for page in self.client.get_paginator("list_job_runs").paginate(**kwargs):
            pages += 1
            self.assertLessEqual(len(page["items"]), page_size)
            ids.extend(item["runId"] for item in page["items"])
        return ids, pages

    def test_full_traversal_matches_fixture_order(self):
        for (domain, job), runs in sorted(self.fixture_runs.items()):
            for page_size in (1, 7, 50):
                for sort_order in (None, "ASCENDING", "DESCENDING"):
                    for status in [None] + mock_process.STATUSES:
                        if page_size == 1 and job == JOB and status not in (None, "FAILED"):
                            continue  # one-run pages over every status would repeat the same check
                        with self.subTest(domain=domain, job=job, page_size=page_size,
                                          sort_order=sort_order, status=status):
                            ids, pages = self.traverse(domain, job, page_size, sort_order, status)
                            expected = mock_process.expected_run_ids(
                                runs, sort_order == "ASCENDING", status)
                            self.assertEqual(ids, expected)
                            # No empty last page: the last page, even when full, ends the listing.
                            self.assertEqual(pages, max(1, -(-len(expected) // page_size)))

    def test_items_carry_every_fixture_member(self):
        runs = {r["runId"]: r for r in self.fixture_runs[(DOMAIN, "hourly-sync")]}
        runs.update({r["runId"]: r for r in self.fixture_runs[(DOMAIN, JOB)]})
        items = []
        for job in ("hourly-sync", JOB):
            for page in self.client.get_paginator("list_job_runs").paginate(
                    domainIdentifier=DOMAIN, jobIdentifier=job):
                items.extend(page["items"])
        self.assertEqual(len(items), len(runs))
        for item in items:
            run = runs[item["runId"]]
            with self.subTest(run=item["runId"]):
                self.assertEqual(item["domainId"], DOMAIN)
                self.assertEqual(item["jobType"], run.get("jobType", "LINEAGE"))
                self.assertEqual(item["status"], run["status"])
                self.assertEqual(item.get("runMode"), run.get("runMode"))
                self.assertEqual(item.get("createdBy"), run.get("createdBy"))
                self.assertEqual(item.get("error"), run.get("error"))
                for member in ("createdAt", "startTime", "endTime"):
                    if member + "Ms" in run:
                        self.assertIsInstance(item[member], datetime.datetime)
                        self.assertEqual(int(round(item[member].timestamp() * 1000)),
                                         run[member + "Ms"])
                    else:
                        self.assertNotIn(member, item)

    def test_request_id_and_empty_job(self):
        response = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier="empty-job")
        self.assertEqual(response["items"], [])
        self.assertNotIn("nextToken", response)
        self.assertRegex(response["ResponseMetadata"]["RequestId"],
                         r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertIn("date", response["ResponseMetadata"]["HTTPHeaders"])

    def test_max_results_may_change_between_pages(self):
        first = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=3)
        second = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                           maxResults=5, nextToken=first["nextToken"])
        expected = mock_process.expected_run_ids(self.fixture_runs[(DOMAIN, JOB)], False)
        self.assertEqual([i["runId"] for i in first["items"] + second["items"]], expected[:8])


class Boto3ErrorTest(mock_process.MockTestCase):
    def setUp(self):
        # Without local validation, so that the server sees values botocore would refuse.
        self.client = make_client(self.mock.endpoint, validate=False)

    def assert_error(self, call, exception_name, message, status):
        """`call(client)` raises `exception_name`: the modeled class where the model has one."""
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call(self.client)
        error = caught.exception
        self.assertEqual(error.response["Error"]["Code"], exception_name)
        self.assertEqual(error.response["Error"]["Message"], message)
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertTrue(error.response["ResponseMetadata"]["RequestId"])
        modeled = getattr(self.client.exceptions, exception_name, None)
        if modeled is not None:
            self.assertIsInstance(error, modeled)
        else:
            self.assertIs(type(error), botocore.exceptions.ClientError)

    def test_validation_exception_lists_every_violation(self):
        self.assert_error(
            lambda client: client.list_job_runs(domainIdentifier="dzd", jobIdentifier="x" * 37,
                                           status="success", sortOrder="up", nextToken="",
                                           maxResults=0),
            "ValidationException",
            "6 validation errors detected: "
            "Value at 'domainIdentifier' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: dzd[-_][a-zA-Z0-9_-]{1,36}; "
            "Value at 'jobIdentifier' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [a-zA-Z0-9_-]{1,36}; "
            "Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: "
            "[SCHEDULED, IN_PROGRESS, SUCCESS, PARTIALLY_SUCCEEDED, FAILED, ABORTED, TIMED_OUT, "
            "CANCELED]; "
            "Value at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: "
            "[ASCENDING, DESCENDING]; "
            "Value at 'nextToken' failed to satisfy constraint: Member must have length greater "
            "than or equal to 1; "
            "Value at 'maxResults' failed to satisfy constraint: Member must have value greater "
            "than or equal to 1",
            400)

    def test_max_results_over_limit(self):
        self.assert_error(
            lambda client: client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                              maxResults=51),
            "ValidationException",
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
            "Member must have value less than or equal to 50",
            400)

    def test_serialization_exception(self):
        self.assert_error(
            lambda client: client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                           maxResults="abc"),
            "SerializationException", "Value at 'maxResults' cannot be converted to an integer", 400)

    def test_resource_not_found(self):
        for domain, job in (("dzd_missing", JOB), (DOMAIN, "missing-job")):
            self.assert_error(
                lambda client: client.list_job_runs(domainIdentifier=domain, jobIdentifier=job),
                "ResourceNotFoundException", "The specified resource cannot be found.", 404)

    def test_invalid_and_misused_tokens(self):
        first = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=2)
        token = first["nextToken"]
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BA")
        calls = [
            dict(nextToken=tampered),
            dict(nextToken=token, status="FAILED"),
            dict(nextToken=token, sortOrder="ASCENDING"),
            dict(nextToken="not-a-token"),
        ]
        for extra in calls:
            with self.subTest(**extra):
                self.assert_error(
                    lambda client: client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                                      **extra),
                    "ValidationException", "The nextToken provided is invalid.", 400)
        # The same token with the effective defaults spelled out is still valid.
        again = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                          sortOrder="DESCENDING", nextToken=token)
        self.assertTrue(again["items"])

    def test_token_survives_a_restart_with_the_same_secret(self):
        first = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=2)
        # Same secret, same data at the same clock: the demo's times are relative to it.
        other = mock_process.MockProcess("--token-secret", "contract-secret",
                                         "--clock", mock_process.DEMO_CLOCK)
        try:
            second = make_client(other.endpoint).list_job_runs(
                domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=2,
                nextToken=first["nextToken"])
        finally:
            self.assertEqual(other.stop(), 0)
        expected = mock_process.expected_run_ids(self.fixture_runs[(DOMAIN, JOB)], False)
        self.assertEqual([i["runId"] for i in second["items"]], expected[2:4])

    def test_token_from_another_secret_is_invalid(self):
        first = self.client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=2)
        other = mock_process.MockProcess()  # random secret
        try:
            with self.assertRaises(botocore.exceptions.ClientError) as caught:
                make_client(other.endpoint).list_job_runs(
                    domainIdentifier=DOMAIN, jobIdentifier=JOB, nextToken=first["nextToken"])
        finally:
            self.assertEqual(other.stop(), 0)
        self.assertEqual(caught.exception.response["Error"]["Message"],
                         "The nextToken provided is invalid.")


if __name__ == "__main__":
    unittest.main()
