"""Record mode (issue 17) with real clients, against a second datazone-mock as the upstream.

The upstream runs `--auth verify`, so a 200 through the recorder proves that the recorder
re-signed the request with its own upstream credential. The recorder's listings are compared
with the same listings asked of the upstream directly, page by page; the recording is checked
with `datazone-mock check` and served back; upstream errors, retries, an upstream that is gone,
start-up errors, secrets in the log and the file, --redact and --record-missing are covered.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.config
import botocore.exceptions
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402
import server_process  # noqa: E402  (mock_process puts tests/support on the path)

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"  # 130 runs
JOBS = [(DOMAIN, "nightly-lineage"), (DOMAIN, "hourly-sync"), (DOMAIN, "adhoc-backfill"),
        ("dzd-analytics_02", "weekly-rollup")]
EMPTY_JOB = (DOMAIN, "empty-job")
STATUS_FILTERS = [None] + mock_process.STATUSES
ORDERS = ("ASCENDING", "DESCENDING")

# The upstream's credentials file: one identity per use, so the upstream's journal (filtered
# by accessKeyId) tells whose requests reached it. Secrets are distinctive, to be searched for.
DIRECT = ("AKIDDIRECT", "direct-secret-Q1n8", None)            # the tests' own direct calls
REC_FILE = ("AKIDRECFILE", "recfile-secret-W7kPz3", "recfile-session-token-Zx9Lq")
REC_FAULTS = ("AKIDRECFAULTS", "recfaults-secret-T4vB", None)
REC_ENV = ("AKIDRECENV", "recenv-secret-Hh2LmX", "recenv-session-token-Pq8Rw")
REC_REDACT = ("AKIDREDACT", "redact-secret-J5cY", None)
REC_MISSING = ("AKIDMISSING", "missing-secret-R3dF", "missing-session-token-Y6tG")
IDENTITIES = [DIRECT, REC_FILE, REC_FAULTS, REC_ENV, REC_REDACT, REC_MISSING]

UPSTREAM_TOKEN_SECRET = "upstream-token-secret"


# ---------------------------------------------------------------------------------------------
# Helpers


def clean_env(identity=None):
    """The environment without AWS_* and DATAZONE_MOCK_* variables (so only what a test gives
    counts), plus `identity`'s credentials as AWS_* variables when given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("DATAZONE_MOCK_")}
    if identity:
        key, secret, token = identity
        env["AWS_ACCESS_KEY_ID"] = key
        env["AWS_SECRET_ACCESS_KEY"] = secret
        if token:
            env["AWS_SESSION_TOKEN"] = token
    return env


def credentials_yaml(*identities):
    lines = ["credentials:"]
    for key, secret, token in identities:
        entry = "  - {accessKeyId: %s, secretAccessKey: %s" % (key, secret)
        if token:
            entry += ", sessionToken: %s" % token
        lines.append(entry + "}")
    return "\n".join(lines) + "\n"


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)
    return path


def datazone(endpoint, identity=DIRECT, retries=None, **config):
    """A DataZone client. `retries`: total attempts with boto3's standard retry mode; without
    it, one attempt only. (botocore's `max_attempts` counts retries after the first attempt,
    `total_max_attempts` all attempts.)"""
    key, secret, token = identity
    retry = ({"mode": "standard", "total_max_attempts": retries} if retries
             else {"total_max_attempts": 1})
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
        region_name="us-east-1").client(
        "datazone", endpoint_url=endpoint,
        config=botocore.config.Config(retries=retry, **config))


def client_of(endpoint, key="AKIDCLIENT", secret="client-secret", **kwargs):
    """A client of the recorder: fake credentials, as any test client would have."""
    return datazone(endpoint, (key, secret, None), **kwargs)


