"""Scenarios and identity with real clients: retries, attempts, messages and SigV4 verification."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"


def client(endpoint, retry_mode=None, key="AKIDFAULTS", secret="faults-secret"):
    config = botocore.config.Config(retries={"mode": retry_mode} if retry_mode else None)
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                 region_name="us-east-1").client(
        "datazone", endpoint_url=endpoint, config=config)


def admin(endpoint, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


class ScenarioContractTest(mock_process.MockTestCase):
    def activate(self, name):
        admin(self.mock.endpoint, "PUT", "/_mock/scenarios/active", {"active": [name]})
        admin(self.mock.endpoint, "POST", "/_mock/scenarios/reset")

    def requests_seen(self, name):
        """Requests that reached the scenario's first rule (the rule counts every attempt)."""
        for scenario in admin(self.mock.endpoint, "GET", "/_mock/scenarios")["scenarios"]:
            if scenario["name"] == name:
                return scenario["rules"][0]["matched"]
        raise AssertionError(name)

    def test_throttle_then_succeed_standard_and_legacy(self):
        for mode in ("standard", "legacy"):
            with self.subTest(mode=mode):
                self.activate("throttle-then-succeed")
                response = client(self.mock.endpoint, mode).list_job_runs(
                    domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=1)
                self.assertEqual(len(response["items"]), 1)
                self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 2)
                self.assertEqual(self.requests_seen("throttle-then-succeed"), 3)

    def test_journal_shows_a_boto3_retry_sequence(self):
        self.activate("throttle-then-succeed")
        admin(self.mock.endpoint, "DELETE", "/_mock/requests")
        client(self.mock.endpoint, "standard", key="AKIDJOURNAL").list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB)
        calls = admin(self.mock.endpoint, "GET", "/_mock/requests?accessKeyId=AKIDJOURNAL")
        calls = calls["requests"]
        self.assertEqual([c["attempt"] for c in calls], [1, 2, 3])
        self.assertEqual(len({c["invocationId"] for c in calls}), 1)
        self.assertRegex(calls[0]["invocationId"], r"^[0-9a-f-]{36}$")
        self.assertEqual([c["status"] for c in calls], [429, 429, 200])
        self.assertEqual([c["errorType"] for c in calls],
                         ["ThrottlingException", "ThrottlingException", None])
        self.assertEqual([c["scenario"] for c in calls],
                         ["throttle-then-succeed", "throttle-then-succeed", None])
        self.assertEqual(calls[0]["rule"], 1)
        self.assertEqual(calls[0]["query"], {})
        self.assertEqual(calls[0]["path"], "/v2/domains/%s/jobs/%s/runs" % (DOMAIN, JOB))

    def test_always_throttled_boto3_legacy_gives_up_after_5(self):
        self.activate("always-throttled")
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            client(self.mock.endpoint, "legacy").list_job_runs(domainIdentifier=DOMAIN,
                                                               jobIdentifier=JOB)
        error = caught.exception
        self.assertEqual(error.response["Error"]["Code"], "ThrottlingException")
        self.assertEqual(error.response["Error"]["Message"], "Rate exceeded")
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 429)
        self.assertEqual(self.requests_seen("always-throttled"), 5)

    def test_cli_reports_access_denied(self):
        self.activate("access-denied")
        env = dict(os.environ, **mock_process.CLIENT_ENV)
        result = subprocess.run(
            ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
             "--domain-identifier", DOMAIN, "--job-identifier", JOB],
            capture_output=True, text=True, env=env, timeout=120)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("An error occurred (AccessDeniedException) when calling the ListJobRuns "
                      "operation: You do not have sufficient access to perform this action.",
                      result.stderr)

    def test_per_caller_rules_leave_other_callers_alone(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "mine.yaml"), "w") as handle:
                handle.write("rules:\n  - when: {accessKeyId: AKIDMINE, calls: 1-2}\n"
                             "    respond: {error: ThrottlingException, message: Slow down}\n")
            other = mock_process.MockProcess("--scenarios", folder, "--scenario", "mine")
            try:
                # Another caller is served; the rule does not count it.
                self.assertTrue(client(other.endpoint, key="AKIDOTHER").list_job_runs(
                    domainIdentifier=DOMAIN, jobIdentifier=JOB)["items"])
                response = client(other.endpoint, "standard", key="AKIDMINE").list_job_runs(
                    domainIdentifier=DOMAIN, jobIdentifier=JOB)
                self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 2)
            finally:
                self.assertEqual(other.stop(), 0)


class AuthVerifyContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Class cleanups run last in, first out, and also when setUpClass fails: the server is
        # killed (if tearDownClass did not stop it) before its folder goes.
        cls.folder = tempfile.TemporaryDirectory(prefix="datazone-mock-auth-")
        cls.addClassCleanup(cls.folder.cleanup)
        path = os.path.join(cls.folder.name, "credentials.yaml")
        with open(path, "w") as handle:
            handle.write("credentials:\n"
                         "  - {accessKeyId: AKIDVERIFIED, secretAccessKey: the-right-secret}\n"
                         "  - {accessKeyId: AKIDSESSION, secretAccessKey: s2, sessionToken: tok}\n")
        cls.mock = mock_process.MockProcess("--auth", "verify", "--credentials", path)
        cls.addClassCleanup(cls.mock.kill)  # a no-op once tearDownClass has stopped it

    @classmethod
    def tearDownClass(cls):
        code = cls.mock.stop()
        if code != 0:
            raise AssertionError(cls.mock.stderr)

    def test_boto3_real_signatures_pass(self):
        response = client(self.mock.endpoint, key="AKIDVERIFIED", secret="the-right-secret") \
            .list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, status="FAILED",
                           sortOrder="ASCENDING", maxResults=3)
        self.assertEqual(len(response["items"]), 3)
        session = boto3.session.Session(aws_access_key_id="AKIDSESSION", aws_secret_access_key="s2",
                                         aws_session_token="tok", region_name="eu-west-1")
        self.assertTrue(session.client("datazone", endpoint_url=self.mock.endpoint).list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB)["items"])

    def assert_refused(self, call, code, message):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call()
        self.assertEqual(caught.exception.response["Error"]["Code"], code)
        self.assertEqual(caught.exception.response["Error"]["Message"], message)
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_wrong_secret_and_unknown_key_fail(self):
        self.assert_refused(
            lambda: client(self.mock.endpoint, key="AKIDVERIFIED", secret="wrong").list_job_runs(
                domainIdentifier=DOMAIN, jobIdentifier=JOB),
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
        self.assert_refused(
            lambda: client(self.mock.endpoint, key="AKIDNOBODY").list_job_runs(
                domainIdentifier=DOMAIN, jobIdentifier=JOB),
            "UnrecognizedClientException", "The security token included in the request is invalid.")

    def test_cli_signs_and_a_tampered_request_fails(self):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDVERIFIED",
                   AWS_SECRET_ACCESS_KEY="the-right-secret", AWS_DEFAULT_REGION="us-east-1")
        result = subprocess.run(
            ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
             "--domain-identifier", DOMAIN, "--job-identifier", JOB, "--max-items", "2"],
            capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(json.loads(result.stdout)["items"]), 2)

        # A request signed by botocore, then changed on the way: the signature no longer holds.
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        url = self.mock.endpoint + "/v2/domains/%s/jobs/%s/runs?maxResults=2" % (DOMAIN, JOB)
        signed = AWSRequest(method="GET", url=url)
        SigV4Auth(Credentials("AKIDVERIFIED", "the-right-secret"), "datazone",
                  "us-east-1").add_auth(signed)
        headers = dict(signed.headers.items())
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            self.assertEqual(response.status, 200)
        tampered = url.replace("maxResults=2", "maxResults=3")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(urllib.request.Request(tampered, headers=headers))
        self.assertEqual(caught.exception.code, 403)
        self.assertEqual(caught.exception.headers["x-amzn-ErrorType"],
                         "InvalidSignatureException:http://internal.amazon.com/coral/"
                         "com.amazon.coral.service/")

    def test_unsigned_request_is_refused(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(self.mock.endpoint + "/v2/domains/%s/jobs/%s/runs" % (DOMAIN, JOB))
        self.assertEqual(caught.exception.code, 403)
        self.assertEqual(json.loads(caught.exception.read()),
                         {"message": "Missing Authentication Token"})


if __name__ == "__main__":
    unittest.main()
