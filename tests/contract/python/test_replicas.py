"""Scale-out: two replicas with one --token-secret behind nginx, paged through with boto3.

Two datazone-mock processes get the same --token-secret and the same fixture files; an nginx
process (the Debian package, run as the current user with its own temporary prefix) balances
them round robin without keep-alive towards them, so successive requests alternate. boto3's
ListJobRuns paginator then pages through one job via nginx, and the test checks:

- every run comes exactly once, and the listing equals the one a single replica gives;
- both replicas served pages, shown by each replica's own journal (GET /_mock/requests, asked
  of each replica directly) and by nginx's X-Replica header, and a replica other than the one
  that served page 1 accepted a nextToken it had not issued;
- a replica started with a different --token-secret refuses such a token with 400
  ValidationException "The nextToken provided is invalid.".

Without nginx the test is skipped, unless CI=true: then a missing nginx fails it
(`scripts/setup.sh test` installs it).
"""

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

sys.path.insert(0, os.path.join(mock_process.REPO, "tests", "support"))
import server_process  # noqa: E402  (nginx dies with the test, as the replicas do)

HERE = os.path.dirname(os.path.abspath(__file__))
NGINX_TEMPLATE = os.path.join(HERE, "nginx_replicas.conf.in")

SECRET = "replicas-shared-secret"
OTHER_SECRET = "replicas-other-secret"
DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"  # 130 runs in the demo fixtures
RUNS_PATH = "/v2/domains/%s/jobs/%s/runs" % (DOMAIN, JOB)
PAGE_SIZE = 20           # 7 pages
VIA_NGINX_KEY = "AKIDVIANGINX"   # the journal is filtered by it
DIRECT_KEY = "AKIDDIRECT"
INVALID_TOKEN = "The nextToken provided is invalid."