def admin(endpoint, method, path, body=None, **query):
    if query:
        path += "?" + urllib.parse.urlencode(query)
    data = None
    if body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
    request = urllib.request.Request(endpoint + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def journal(endpoint, **query):
    return admin(endpoint, "GET", "/_mock/requests", **query)["requests"]


def last_id(endpoint):
    entries = journal(endpoint)
    return entries[-1]["id"] if entries else 0


def wait_idle(endpoint, deadline_s=30):
    """Waits until the server has no request in flight (an abandoned slow one, say)."""
    end = time.monotonic() + deadline_s
    while admin(endpoint, "GET", "/_mock/requests")["inFlight"]:
        if time.monotonic() > end:
            raise AssertionError("requests still in flight at %s" % endpoint)
        time.sleep(0.1)


def add_scenario(endpoint, text):
    admin(endpoint, "POST", "/_mock/scenarios", text)


def activate(endpoint, *names):
    admin(endpoint, "PUT", "/_mock/scenarios/active", {"active": list(names)})
    admin(endpoint, "POST", "/_mock/scenarios/reset")


def runs_path(domain, job):
    return "/v2/domains/%s/jobs/%s/runs" % (urllib.parse.quote(domain), urllib.parse.quote(job))


def raw_get(url, headers=None):
    """(status, headers, body bytes) of a GET, errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def signed_get(url, identity=DIRECT):
    """A raw GET signed like an SDK signs it (for the upstream, which verifies)."""
    key, secret, token = identity
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(key, secret, token), "datazone", "us-east-1").add_auth(request)
    return raw_get(url, dict(request.headers.items()))


def listing_kwargs(domain, job, status=None, order=None, size=None):
    kwargs = {"domainIdentifier": domain, "jobIdentifier": job}
    if status:
        kwargs["status"] = status
    if order:
        kwargs["sortOrder"] = order
    if size:
        kwargs["maxResults"] = size
    return kwargs


def pages_of(client, domain, job, status=None, order=None, size=None):
    """Every page of one listing, asked for one by one: [(items, nextToken or None)]."""
    kwargs = listing_kwargs(domain, job, status, order, size)
    pages = []
    token = None
    while True:
        answer = client.list_job_runs(**(dict(kwargs, nextToken=token) if token else kwargs))
        token = answer.get("nextToken")
        pages.append((answer["items"], token))
        if not token:
            return pages
        if len(pages) > 300:
            raise AssertionError("listing %s/%s never ends" % (domain, job))


def listing_or_error(client, domain, job, status=None, order=None, size=None):
    """pages_of(...), or the error code and message when the listing fails (so that a test
    comparing with a listing fails with what it got instead of erroring)."""
    try:
        return pages_of(client, domain, job, status, order, size)
    except botocore.exceptions.ClientError as error:
        return (error.response["Error"]["Code"], error.response["Error"]["Message"])


def paginated(client, domain, job, status=None, order=None, page_size=None):
    """The pages boto3's paginator yields: [(items, nextToken or None)]."""
    kwargs = listing_kwargs(domain, job, status, order)
    config = {"PageSize": page_size} if page_size else {}
    return [(page["items"], page.get("nextToken")) for page in
            client.get_paginator("list_job_runs").paginate(PaginationConfig=config, **kwargs)]


def assert_upstream_tokens(test, pages, domain, job, status=None, order=None, page_size=None):
    """Each nextToken of `pages` (a listing through the recorder) is the upstream's own: the
    upstream, asked directly with it, answers the page that followed it. (The upstream's tokens
    carry the second they were issued in, so they are compared by what they do, not as text.)"""
    client = direct()
    for (_, token), (next_items, next_token) in zip(pages, pages[1:]):
        answer = client.list_job_runs(nextToken=token, **listing_kwargs(
            domain, job, status, order, page_size))
        test.assertEqual(answer["items"], next_items)
        test.assertEqual("nextToken" in answer, next_token is not None)


def items_of(pages):
    """The items of each page, without the tokens."""
    return [items for items, _ in pages]


def error_of(call):
    """The ClientError a call raises: (code, message, HTTP status, headers)."""
    try:
        call()
    except botocore.exceptions.ClientError as error:
        response = error.response
        return (response["Error"]["Code"], response["Error"]["Message"],
                response["ResponseMetadata"]["HTTPStatusCode"],
                response["ResponseMetadata"]["HTTPHeaders"])
    raise AssertionError("the call succeeded")


def recorded_jobs(path):
    """{(domain, job): [runId, ...] in file order} of a recorded file ({} when there is none)."""
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        document = yaml.load(handle, Loader=mock_process.BaseLoader) or {}
    jobs = {}
    for domain_id, domain in (document.get("domains") or {}).items():
        for job_id, job in ((domain or {}).get("jobs") or {}).items():
            jobs[(domain_id, job_id)] = [run["runId"] for run in (job or {}).get("runs") or []]
    return jobs


def recorded_runs(path):
    """{(domain, job, runId): run dict} of a recorded file."""
    with open(path) as handle:
        document = yaml.load(handle, Loader=mock_process.BaseLoader) or {}
    runs = {}
    for domain_id, domain in (document.get("domains") or {}).items():
        for job_id, job in ((domain or {}).get("jobs") or {}).items():
            for run in (job or {}).get("runs") or []:
                runs[(domain_id, job_id, run["runId"])] = run
    return runs


def read(path):
    with open(path) as handle:
        return handle.read()


def start_recorder(*args, env, log_path=None):
    """`datazone-mock record --port 0 ARGS` (the subcommand first)."""
    return server_process.ServerProcess(
        [mock_process.BINARY, "record", "--port", "0", *args], env=env, log_path=log_path)


def run_binary(*args, env):
    """Runs the binary to completion (it must not start serving): CompletedProcess."""
    return subprocess.run([mock_process.BINARY, *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env, timeout=30)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# The upstream: one per module, the bundled demo data, frozen clock, SigV4 verified.

folder = None
upstream = None


def setUpModule():
    global folder, upstream
    folder = tempfile.TemporaryDirectory(prefix="datazone-mock-record-")
    unittest.addModuleCleanup(folder.cleanup)
    path = write(os.path.join(folder.name, "upstream-credentials.yaml"),
                 credentials_yaml(*IDENTITIES))
    upstream = mock_process.MockProcess("--auth", "verify", "--credentials", path,
                                        "--clock", mock_process.DEMO_CLOCK,
                                        "--token-secret", UPSTREAM_TOKEN_SECRET)
    unittest.addModuleCleanup(upstream.kill)  # a no-op once tearDownModule stopped it


def tearDownModule():
    code = upstream.stop()
    if code != 0:
        raise AssertionError("upstream exited with %d: %s" % (code, upstream.stderr))


_direct = []


def direct():
    """A client of the upstream itself, with a credential it knows (made once: a boto3 client
    takes a while to make)."""
    if not _direct:
        _direct.append(datazone(upstream.endpoint))
    return _direct[0]


def stop_ok(test, process):
    code = process.stop()
    test.assertEqual(code, 0, process.stderr)


# ---------------------------------------------------------------------------------------------


class RecordRoundTripTest(unittest.TestCase):
    """`record` with its upstream credential in a --credentials file (with a session token)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="roundtrip-", dir=folder.name)
        cls.out = os.path.join(cls.dir, "recorded.yaml")
        creds = write(os.path.join(folder.name, "recfile-credentials.yaml"),
                      credentials_yaml(REC_FILE))
        cls.recorder = start_recorder("--upstream", upstream.endpoint, "--out", cls.out,
                                      "--credentials", creds, env=clean_env())
        cls.addClassCleanup(cls.recorder.kill)
        cls.fixture_runs = mock_process.load_fixture_runs()

    @classmethod
    def tearDownClass(cls):
        code = cls.recorder.stop()
        if code != 0:
            raise AssertionError("recorder exited with %d: %s" % (code, cls.recorder.stderr))

    def client(self, **kwargs):
        return client_of(self.recorder.endpoint, **kwargs)

    def record_everything(self):
        """Every demo job, listed in full through the recorder."""
        client = self.client()
        for domain, job in JOBS + [EMPTY_JOB]:
            paginated(client, domain, job, page_size=50)

    def test_listings_through_the_recorder_are_the_upstreams_page_for_page(self):
        # boto3's paginator through the recorder and directly, every filter and order: the
        # same pages with the same items, and the upstream's own nextTokens.
        recorder, upstream_client = self.client(), direct()
        for domain, job in JOBS + [EMPTY_JOB]:
            for status in STATUS_FILTERS:
                for order in ORDERS:
                    with self.subTest(job=job, status=status, order=order):
                        through = paginated(recorder, domain, job, status, order, page_size=7)
                        self.assertEqual(
                            items_of(through),
                            items_of(paginated(upstream_client, domain, job, status, order,
                                               page_size=7)))
                        assert_upstream_tokens(self, through, domain, job, status, order, 7)
                        ids = [i["runId"] for items, _ in through for i in items]
                        self.assertEqual(ids, mock_process.expected_run_ids(
                            self.fixture_runs[(domain, job)], order == "ASCENDING", status))

    def test_the_upstream_answer_passes_through_unchanged(self):
        for query in ("?maxResults=4&status=FAILED", "?maxResults=2&sortOrder=ASCENDING"):
            with self.subTest(query=query):
                path = runs_path(DOMAIN, JOB) + query
                since = last_id(upstream.endpoint)
                status, headers, body = raw_get(self.recorder.endpoint + path)  # unsigned
                want_status, want_headers, want_body = signed_get(upstream.endpoint + path)
                self.assertEqual((status, want_status), (200, 200))
                # Byte for byte, but for the token's issue time: the upstream's token works.
                token, want_token = (json.loads(b)["nextToken"] for b in (body, want_body))
                self.assertEqual(body.replace(token.encode(), want_token.encode()), want_body)
                self.assertEqual(signed_get(upstream.endpoint + path + "&nextToken="
                                            + urllib.parse.quote(token, safe=""))[0], 200)
                self.assertEqual(headers["Content-Type"], want_headers["Content-Type"])
                # The request id is the upstream's: its journal knows it, as the recorder's call.
                request_id = headers["x-amzn-RequestId"]
                entry = admin(upstream.endpoint, "GET", "/_mock/requests/" + request_id)
                self.assertEqual(entry["accessKeyId"], REC_FILE[0])
                self.assertGreater(entry["id"], since)
                self.assertEqual(entry["status"], 200)
        # An error of the upstream: status, body, x-amzn-ErrorType and request id, unchanged.
        path = runs_path(DOMAIN, "no-such-job")
        status, headers, body = raw_get(self.recorder.endpoint + path)
        want_status, want_headers, want_body = signed_get(upstream.endpoint + path)
        self.assertEqual(want_status, 404)
        self.assertEqual((status, body), (want_status, want_body))
        self.assertEqual(headers["x-amzn-ErrorType"], want_headers["x-amzn-ErrorType"])
        self.assertEqual(headers["Content-Type"], want_headers["Content-Type"])
        entry = admin(upstream.endpoint, "GET", "/_mock/requests/" + headers["x-amzn-RequestId"])
        self.assertEqual((entry["accessKeyId"], entry["status"]), (REC_FILE[0], 404))
        self.assertNotIn((DOMAIN, "no-such-job"), recorded_jobs(self.out))

    def test_the_recorder_re_signs_whatever_the_client_signed_with(self):
        wrong = self.client(key="AKIDNOBODY", secret="not-a-known-secret")
        since = last_id(upstream.endpoint)
        through = wrong.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=5)
        self.assertEqual(through["items"], direct().list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=5)["items"])
        reached = journal(upstream.endpoint, since=since, accessKeyId=REC_FILE[0])
        self.assertEqual([e["status"] for e in reached], [200])
        self.assertEqual(journal(upstream.endpoint, since=since, accessKeyId="AKIDNOBODY"), [])
        # The same client straight at the upstream is refused, and so is a wrong secret.
        code, _, status, _ = error_of(lambda: client_of(
            upstream.endpoint, key="AKIDNOBODY", secret="not-a-known-secret").list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB))
        self.assertEqual((code, status), ("UnrecognizedClientException", 403))
        code, _, status, _ = error_of(lambda: client_of(
            upstream.endpoint, key=DIRECT[0], secret="wrong-secret").list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB))
        self.assertEqual((code, status), ("InvalidSignatureException", 403))
        # Unsigned through the recorder: still served (the recorder verifies nobody by default).
        status, _, body = raw_get(self.recorder.endpoint + runs_path(DOMAIN, JOB) + "?maxResults=1")
        self.assertEqual(status, 200, body)
        self.assertEqual(len(json.loads(body)["items"]), 1)

    def test_requests_are_validated_before_anything_is_forwarded(self):
        since = last_id(upstream.endpoint)
        for query in ("?status=BOGUS", "?maxResults=0", "?maxResults=51", "?sortOrder=UP"):
            with self.subTest(query=query):
                status, headers, body = raw_get(
                    self.recorder.endpoint + runs_path(DOMAIN, JOB) + query)
                self.assertEqual(status, 400, body)
                self.assertTrue(headers["x-amzn-ErrorType"].startswith("ValidationException"))
        self.assertEqual(journal(upstream.endpoint, since=since), [])

    def test_a_page_asked_for_twice_is_recorded_once(self):
        self.record_everything()
        client = self.client()
        first = client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=10)
        texts = []
        for _ in range(2):
            second = client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                          maxResults=10, nextToken=first["nextToken"])
            self.assertEqual(len(second["items"]), 10)
            texts.append(read(self.out))
        self.assertEqual(texts[0], texts[1])  # the same page again changes nothing
        jobs = recorded_jobs(self.out)
        for (domain, job), ids in jobs.items():
            with self.subTest(job=job):
                self.assertEqual(len(ids), len(set(ids)), "duplicate runIds")
        for domain, job in JOBS:
            with self.subTest(job=job):
                self.assertEqual(sorted(jobs[(domain, job)]),
                                 sorted(r["runId"] for r in self.fixture_runs[(domain, job)]))
        self.assertNotIn((DOMAIN, "no-such-job"), jobs)
        text = read(self.out)
        for secret in (REC_FILE[1], REC_FILE[2], DIRECT[1], "Signature="):
            self.assertNotIn(secret, text)

    def replay(self):
        self.record_everything()
        result = run_binary("check", self.out, env=clean_env())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        replay = mock_process.MockProcess("--fixtures", self.out,
                                          "--clock", mock_process.DEMO_CLOCK)
        self.addCleanup(replay.kill)
        return replay

    def test_check_accepts_the_recording_and_it_serves_the_upstreams_listings(self):
        replay = self.replay()
        served, upstream_client = client_of(replay.endpoint), direct()
        for domain, job in JOBS:
            for status in STATUS_FILTERS:
                for order in ORDERS:
                    with self.subTest(job=job, status=status, order=order):
                        self.assertEqual(
                            items_of(pages_of(served, domain, job, status, order, size=3)),
                            items_of(pages_of(upstream_client, domain, job, status, order,
                                              size=3)))
        # What the upstream does not know, the recording does not either.
        self.assertEqual(error_of(lambda: served.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier="no-such-job"))[:3],
            error_of(lambda: upstream_client.list_job_runs(
                domainIdentifier=DOMAIN, jobIdentifier="no-such-job"))[:3])
        stop_ok(self, replay)

    def test_a_job_without_runs_replays_as_an_empty_listing(self):
        # The upstream lists empty-job as an empty page; the recording served back must too
        # (not a 404 for a job it never wrote down).
        replay = self.replay()
        domain, job = EMPTY_JOB
        self.assertEqual(pages_of(direct(), domain, job), [([], None)])
        self.assertEqual(listing_or_error(client_of(replay.endpoint), domain, job),
                         [([], None)])
        stop_ok(self, replay)


class RecordUpstreamFaultsTest(unittest.TestCase):
    """Errors of the upstream pass through, so SDK retries work through the recorder."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="faults-", dir=folder.name)
        cls.out = os.path.join(cls.dir, "recorded.yaml")
        cls.creds = write(os.path.join(cls.dir, "credentials.yaml"),
                          credentials_yaml(REC_FAULTS))
        cls.recorder = start_recorder("--upstream", upstream.endpoint, "--out", cls.out,
                                      "--credentials", cls.creds, env=clean_env())
        cls.addClassCleanup(cls.recorder.kill)

    @classmethod
    def tearDownClass(cls):
        code = cls.recorder.stop()
        if code != 0:
            raise AssertionError("recorder exited with %d: %s" % (code, cls.recorder.stderr))

    def tearDown(self):
        activate(upstream.endpoint)  # nothing active for the next test

    def through(self, since):
        return journal(self.recorder.endpoint, since=since)

    def test_throttling_passes_through_and_standard_retries_get_through(self):
        activate(upstream.endpoint, "throttle-then-succeed")
        since = last_id(self.recorder.endpoint)
        answer = client_of(self.recorder.endpoint, retries=5).list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=5)
        self.assertEqual(answer["ResponseMetadata"]["RetryAttempts"], 2)
        calls = self.through(since)
        self.assertEqual([c["status"] for c in calls], [429, 429, 200])
        self.assertEqual([c["errorType"] for c in calls],
                         ["ThrottlingException", "ThrottlingException", None])
        self.assertEqual([c["attempt"] for c in calls], [1, 2, 3])
        activate(upstream.endpoint)
        self.assertEqual(answer["items"], direct().list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=5)["items"])

    def test_without_retries_the_client_sees_the_upstreams_throttling(self):
        add_scenario(upstream.endpoint,
                     "name: rec-busy\nrules:\n  - when: {job: weekly-rollup}\n"
                     "    respond: {error: ThrottlingException, message: 'Upstream busy (rec)'}\n")
        activate(upstream.endpoint, "rec-busy")
        since = last_id(self.recorder.endpoint)
        code, message, status, headers = error_of(
            lambda: client_of(self.recorder.endpoint).list_job_runs(
                domainIdentifier="dzd-analytics_02", jobIdentifier="weekly-rollup"))
        self.assertEqual((code, message, status),
                         ("ThrottlingException", "Upstream busy (rec)", 429))
        want = error_of(lambda: direct().list_job_runs(
            domainIdentifier="dzd-analytics_02", jobIdentifier="weekly-rollup"))
        self.assertEqual(headers["x-amzn-errortype"], want[3]["x-amzn-errortype"])
        self.assertEqual([c["status"] for c in self.through(since)], [429])
        # Not recorded.
        self.assertNotIn("dzd-analytics_02", {d for d, _ in recorded_jobs(self.out)})

    def test_a_500_of_the_upstream_is_retried(self):
        add_scenario(upstream.endpoint,
                     "name: rec-500-once\nrules:\n  - when: {calls: 1}\n"
                     "    respond: {error: InternalServerException}\n")
        activate(upstream.endpoint, "rec-500-once")
        since = last_id(self.recorder.endpoint)
        answer = client_of(self.recorder.endpoint, retries=5).list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier="hourly-sync")
        self.assertEqual(answer["ResponseMetadata"]["RetryAttempts"], 1)
        self.assertEqual(len(answer["items"]), 12)
        calls = self.through(since)
        self.assertEqual([c["status"] for c in calls], [500, 200])
        self.assertEqual([c["errorType"] for c in calls], ["InternalServerException", None])

    def test_a_slow_upstream_answer_is_retried_after_the_client_times_out(self):
        add_scenario(upstream.endpoint,
                     "name: rec-slow-once\nrules:\n  - when: {calls: 1}\n"
                     "    respond: {delay: 3s}\n")
        activate(upstream.endpoint, "rec-slow-once")
        try:
            answer = client_of(self.recorder.endpoint, retries=3, read_timeout=1,
                               connect_timeout=5).list_job_runs(
                domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=3)
            self.assertGreaterEqual(answer["ResponseMetadata"]["RetryAttempts"], 1)
            rule = [s for s in admin(upstream.endpoint, "GET", "/_mock/scenarios")["scenarios"]
                    if s["name"] == "rec-slow-once"][0]["rules"][0]
            self.assertEqual(rule["decided"], 1)  # the delayed one; the retry went through
            self.assertGreaterEqual(rule["matched"], 2)
        finally:
            # The abandoned forward finishes in the background; let it, before the next test.
            wait_idle(self.recorder.endpoint)
            wait_idle(upstream.endpoint)
        activate(upstream.endpoint)
        self.assertEqual(answer["items"], direct().list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=3)["items"])

    def test_an_upstream_that_is_gone_is_503_and_retried(self):
        gone = mock_process.MockProcess("--clock", mock_process.DEMO_CLOCK)
        self.addCleanup(gone.kill)
        recorder = start_recorder("--upstream", gone.endpoint, "--out",
                                  os.path.join(self.dir, "gone.yaml"),
                                  "--credentials", self.creds, env=clean_env())
        self.addCleanup(recorder.kill)
        client = client_of(recorder.endpoint, retries=3)
        self.assertEqual(len(client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                                  maxResults=2)["items"]), 2)
        stop_ok(self, gone)  # its port is closed now
        since = last_id(recorder.endpoint)
        code, _, status, _ = error_of(lambda: client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB))
        self.assertEqual((code, status), ("ServiceUnavailableException", 503))
        calls = journal(recorder.endpoint, since=since)
        self.assertEqual([c["status"] for c in calls], [503, 503, 503])
        self.assertEqual([c["attempt"] for c in calls], [1, 2, 3])
        self.assertEqual({c["errorType"] for c in calls}, {"ServiceUnavailableException"})
        since = calls[-1]["id"]
        code, _, status, _ = error_of(lambda: client_of(recorder.endpoint).list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB))
        self.assertEqual((code, status), ("ServiceUnavailableException", 503))
        self.assertEqual(len(journal(recorder.endpoint, since=since)), 1)
        stop_ok(self, recorder)

    def test_a_closed_port_from_the_start_is_503(self):
        recorder = start_recorder("--upstream", "http://127.0.0.1:%d" % closed_port(), "--out",
                                  os.path.join(self.dir, "closed.yaml"),
                                  "--credentials", self.creds, env=clean_env())
        self.addCleanup(recorder.kill)
        status, headers, body = raw_get(recorder.endpoint + runs_path(DOMAIN, JOB))
        self.assertEqual(status, 503, body)
        self.assertTrue(headers["x-amzn-ErrorType"].startswith("ServiceUnavailableException"))
        self.assertEqual(recorded_jobs(os.path.join(self.dir, "closed.yaml")), {})
        stop_ok(self, recorder)


