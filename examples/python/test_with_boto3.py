"""Example: boto3 tests against datazone-mock, using its admin API to seed data, inject a
fault and assert on what the SDK sent.

Run with pytest (`pytest examples/python`) or directly (`python3 examples/python/test_with_boto3.py`).
Needs a running mock: DATAZONE_MOCK_ENDPOINT (default http://127.0.0.1:8484), or
DATAZONE_MOCK_BIN to start one on a free port for the module.
"""

import json
import os
import signal
import subprocess
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

ENDPOINT = os.environ.get("DATAZONE_MOCK_ENDPOINT", "http://127.0.0.1:8484")
_process = None


def setup_module():
    """Starts a private mock when DATAZONE_MOCK_BIN is set (pytest calls this once)."""
    global ENDPOINT, _process
    binary = os.environ.get("DATAZONE_MOCK_BIN")
    if binary:
        _process = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        ENDPOINT = _process.stdout.readline().split()[-1]


def teardown_module():
    if _process:
        _process.send_signal(signal.SIGTERM)
        assert _process.wait(timeout=20) == 0


def admin(method, path, body=None):
    data = body.encode() if isinstance(body, str) else None
    request = urllib.request.Request(ENDPOINT + path, data=data, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def datazone(access_key_id):
    """A client per test, with its own fake access key id: tests can share one mock."""
    return boto3.client("datazone", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=access_key_id, aws_secret_access_key="secret",
                        config=botocore.config.Config(retries={"mode": "standard"}))


def test_seeded_runs_are_listed_newest_first():
    admin("POST", "/_mock/fixtures", """
domains:
  dzd_example:
    jobs:
      nightly:
        runs:
          - {runId: r1, status: SUCCESS, createdAt: 2025-01-01T00:00:00Z}
          - {runId: r2, status: FAILED, createdAt: 2025-01-02T00:00:00Z, error: {message: boom}}
""")
    runs = datazone("AKIDEXAMPLE1").list_job_runs(domainIdentifier="dzd_example",
                                                  jobIdentifier="nightly")["items"]
    assert [run["runId"] for run in runs] == ["r2", "r1"]
    assert runs[0]["error"] == {"message": "boom"}


def test_throttling_is_retried_and_journaled():
    admin("PUT", "/_mock/scenarios/active", json.dumps({"active": ["throttle-then-succeed"]}))
    admin("POST", "/_mock/scenarios/reset")
    try:
        page = datazone("AKIDEXAMPLE2").list_job_runs(domainIdentifier="dzd_demo01",
                                                      jobIdentifier="nightly-lineage")
        assert page["ResponseMetadata"]["RetryAttempts"] == 2
    finally:
        admin("PUT", "/_mock/scenarios/active", json.dumps({"active": []}))
    calls = admin("GET", "/_mock/requests?accessKeyId=AKIDEXAMPLE2")["requests"]
    assert [call["attempt"] for call in calls] == [1, 2, 3]
    assert [call["status"] for call in calls] == [429, 429, 200]
    assert len({call["invocationId"] for call in calls}) == 1


def test_unknown_domain_raises_the_modeled_exception():
    client = datazone("AKIDEXAMPLE3")
    try:
        client.list_job_runs(domainIdentifier="dzd_nowhere", jobIdentifier="job")
    except client.exceptions.ResourceNotFoundException as error:
        assert error.response["Error"]["Message"] == "The specified resource cannot be found."
    else:
        raise AssertionError("expected ResourceNotFoundException")


if __name__ == "__main__":
    # Without pytest: the same module-level setup, each test, then teardown.
    setup_module()
    failures = 0
    try:
        tests = [name for name in dict(globals()) if name.startswith("test_")]
        for name in tests:
            try:
                globals()[name]()
                print("ok", name)
            except Exception as error:  # report every test, then fail the run
                failures += 1
                print("FAIL", name, repr(error))
    finally:
        teardown_module()
    print("%d passed, %d failed" % (len(tests) - failures, failures))
    raise SystemExit(1 if failures else 0)