def find_nginx():
    found = shutil.which("nginx")
    if found:
        return found
    for directory in ("/usr/sbin", "/sbin", "/usr/local/sbin"):  # not on every user's PATH
        candidate = os.path.join(directory, "nginx")
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_client(endpoint, access_key_id):
    session = boto3.session.Session(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=mock_process.CLIENT_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    # No retries: each page is exactly one request, so the journals can be counted.
    config = botocore.config.Config(retries={"total_max_attempts": 1})
    return session.client("datazone", endpoint_url=endpoint, config=config)


def admin_get(endpoint, path):
    with urllib.request.urlopen(endpoint + path, timeout=10) as response:
        return json.loads(response.read())


def address_of(endpoint):
    """'http://127.0.0.1:PORT' -> '127.0.0.1:PORT', as nginx's $upstream_addr names it."""
    return endpoint.split("://", 1)[1]


class Nginx:
    """nginx in the foreground with its own prefix; stopped by stop(), killed if it hangs."""

    def __init__(self, binary, prefix, upstreams):
        self.prefix = prefix
        with open(NGINX_TEMPLATE) as handle:
            template = handle.read()
        servers = "\n".join("    server %s;" % address for address in upstreams)
        for _ in range(5):  # the free port may be taken between probe and bind: try another
            self.port = free_port()
            config = (template.replace("@PREFIX@", prefix).replace("@PORT@", str(self.port))
                      .replace("@SERVERS@", servers))
            self.config = os.path.join(prefix, "nginx.conf")
            with open(self.config, "w") as handle:
                handle.write(config)
            self.output = open(os.path.join(prefix, "nginx.out"), "w+")
            self.process = server_process.popen(
                [binary, "-p", prefix + "/", "-c", self.config,
                 "-e", os.path.join(prefix, "error.log"), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=self.output, stderr=subprocess.STDOUT)
            if self._wait_listening():
                self.endpoint = "http://127.0.0.1:%d" % self.port
                return
            self.stop()
            if "Address already in use" not in self.diagnostics():
                raise RuntimeError("nginx did not start: " + self.diagnostics())
        raise RuntimeError("nginx found no free port: " + self.diagnostics())

    def _wait_listening(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def diagnostics(self):
        text = []
        for name in ("nginx.out", "error.log", "access.log"):
            path = os.path.join(self.prefix, name)
            if os.path.exists(path):
                with open(path, errors="replace") as handle:
                    text.append("--- %s\n%s" % (name, handle.read()))
        return "\n".join(text)

    def stop(self):
        """SIGTERM (nginx's fast shutdown); killed if still running after 10 s."""
        try:
            server_process.stop(self.process, signal.SIGTERM, timeout=10)
        finally:
            self.output.close()


class ReplicasBehindNginxTest(unittest.TestCase):
    def setUp(self):
        nginx = find_nginx()
        if nginx is None:
            if os.environ.get("CI") == "true":
                self.fail("nginx is not installed, and CI must run this test: "
                          "apt-get install nginx (scripts/setup.sh test does)")
            self.skipTest("nginx is not installed (apt-get install nginx)")
        # Cleanups run last-registered first: nginx, then the replicas, then the directory.
        workdir = tempfile.mkdtemp(prefix="datazone-mock-replicas-")
        self.addCleanup(shutil.rmtree, workdir, ignore_errors=True)
        # Also when SIGTERM or Ctrl-C ends the run (server_process kills the servers first).
        atexit.register(shutil.rmtree, workdir, ignore_errors=True)
        self.replicas = [self.start_replica(SECRET), self.start_replica(SECRET)]
        self.nginx = Nginx(nginx, workdir, [address_of(r.endpoint) for r in self.replicas])
        self.addCleanup(self.nginx.stop)

    def start_replica(self, secret):
        replica = mock_process.MockProcess(
            "--token-secret", secret, "--fixtures", mock_process.FIXTURES,
            # The demo's times are relative to the clock: the same instant on every replica.
            "--clock", mock_process.DEMO_CLOCK)
        self.addCleanup(self.stop_replica, replica)
        return replica

    def stop_replica(self, replica):
        code = replica.stop()  # SIGTERM; killed if it hangs; a no-op if already stopped
        self.assertEqual(code, 0, "datazone-mock exited with %s: %s" % (code, replica.stderr))

    def explain(self):
        """What nginx saw, for a failure message."""
        return self.nginx.diagnostics()

    def single_replica_listing(self, replica):
        items = []
        for page in make_client(replica.endpoint, DIRECT_KEY).get_paginator(
                "list_job_runs").paginate(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                          PaginationConfig={"PageSize": 50}):
            items.extend(page["items"])
        return items

    def journal(self, replica, access_key_id):
        entries = admin_get(replica.endpoint,
                            "/_mock/requests?accessKeyId=" + access_key_id)["requests"]
        return [e for e in entries if e["method"] == "GET" and e["path"] == RUNS_PATH]

    def test_pages_alternate_between_replicas(self):
        client = make_client(self.nginx.endpoint, VIA_NGINX_KEY)
        items, served_by = [], []
        for page in client.get_paginator("list_job_runs").paginate(
                domainIdentifier=DOMAIN, jobIdentifier=JOB,
                PaginationConfig={"PageSize": PAGE_SIZE}):
            self.assertLessEqual(len(page["items"]), PAGE_SIZE)
            items.extend(page["items"])
            served_by.append(page["ResponseMetadata"]["HTTPHeaders"].get("x-replica"))

        # Every run exactly once, and the same listing as one replica alone gives.
        run_ids = [item["runId"] for item in items]
        self.assertEqual(len(run_ids), len(set(run_ids)), "a run came twice")
        expected_ids = mock_process.expected_run_ids(
            mock_process.load_fixture_runs()[(DOMAIN, JOB)], ascending=False)
        self.assertEqual(run_ids, expected_ids)
        self.assertEqual(items, self.single_replica_listing(self.replicas[0]))
        self.assertEqual(items, self.single_replica_listing(self.replicas[1]))
        pages = -(-len(expected_ids) // PAGE_SIZE)
        self.assertEqual(len(served_by), pages)

        # nginx's view: each page names the replica that answered, and they alternate.
        addresses = [address_of(r.endpoint) for r in self.replicas]
        self.assertEqual(set(served_by), set(addresses), self.explain())
        for before, after in zip(served_by, served_by[1:]):
            self.assertNotEqual(before, after, "pages did not alternate: %s\n%s"
                                % (served_by, self.explain()))

        # Each replica's own journal: what it served of this listing.
        journals = [self.journal(r, VIA_NGINX_KEY) for r in self.replicas]
        for replica, address, entries in zip(self.replicas, addresses, journals):
            with self.subTest(replica=address):
                self.assertGreaterEqual(len(entries), 1, "this replica served no page")
                self.assertEqual(len(entries), served_by.count(address))
                self.assertEqual([e["status"] for e in entries], [200] * len(entries))
        self.assertEqual(sum(len(entries) for entries in journals), pages)
        first = [i for i, entries in enumerate(journals)
                 if any("nextToken" not in e["query"] for e in entries)]
        self.assertEqual(len(first), 1, "page 1 (no nextToken) must be on exactly one replica")
        self.assertEqual(address_of(self.replicas[first[0]].endpoint), served_by[0])
        others = [entries for i, entries in enumerate(journals) if i != first[0]]
        self.assertTrue(any("nextToken" in e["query"] for entries in others for e in entries),
                        "no replica but the one of page 1 was given a nextToken")

    def test_other_secret_refuses_the_token(self):
        via_nginx = make_client(self.nginx.endpoint, VIA_NGINX_KEY)
        first = via_nginx.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                        maxResults=PAGE_SIZE)
        token = first["nextToken"]
        reference = self.single_replica_listing(self.replicas[0])
        self.assertEqual(first["items"], reference[:PAGE_SIZE])

        # Both replicas with the shared secret take the token, whichever of them issued it.
        for replica in self.replicas:
            with self.subTest(replica=replica.endpoint):
                page = make_client(replica.endpoint, DIRECT_KEY).list_job_runs(
                    domainIdentifier=DOMAIN, jobIdentifier=JOB, maxResults=PAGE_SIZE,
                    nextToken=token)
                self.assertEqual(page["items"], reference[PAGE_SIZE:2 * PAGE_SIZE])

        # A third replica, same files, another secret: same data, but the token is refused.
        stranger = self.start_replica(OTHER_SECRET)
        client = make_client(stranger.endpoint, DIRECT_KEY)
        own = client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                   maxResults=PAGE_SIZE)
        self.assertEqual(own["items"], first["items"])
        self.assertNotEqual(own["nextToken"], token)
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB,
                                 maxResults=PAGE_SIZE, nextToken=token)
        error = caught.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(error["Error"]["Code"], "ValidationException")
        self.assertEqual(error["Error"]["Message"], INVALID_TOKEN)
        refused = self.journal(stranger, DIRECT_KEY)[-1]
        self.assertEqual((refused["status"], refused["errorType"]), (400, "ValidationException"))
        self.assertEqual(refused["query"].get("nextToken"), token)
        self.assertIn("another secret", refused["reason"] or "")


if __name__ == "__main__":
    unittest.main()