class RecordOverHttpsTest(unittest.TestCase):
    """An HTTPS upstream (its own throwaway CA): its certificate is verified against the
    system's trust, which SSL_CERT_FILE replaces here; without the CA nothing gets through."""

    TLS = ("AKIDRECTLS", "rectls-secret-M2sV", None)

    @classmethod
    def setUpClass(cls):
        from test_tls import make_test_pki  # the TLS suite's throwaway CA and certificate
        cls.dir = tempfile.mkdtemp(prefix="https-", dir=folder.name)
        cls.pki = make_test_pki(cls.dir)
        path = write(os.path.join(cls.dir, "credentials.yaml"), credentials_yaml(cls.TLS))
        cls.upstream = mock_process.MockProcess(
            "--auth", "verify", "--credentials", path, "--clock", mock_process.DEMO_CLOCK,
            "--tls-cert", cls.pki["server.pem"], "--tls-key", cls.pki["server.key"])
        cls.addClassCleanup(cls.upstream.kill)

    def recorder(self, out, trusted):
        env = clean_env(self.TLS)
        if trusted:
            env["SSL_CERT_FILE"] = self.pki["ca.pem"]
        recorder = start_recorder("--upstream", self.upstream.endpoint, "--out", out, env=env)
        self.addCleanup(recorder.kill)
        return recorder

    def test_a_trusted_upstream_is_recorded_over_https(self):
        self.assertTrue(self.upstream.endpoint.startswith("https://"), self.upstream.endpoint)
        out = os.path.join(self.dir, "https.yaml")
        recorder = self.recorder(out, trusted=True)
        seen = paginated(client_of(recorder.endpoint), DOMAIN, JOB, page_size=40)
        self.assertEqual(len([run for items, _ in seen for run in items]), 130)
        stop_ok(self, recorder)
        self.assertEqual(len([key for key in recorded_runs(out) if key[1] == JOB]), 130)

    def test_an_untrusted_certificate_is_refused(self):
        out = os.path.join(self.dir, "untrusted.yaml")
        recorder = self.recorder(out, trusted=False)
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            client_of(recorder.endpoint).list_job_runs(domainIdentifier=DOMAIN,
                                                       jobIdentifier=JOB)
        self.assertEqual(raised.exception.response["Error"]["Code"],
                         "ServiceUnavailableException")
        stop_ok(self, recorder)
        self.assertFalse(os.path.exists(out))


class RecordStartupErrorsTest(unittest.TestCase):
    """Refused before serving: exit code 2, and for these one line on stderr."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="startup-", dir=folder.name)
        cls.out = os.path.join(cls.dir, "never.yaml")  # a refused start writes nothing
        cls.started = os.path.join(cls.dir, "started.yaml")  # for the controls that start

    def assert_starts(self, *args, env):
        """The control: with this one thing right, the same command serves."""
        recorder = start_recorder(*args, env=env)
        self.addCleanup(recorder.kill)
        stop_ok(self, recorder)

    def assert_refused(self, result, one_line=True):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertNotIn("unexpected argument 'record'", result.stderr)
        self.assertNotIn("listening", result.stdout)
        lines = result.stderr.splitlines()
        if one_line:
            self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines and lines[0].startswith("datazone-mock: "), result.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_bad_upstream_urls(self):
        for url in ("ftp://x", "http://host/path", "notaurl", "http://", ""):
            with self.subTest(url=url):
                self.assert_refused(run_binary(
                    "record", "--port", "0", "--upstream", url, "--out", self.out,
                    env=clean_env(REC_FAULTS)))
        self.assert_starts("--upstream", upstream.endpoint, "--out", self.started,
                           env=clean_env(REC_FAULTS))

    def test_no_credentials(self):
        args = ("--upstream", upstream.endpoint, "--out", self.out)
        self.assert_refused(run_binary("record", "--port", "0", *args, env=clean_env()))
        half = dict(clean_env(), AWS_ACCESS_KEY_ID="AKIDHALF")
        self.assert_refused(run_binary("record", "--port", "0", *args, env=half))
        self.assert_starts("--upstream", upstream.endpoint, "--out", self.started,
                           env=clean_env(REC_FAULTS))

    def test_a_credentials_file_must_hold_exactly_one(self):
        two = write(os.path.join(self.dir, "two.yaml"), credentials_yaml(DIRECT, REC_FAULTS))
        self.assert_refused(run_binary(
            "record", "--port", "0", "--upstream", upstream.endpoint, "--out", self.out,
            "--credentials", two, env=clean_env()), one_line=False)
        self.assert_refused(run_binary(
            "record", "--port", "0", "--upstream", upstream.endpoint, "--out", self.out,
            "--credentials", os.path.join(self.dir, "absent.yaml"), env=clean_env()),
            one_line=False)

    def test_missing_or_conflicting_flags(self):
        env = clean_env(REC_FAULTS)
        for args in (("--out", self.out),
                     ("--upstream", upstream.endpoint),
                     ("--upstream", upstream.endpoint, "--out", self.out,
                      "--fixtures", os.path.join(mock_process.FIXTURES, "demo.yaml")),
                     ("--upstream", upstream.endpoint, "--out", self.out,
                      "--redact", "runId")):
            with self.subTest(args=args):
                self.assert_refused(run_binary("record", "--port", "0", *args, env=env),
                                    one_line=False)


class RecordSecretsTest(unittest.TestCase):
    """The upstream credential from the environment, with a session token: it signs for real
    (the upstream verifies the token too) and appears in neither the log nor the file."""

    CLIENT = ("AKIDCLIENTLEAK", "client-secret-must-not-leak-V2", "client-session-token-K4w")
    LOG_ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="secrets-", dir=folder.name)
        cls.out_dir = os.path.join(cls.dir, "out")
        os.mkdir(cls.out_dir)
        cls.out = os.path.join(cls.out_dir, "recorded.yaml")
        recorder = start_recorder("--upstream", upstream.endpoint, "--out", cls.out,
                                  *cls.LOG_ARGS, env=clean_env(REC_ENV),
                                  log_path=os.path.join(cls.dir, "recorder.log"))
        cls.addClassCleanup(recorder.kill)
        client = datazone(recorder.endpoint, cls.CLIENT)
        cls.listings = {}
        cls.tokens = []
        for status, order in ((None, "DESCENDING"), (None, "ASCENDING"), ("FAILED", None)):
            pages = paginated(client, DOMAIN, JOB, status, order, page_size=10)
            cls.listings[(status, order)] = [i["runId"] for items, _ in pages for i in items]
            cls.tokens += [token for _, token in pages if token]
        cls.missing = error_of(lambda: client.list_job_runs(domainIdentifier=DOMAIN,
                                                            jobIdentifier="no-such-job"))
        cls.invalid = raw_get(recorder.endpoint + runs_path(DOMAIN, JOB) + "?status=BOGUS")[0]
        with urllib.request.urlopen(recorder.endpoint + "/_mock/requests") as response:
            cls.journal = response.read().decode()
        cls.code = recorder.stop()
        cls.log = recorder.stderr
        cls.file = read(cls.out)

    def test_the_session_credential_signed_for_real(self):
        self.assertEqual(self.code, 0, self.log)
        runs = mock_process.load_fixture_runs()[(DOMAIN, JOB)]
        for (status, order), ids in self.listings.items():
            self.assertEqual(ids, mock_process.expected_run_ids(runs, order == "ASCENDING",
                                                                status))
        self.assertGreater(len(self.tokens), 20)
        self.assertEqual(self.missing[:3], ("ResourceNotFoundException",
                                            "The specified resource cannot be found.", 404))
        self.assertEqual(self.invalid, 400)
        # The requests are in the log at all (so the absences below mean something).
        self.assertGreaterEqual(self.log.count(runs_path(DOMAIN, JOB)), len(self.tokens))

    def test_no_secret_in_the_log_or_the_file(self):
        # (and none in the recorder's journal, which the admin API shows)
        for name, text in (("log", self.log), ("file", self.file), ("journal", self.journal)):
            for secret in (REC_ENV[1], REC_ENV[2], self.CLIENT[1], self.CLIENT[2], "Signature=",
                           "AWS4-HMAC-SHA256"):
                with self.subTest(where=name, secret=secret):
                    self.assertNotIn(secret, text)

    def test_the_file_holds_the_runs_and_nothing_else(self):
        self.assertEqual(os.listdir(self.out_dir), ["recorded.yaml"])  # no temporary left
        jobs = recorded_jobs(self.out)
        self.assertEqual(list(jobs), [(DOMAIN, JOB)])
        self.assertEqual(len(jobs[(DOMAIN, JOB)]), 130)
        for token in self.tokens:
            self.assertNotIn(token, self.file)

    def test_no_upstream_next_token_in_the_log(self):
        for token in self.tokens:
            with self.subTest(token=token[:16]):
                self.assertNotIn(token, self.log)
                self.assertNotIn(urllib.parse.quote(token, safe=""), self.log)


class RecordSecretsJsonLogTest(RecordSecretsTest):
    """The same with the JSON request log."""

    LOG_ARGS = ("--log-format", "json")

    def test_the_log_is_json(self):
        lines = [json.loads(line) for line in self.log.splitlines() if line.startswith("{")]
        self.assertGreater(len(lines), len(self.tokens))
        self.assertTrue(any("nextToken=" in line["path"] for line in lines))


def recorded_value(run, member):
    """A member of a recorded run (error: its message), or None."""
    value = run.get(member)
    return value["message"] if member == "error" and value is not None else value


def client_value(item, member):
    """A member of a JobRunSummary as boto3 returns it (error: its message), or None."""
    return item.get("error", {}).get("message") if member == "error" else item.get(member)


class RecordRedactTest(unittest.TestCase):
    """--redact: placeholders in the file, the real values for the client."""

    def record(self, *redact):
        """Records the demo jobs through a recorder with the --redact flags `redact`; checks
        that the client got the upstream's real answers. Returns ({(domain, job, runId): item
        the client got}, {(domain, job, runId): recorded run}, the file's text)."""
        out = os.path.join(tempfile.mkdtemp(prefix="redact-", dir=folder.name), "recorded.yaml")
        try:
            recorder = start_recorder("--upstream", upstream.endpoint, "--out", out, *redact,
                                      env=clean_env(REC_REDACT))
        except RuntimeError as error:
            refused = str(error)
        else:
            refused = None
        if refused:  # a FAIL that says why, rather than an ERROR
            self.fail("record %s did not start: %s" % (" ".join(redact), refused))
        self.addCleanup(recorder.kill)
        client = client_of(recorder.endpoint)
        seen = {}
        for domain, job in JOBS:
            through = paginated(client, domain, job, page_size=20)
            self.assertEqual(items_of(through),
                             items_of(paginated(direct(), domain, job, page_size=20)))
            for items, _ in through:
                for item in items:
                    seen[(domain, job, item["runId"])] = item
        stop_ok(self, recorder)
        result = run_binary("check", out, env=clean_env())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        runs = recorded_runs(out)
        self.assertEqual(set(runs), set(seen))
        for key, item in seen.items():  # what is not redacted is recorded as it came
            self.assertEqual(runs[key]["status"], item["status"])
        return seen, runs, read(out)

    def assert_redacted(self, member, seen, runs, text):
        originals = {client_value(item, member) for item in seen.values()} - {None}
        self.assertGreater(len(originals), 2)  # the client got the real, varied values
        mapping = {}
        for key, item in seen.items():
            original, recorded = client_value(item, member), recorded_value(runs[key], member)
            if original is None:
                self.assertIsNone(recorded, key)
                continue
            self.assertRegex(recorded, r"^%s-[1-9][0-9]*$" % member)
            mapping.setdefault(original, set()).add(recorded)
        # The same value always the same placeholder; different values different ones.
        self.assertTrue(all(len(p) == 1 for p in mapping.values()), mapping)
        self.assertEqual(len({p for ps in mapping.values() for p in ps}), len(originals))
        for original in originals:
            self.assertNotIn(original, text)

    def assert_verbatim(self, member, seen, runs):
        for key, item in seen.items():
            self.assertEqual(recorded_value(runs[key], member), client_value(item, member), key)

    def test_redact_created_by(self):
        seen, runs, text = self.record("--redact", "createdBy")
        self.assertGreaterEqual({item.get("createdBy") for item in seen.values()},
                                {"svc-scheduler", "user-alice", "user-bob", "user-carol"})
        self.assert_redacted("createdBy", seen, runs, text)
        self.assert_verbatim("error", seen, runs)

    def test_redact_takes_a_comma_separated_list(self):
        # The brief's syntax: --redact MEMBER[,MEMBER].
        seen, runs, text = self.record("--redact", "createdBy,error")
        self.assert_redacted("createdBy", seen, runs, text)
        self.assert_redacted("error", seen, runs, text)

    def test_redact_is_repeatable(self):
        # The README's syntax: --redact MEMBER, repeatable.
        seen, runs, text = self.record("--redact", "error", "--redact", "createdBy")
        self.assert_redacted("createdBy", seen, runs, text)
        self.assert_redacted("error", seen, runs, text)


LOCAL_FIXTURE = """\
domains:
  dzd_demo01:
    jobs:
      local-job:
        jobType: LINEAGE
        runs:
          - runId: local-1
            status: SUCCESS
            createdAt: 2025-08-01T10:00:00Z
            runMode: ON_DEMAND
            createdBy: user-local
            startTime: 2025-08-01T10:00:05Z
            endTime: 2025-08-01T10:30:00Z
          - runId: local-2
            status: FAILED
            createdAt: 2025-08-02T10:00:00Z
            runMode: SCHEDULED
            error: {message: "local failure"}
          - runId: local-3
            status: IN_PROGRESS
            createdAt: 2025-08-03T10:00:00Z
"""


class RecordMissingTest(unittest.TestCase):
    """`--fixtures F --upstream URL --record-missing --out FILE`: what F knows is served from F;
    anything else is fetched whole from the upstream once, recorded and served by the mock."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="missing-", dir=folder.name)
        cls.local = write(os.path.join(cls.dir, "local.yaml"), LOCAL_FIXTURE)
        cls.out = os.path.join(cls.dir, "recorded.yaml")
        cls.mock = cls.start(cls.out)
        cls.addClassCleanup(cls.mock.kill)
        cls.fixture_runs = mock_process.load_fixture_runs()

    @classmethod
    def start(cls, out):
        return server_process.ServerProcess(
            [mock_process.BINARY, "--port", "0", "--fixtures", cls.local,
             "--upstream", upstream.endpoint, "--record-missing", "--out", out,
             "--clock", mock_process.DEMO_CLOCK, "--token-secret", "missing-token-secret"],
            env=clean_env(REC_MISSING))

    @classmethod
    def tearDownClass(cls):
        code = cls.mock.stop()
        if code != 0:
            raise AssertionError("mock exited with %d: %s" % (code, cls.mock.stderr))

    def tearDown(self):
        activate(upstream.endpoint)

    def fetched(self, since):
        return journal(upstream.endpoint, since=since, accessKeyId=REC_MISSING[0])

    def assert_file_holds_only_fetched_jobs(self, path=None):
        jobs = recorded_jobs(path or self.out)
        self.assertNotIn((DOMAIN, "local-job"), jobs)
        self.assertLessEqual(set(jobs), set(JOBS + [EMPTY_JOB]))
        for key, ids in jobs.items():
            self.assertEqual(sorted(ids), sorted(r["runId"] for r in self.fixture_runs[key]))
        return jobs

    def test_a_job_of_the_fixtures_is_served_from_them(self):
        since = last_id(upstream.endpoint)
        client = client_of(self.mock.endpoint)
        self.assertEqual([i["runId"] for i in client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier="local-job")["items"]],
            ["local-3", "local-2", "local-1"])
        self.assertEqual([i["runId"] for i in client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier="local-job", status="FAILED",
            sortOrder="ASCENDING")["items"]], ["local-2"])
        self.assertEqual(journal(upstream.endpoint, since=since), [])
        self.assert_file_holds_only_fetched_jobs()

    def check_fetched_once_then_served(self, domain, job, first_status):
        client, upstream_client = client_of(self.mock.endpoint), direct()
        since = last_id(upstream.endpoint)
        # The first request has a filter and an order; the fetch must still take the whole job.
        first_query = listing_kwargs(domain, job, first_status, "ASCENDING", 1)
        first = client.list_job_runs(**first_query)
        self.assertEqual(first["items"], upstream_client.list_job_runs(**first_query)["items"])
        fetch = self.fetched(since)
        self.assertTrue(fetch, "nothing reached the upstream")
        self.assertEqual({c["status"] for c in fetch}, {200})
        self.assertEqual({c["path"] for c in fetch}, {runs_path(domain, job)})
        # The mock's own token, not the upstream's: the upstream refuses it.
        self.assertIn("nextToken", first)
        self.assertEqual(error_of(lambda: upstream_client.list_job_runs(
            nextToken=first["nextToken"], **first_query))[:3],
            ("ValidationException", "The nextToken provided is invalid.", 400))
        # Every listing from the store, as the upstream lists it; no further upstream calls.
        for status in STATUS_FILTERS:
            for order in ORDERS:
                with self.subTest(job=job, status=status, order=order):
                    self.assertEqual(
                        items_of(pages_of(client, domain, job, status, order, size=3)),
                        items_of(pages_of(upstream_client, domain, job, status, order, size=3)))
        self.assertEqual(self.fetched(since), fetch)
        jobs = self.assert_file_holds_only_fetched_jobs()
        self.assertIn((domain, job), jobs)
        return fetch

    def test_an_unknown_job_is_fetched_whole_once_then_served_by_the_mock(self):
        fetch = self.check_fetched_once_then_served(DOMAIN, JOB, "FAILED")
        self.assertGreaterEqual(len(fetch), 3)  # 130 runs: at least 3 pages of at most 50

    def test_an_unknown_domain_is_fetched_too(self):
        self.check_fetched_once_then_served("dzd-analytics_02", "weekly-rollup", None)

    def test_an_unknown_job_without_runs_is_an_empty_listing(self):
        # The upstream knows empty-job and lists it empty; so must the mock that fetched it.
        domain, job = EMPTY_JOB
        self.assertEqual(pages_of(direct(), domain, job), [([], None)])
        client = client_of(self.mock.endpoint)
        since = last_id(upstream.endpoint)
        self.assertEqual(listing_or_error(client, domain, job), [([], None)])
        self.assertEqual([c["status"] for c in self.fetched(since)], [200])
        # Known from now on: served by the mock, without asking the upstream again.
        self.assertEqual(listing_or_error(client, domain, job, "FAILED", "ASCENDING", 3),
                         [([], None)])
        self.assertEqual([c["status"] for c in self.fetched(since)], [200])
        # And in the file, as a job without runs, so that the file served back knows it too.
        self.assertEqual(self.assert_file_holds_only_fetched_jobs().get(EMPTY_JOB), [])

    def test_what_the_upstream_does_not_know_either_is_its_404(self):
        client = client_of(self.mock.endpoint)
        for domain, job in (("dzd_nowhere", "no-job"), (DOMAIN, "no-such-job")):
            with self.subTest(domain=domain, job=job):
                since = last_id(upstream.endpoint)
                got = error_of(lambda: client.list_job_runs(domainIdentifier=domain,
                                                            jobIdentifier=job))
                want = error_of(lambda: direct().list_job_runs(domainIdentifier=domain,
                                                               jobIdentifier=job))
                self.assertEqual(got[0], "ResourceNotFoundException")
                self.assertEqual(got[:3], want[:3])
                # The upstream's answer (it was asked), passed through; nothing recorded.
                self.assertEqual([(c["path"], c["status"]) for c in self.fetched(since)],
                                 [(runs_path(domain, job), 404)])
                self.assertNotIn((domain, job), recorded_jobs(self.out))
                # Asked again: the same answer.
                self.assertEqual(error_of(lambda: client.list_job_runs(
                    domainIdentifier=domain, jobIdentifier=job))[:3], want[:3])

    def test_callers_asking_for_one_missing_job_at_once_all_get_it(self):
        # A fresh mock, so that hourly-sync is unknown to it; eight callers ask at the same time.
        out = os.path.join(self.dir, "together.yaml")
        mock = self.start(out)
        self.addCleanup(mock.kill)
        barrier = threading.Barrier(8)
        answers, failures = [None] * 8, []

        def ask(index):
            client = client_of(mock.endpoint)
            barrier.wait()
            try:
                answers[index] = items_of(pages_of(client, DOMAIN, "hourly-sync", size=5))
            except Exception as error:  # reported below, with every other failure
                failures.append(repr(error))

        workers = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.assertEqual(failures, [])
        expected = items_of(pages_of(direct(), DOMAIN, "hourly-sync", size=5))
        self.assertEqual(answers, [expected] * 8)
        self.assertEqual(sorted(recorded_jobs(out)[(DOMAIN, "hourly-sync")]),
                         sorted(r["runId"] for r in self.fixture_runs[(DOMAIN, "hourly-sync")]))
        stop_ok(self, mock)

    def test_an_upstream_error_during_the_fetch_passes_through_and_records_nothing(self):
        # A fresh mock, so that nightly-lineage is unknown to it: page 2 of its fetch throttled.
        out = os.path.join(self.dir, "throttled.yaml")
        mock = self.start(out)
        self.addCleanup(mock.kill)
        add_scenario(upstream.endpoint,
                     "name: rec-missing-page-2\nrules:\n"
                     "  - when: {accessKeyId: %s, job: %s, page: 2-}\n"
                     "    respond: {error: ThrottlingException,"
                     " message: 'Upstream busy on page 2'}\n" % (REC_MISSING[0], JOB))
        activate(upstream.endpoint, "rec-missing-page-2")
        client = client_of(mock.endpoint)
        since = last_id(upstream.endpoint)
        self.assertEqual(error_of(lambda: client.list_job_runs(
            domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=5))[:3],
            ("ThrottlingException", "Upstream busy on page 2", 429))
        self.assertEqual([c["status"] for c in self.fetched(since)], [200, 429])
        self.assertNotIn((DOMAIN, JOB), recorded_jobs(out))
        # Once the upstream answers, the job is fetched and served.
        activate(upstream.endpoint)
        self.assertEqual(items_of(pages_of(client, DOMAIN, JOB, size=50)),
                         items_of(pages_of(direct(), DOMAIN, JOB, size=50)))
        self.assertEqual(len(recorded_jobs(out)[(DOMAIN, JOB)]), 130)
        stop_ok(self, mock)


if __name__ == "__main__":
    unittest.main()
