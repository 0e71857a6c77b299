"""The datazone-mock executable as a script uses it: first line, flags, exit codes, signals."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import ssl
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import server_process  # noqa: E402

BINARY = os.environ["DATAZONE_MOCK_BIN"]
PREFIX = server_process.PREFIX

# A signal to the test run kills its servers and unwinds; a server dies with the test process
# in any case (tests/support/server_process.py).
server_process.exit_on_signals()


def start(*args, cwd=None, env=None):
    """The server started with `args`, whatever its first line (the test checks it). A context
    manager: leaving the block stops it (SIGTERM, SIGKILL if it hangs), so a failing test
    never leaves it running."""
    return server_process.ServerProcess([BINARY, *args], env=env, cwd=cwd, check=False)


class CliTest(unittest.TestCase):
    def test_serves_the_embedded_demo_from_any_directory(self):
        with tempfile.TemporaryDirectory() as empty, start("--port", "0", cwd=empty) as server:
            self.assertTrue(server.line.startswith(PREFIX + "http://127.0.0.1:"), server.line)
            url = server.endpoint + "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs"
            with urllib.request.urlopen(url) as response:
                self.assertEqual(response.status, 200)
                self.assertIn(b'"runId":"run-0130"', response.read())
            self.assertEqual(server.stop(signal.SIGINT), 0)
            lines = server.stderr.splitlines()
            # One summary line of what was loaded, then the request log.
            self.assertEqual(len(lines), 2, lines)
            self.assertRegex(lines[0], r"^datazone-mock: loaded 146 runs in 5 jobs of 2 domains "
                                       r"in \d+\.\d\d s$")
            lines = lines[1:]
            self.assertRegex(lines[0], r"^\S+Z GET /v2/domains/dzd_demo01/jobs/nightly-lineage/runs "
                                       r"200 - \d+\.\d{3}ms [0-9a-f-]{36}$")

    def test_json_log_and_environment_configuration(self):
        env = dict(os.environ, DATAZONE_MOCK_PORT="0", DATAZONE_MOCK_LOG_FORMAT="json")
        with start(env=env) as server:
            self.assertTrue(server.line.startswith(PREFIX), server.line)
            url = server.endpoint + "/v2/domains/dzd_nope/jobs/x/runs"
            with self.assertRaises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(url)
            self.assertEqual(caught.exception.code, 404)
            self.assertEqual(server.stop(), 0)
        entry = json.loads(server.stderr.splitlines()[0])
        self.assertEqual(entry["status"], 404)
        self.assertEqual(entry["errorType"], "ResourceNotFoundException")
        self.assertEqual(entry["method"], "GET")
        self.assertEqual(entry["path"], "/v2/domains/dzd_nope/jobs/x/runs")
        self.assertIn("latency_ms", entry)
        self.assertEqual(len(entry["requestId"]), 36)

    def test_help_and_version(self):
        help_text = subprocess.run([BINARY, "--help"], capture_output=True, text=True)
        self.assertEqual(help_text.returncode, 0)
        for flag in ("--host", "--port", "--fixtures", "--token-secret", "--log-format"):
            self.assertIn(flag, help_text.stdout)
        version = subprocess.run([BINARY, "--version"], capture_output=True, text=True)
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"^datazone-mock \d+\.\d+\.\d+\n$")

    def test_bad_flags_and_files_exit_2(self):
        bad_flag = subprocess.run([BINARY, "--prot", "1"], capture_output=True, text=True)
        self.assertEqual(bad_flag.returncode, 2)
        self.assertIn("unknown flag '--prot'", bad_flag.stderr)
        with tempfile.TemporaryDirectory() as folder:
            first = os.path.join(folder, "a.yaml")
            second = os.path.join(folder, "b.yaml")
            with open(first, "w") as handle:
                handle.write("domains:\n  dzd_x1:\n    jobs:\n      j:\n        runs:\n"
                             "          - {runId: r, status: SUCCESS, createdAt: 1}\n")
            with open(second, "w") as handle:
                handle.write("domains:\n  dzd_x1:\n    jobs:\n      j: {}\n")
            result = subprocess.run([BINARY, "--port", "0", "--fixtures", folder],
                                    capture_output=True, text=True, timeout=20)
            self.assertEqual(result.returncode, 2)
            self.assertEqual(result.stdout, "")
            self.assertIn("%s:4:7: job 'j' in domain 'dzd_x1' is already defined at %s:4:7"
                          % (second, first), result.stderr)

    def test_start_up_reports_every_problem_of_a_file_in_one_pass(self):
        # A repeated runId used to show only once the file's other problems were fixed.
        with tempfile.TemporaryDirectory() as folder:
            fixture = os.path.join(folder, "runs.yaml")
            with open(fixture, "w") as handle:
                handle.write("domains:\n  dzd_x1:\n    jobs:\n      j:\n        runs:\n"
                             "          - {runId: r, status: SUCCESS, createdAt: 1}\n"
                             "          - {runId: r, status: FAILED, createdAt: 2}\n"
                             "          - {runId: s, status: DONE, createdAt: 3}\n")
            result = subprocess.run([BINARY, "--port", "0", "--fixtures", fixture],
                                    capture_output=True, text=True, timeout=20)
            self.assertEqual(result.returncode, 2)
            lines = [line for line in result.stderr.splitlines() if line.startswith(fixture)]
            self.assertEqual(len(lines), 2, result.stderr)
            self.assertTrue(lines[0].startswith(fixture + ":7:") and "'r'" in lines[0], lines)
            self.assertTrue(lines[1].startswith(fixture + ":8:") and "'DONE'" in lines[1], lines)

    def test_port_in_use_exits_2(self):
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        try:
            port = holder.getsockname()[1]
            result = subprocess.run([BINARY, "--port", str(port)], capture_output=True, text=True,
                                    timeout=20)
        finally:
            holder.close()
        self.assertEqual(result.returncode, 2)
        self.assertIn("cannot listen on 127.0.0.1:%d: Address already in use" % port, result.stderr)


class RemoteCommandsCliTest(unittest.TestCase):
    """explain, verify and coverage: the admin API for a terminal and for shell-based CI."""

    def run_command(self, *args, env=None):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=30,
                              env=env)

    def test_explain_verify_and_coverage_against_a_running_mock(self):
        with start("--port", "0", "--scenario", "throttle-then-succeed") as server:
            url = server.endpoint + "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs"
            for _ in range(3):
                try:
                    urllib.request.urlopen(url).read()
                except urllib.error.HTTPError as error:
                    self.assertEqual(error.code, 429)
            explained = self.run_command("explain", "--url", server.endpoint, "last")
            self.assertEqual(explained.returncode, 0, explained.stderr)
            self.assertIn("answer 200", explained.stdout)
            self.assertRegex(explained.stdout,
                             r"scenario +skipped +throttle-then-succeed rule 1: calls 3 not in 1-2")
            first = self.run_command("explain", "--url", server.endpoint, "1")
            self.assertIn("answer 429 ThrottlingException (scenario throttle-then-succeed rule 1)",
                          first.stdout)

            held = self.run_command("verify", "--url", server.endpoint, "--where", "status=429",
                                    "--count", "2")
            self.assertEqual(held.returncode, 0, held.stdout + held.stderr)
            self.assertIn("ok: 2 matching request(s), expected exactly 2", held.stdout)
            missed = self.run_command("verify", "--url", server.endpoint, "--where", "status=429",
                                      "--where", "query.status=FAILED", "--at-least", "1")
            self.assertEqual(missed.returncode, 1)
            self.assertIn("FAILED: 0 matching request(s), expected at least 1", missed.stdout)
            self.assertIn("differs in: query.status", missed.stdout)
            unknown = self.run_command("verify", "--url", server.endpoint, "--where", "colour=red")
            self.assertEqual(unknown.returncode, 2)
            self.assertIn("where takes no member 'colour'", unknown.stderr)

            table = self.run_command("coverage", "--url", server.endpoint)
            self.assertEqual(table.returncode, 0, table.stderr)
            self.assertIn("answers: 200=1 ThrottlingException=2", table.stdout)
            self.assertRegex(table.stdout, r"throttle-then-succeed +rule 1 +2  \(active\)")
            as_json = json.loads(self.run_command("coverage", "--url", server.endpoint,
                                                  "--json").stdout)
            self.assertEqual(as_json["requests"], 3)
            # DATAZONE_MOCK_URL stands in for --url.
            env = dict(os.environ, DATAZONE_MOCK_URL=server.endpoint)
            self.assertEqual(self.run_command("explain", env=env).returncode, 0)

    def test_an_unreachable_mock_is_one_line_and_exit_2(self):
        result = self.run_command("explain", "--url", "http://127.0.0.1:9")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn("cannot reach http://127.0.0.1:9", result.stderr)


class ScenarioCliTest(unittest.TestCase):
    def test_list_scenarios(self):
        result = subprocess.run([BINARY, "--list-scenarios"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0)
        names = [line.split()[0] for line in result.stdout.splitlines()]
        for name in ("throttle-then-succeed", "always-throttled", "rate-limited", "access-denied",
                     "domain-not-found", "flaky-5xx", "slow", "connection-reset", "malformed-json"):
            self.assertIn(name, names)
        for line in result.stdout.splitlines():
            self.assertGreater(len(line.split(None, 1)), 1, "every scenario has a description")

    def test_unknown_scenario_exits_2_naming_the_known_ones(self):
        result = subprocess.run([BINARY, "--port", "0", "--scenario", "no-such"],
                                capture_output=True, text=True, timeout=20)
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown scenario 'no-such'; known scenarios: access-denied, ", result.stderr)

    def test_bad_scenario_file_exits_2_with_its_location(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "typo.yaml")
            with open(path, "w") as handle:
                handle.write("rules:\n  - respond: {eror: ThrottlingException}\n")
            result = subprocess.run([BINARY, "--port", "0", "--scenarios", path],
                                    capture_output=True, text=True, timeout=20)
        self.assertEqual(result.returncode, 2)
        self.assertIn("%s:2:15: unknown key 'eror' in respond (expected one of: error, message, "
                      "status, delay, fault, page)" % path, result.stderr)

    def statuses(self, seed):
        with start("--port", "0", "--scenario", "flaky-5xx", "--seed", str(seed)) as server:
            self.assertTrue(server.line.startswith(PREFIX), server.line)
            url = server.endpoint + "/v2/domains/dzd_demo01/jobs/hourly-sync/runs"
            statuses = []
            for _ in range(60):
                try:
                    with urllib.request.urlopen(url) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
            self.assertEqual(server.stop(), 0)
        return statuses

    def test_seed_makes_flaky_runs_reproducible(self):
        first = self.statuses(7)
        self.assertEqual(first, self.statuses(7))
        self.assertIn(500, first)
        self.assertIn(200, first)
        self.assertNotEqual(first, self.statuses(8))


class ReloadCliTest(unittest.TestCase):
    """SIGHUP and --watch re-read the files; a broken file leaves the old data serving."""

    def write(self, folder, runs):
        with open(os.path.join(folder, "data.yaml"), "w") as handle:
            handle.write("domains:\n  dzd_hup:\n    jobs:\n      job:\n        runs:\n")
            for i in range(runs):
                handle.write("          - {runId: r%d, status: SUCCESS, createdAt: %d}\n" % (i, i))

    def health(self, endpoint):
        with urllib.request.urlopen(endpoint + "/_mock/health") as response:
            return json.loads(response.read())

    def wait_for(self, endpoint, predicate):
        # Bounded wait for an asynchronous reload; not a timing assertion.
        for _ in range(200):
            health = self.health(endpoint)
            if predicate(health):
                return health
            time.sleep(0.05)
        self.fail("the reload never happened: %s" % health)

    def run_reloads(self, extra_args, trigger, env=None):
        with tempfile.TemporaryDirectory() as folder:
            self.write(folder, 3)
            with start("--port", "0", "--fixtures", folder, *extra_args, env=env) as server:
                self.assertTrue(server.line.startswith(PREFIX), server.line)
                endpoint = server.endpoint
                self.assertEqual(self.health(endpoint)["runs"], 3)
                time.sleep(0.02)  # a different mtime for the watcher, on coarse clocks
                self.write(folder, 5)
                trigger(server.process)
                self.wait_for(endpoint, lambda h: h["runs"] == 5)
                with open(os.path.join(folder, "data.yaml"), "a") as handle:
                    handle.write("          - {runId: bad, status: NOPE, createdAt: 1}\n")
                trigger(server.process)
                health = self.wait_for(endpoint, lambda h: not h["lastReload"]["ok"])
                self.assertEqual(health["status"], "degraded")
                self.assertIn("invalid status 'NOPE'", health["lastReload"]["error"])
                self.assertEqual(health["runs"], 5)
                with urllib.request.urlopen(endpoint + "/v2/domains/dzd_hup/jobs/job/runs") as r:
                    self.assertEqual(len(json.loads(r.read())["items"]), 5)
                self.assertEqual(server.stop(), 0)
            text = server.stderr
            self.assertIn("reloaded 1 domains, 1 jobs, 5 runs", text)
            self.assertIn("reload failed; still serving the old data", text)

    def test_sighup_reloads(self):
        self.run_reloads([], lambda process: process.send_signal(signal.SIGHUP))

    def test_watch_reloads_changed_files(self):
        self.run_reloads(["--watch"], lambda process: None)

    def test_watch_through_the_environment(self):
        self.run_reloads([], lambda process: None, env=clean_env(DATAZONE_MOCK_WATCH="yes"))


# --- Helpers for the serving options: clean environments, servers, raw connections. ---------

def clean_env(**variables):
    """This process's environment without any DATAZONE_MOCK_* variable, plus `variables`."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("DATAZONE_MOCK_")}
    env.update(variables)
    return env


class Server(server_process.ServerProcess):
    """A started datazone-mock on a free port, in a clean environment unless given one; stop()
    signals it and collects its exit code and stderr (server_process.ServerProcess)."""

    def __init__(self, *args, env=None):
        super().__init__([BINARY, "--port", "0", *args], env=clean_env() if env is None else env,
                         check=False)
        if self.endpoint is None:
            self.kill()
            raise AssertionError("no first line (%r): %s" % (self.line, self.stderr))


class RawConnection:
    """One TCP connection and a parser for the responses on it (nothing buffered is lost)."""

    def __init__(self, port, timeout=30):  # the timeout only keeps a broken test from hanging
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.reader = self.sock.makefile("rb")

    def send(self, data):
        self.sock.sendall(data)

    def response(self):
        """(status, {lower-case header: value}, body) of the next response."""
        status_line = self.reader.readline()
        if not status_line:
            raise ConnectionError("the connection closed without a response")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = self.reader.readline().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self.reader.read(int(headers.get("content-length", "0")))
        return status, headers, body

    def rest(self):
        """Every byte until the server closes the connection (a reset also counts as closed)."""
        try:
            return self.reader.read()
        except ConnectionResetError:
            return b""

    def close(self):
        self.reader.close()
        self.sock.close()


def get_request(path="/v2/domains/dzd_demo01/jobs/empty-job/runs"):
    return ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()


def self_signed(folder, name):
    """A self-signed certificate for 127.0.0.1: (cert path, key path)."""
    cert, key = os.path.join(folder, name + ".pem"), os.path.join(folder, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def run_exit(*args, env=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=20,
                          env=clean_env() if env is None else env)


class TlsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="datazone-mock-cli-tls-")
        cls.cert, cls.key = self_signed(cls.folder, "a")
        cls.other_cert, cls.other_key = self_signed(cls.folder, "b")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_serves_https_and_says_so_on_the_first_line(self):
        with Server("--tls-cert", self.cert, "--tls-key", self.key) as server:
            self.assertRegex(server.line, r"^datazone-mock listening on https://127\.0\.0\.1:\d+$")
            context = ssl.create_default_context(cafile=self.cert)
            with urllib.request.urlopen(server.endpoint + "/v2/domains/dzd_demo01/jobs/"
                                        "nightly-lineage/runs?maxResults=1", context=context,
                                        timeout=30) as response:
                self.assertEqual(response.status, 200)
                self.assertEqual(json.loads(response.read())["items"][0]["runId"], "run-0130")
            self.assertEqual(server.stop(), 0)

    def test_the_environment_can_give_both_files(self):
        env = clean_env(DATAZONE_MOCK_TLS_CERT=self.cert, DATAZONE_MOCK_TLS_KEY=self.key)
        with Server(env=env) as server:
            self.assertTrue(server.endpoint.startswith("https://127.0.0.1:"), server.line)
            self.assertEqual(server.stop(), 0)

    def test_one_without_the_other_exits_2(self):
        cases = {"cert only": (["--tls-cert", self.cert], None),
                 "key only": (["--tls-key", self.key], None),
                 "cert from the environment only": ([], {"DATAZONE_MOCK_TLS_CERT": self.cert})}
        for name, (args, variables) in cases.items():
            with self.subTest(name):
                result = run_exit("--port", "0", *args, env=clean_env(**(variables or {})))
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(result.stdout, "")
                self.assertIn("--tls-cert", result.stderr)
                self.assertIn("--tls-key", result.stderr)

    def test_unreadable_or_mismatched_files_exit_2_naming_the_file(self):
        missing = os.path.join(self.folder, "missing.pem")
        not_pem = os.path.join(self.folder, "not-pem.txt")
        with open(not_pem, "w") as handle:
            handle.write("this is not a certificate\n")
        cases = {
            "missing certificate": (missing, self.key, missing),
            "missing key": (self.cert, missing, missing),
            "certificate not PEM": (not_pem, self.key, not_pem),
            "key not PEM": (self.cert, not_pem, not_pem),
            "key of another certificate": (self.cert, self.other_key, self.other_key),
        }
        for name, (cert, key, named) in cases.items():
            with self.subTest(name):
                result = run_exit("--port", "0", "--tls-cert", cert, "--tls-key", key)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(result.stdout, "")
                self.assertIn(named, result.stderr)


class AdminTokenCliTest(unittest.TestCase):
    def call(self, server, method, path, authorization=None):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            headers = {} if authorization is None else {"Authorization": authorization}
            connection.request(method, path, body=b"" if method in ("POST", "PUT") else None,
                               headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def check_guarded(self, server, token):
        guarded = [("GET", "/_mock/requests"), ("DELETE", "/_mock/requests"),
                   ("GET", "/_mock/scenarios"), ("GET", "/_mock/metrics"),
                   ("POST", "/_mock/reset"), ("POST", "/_mock/scenarios/reset"),
                   ("POST", "/_mock/health"), ("GET", "/_mock/no-such-route")]
        refused = [None, "Bearer wrong-" + token, "Bearer " + token + "x", "Bearer",
                   "Basic " + token, token]
        for method, path in guarded:
            for authorization in refused:
                with self.subTest(method=method, path=path, authorization=authorization):
                    status, headers, body = self.call(server, method, path, authorization)
                    self.assertEqual(status, 401)
                    self.assertEqual(headers["WWW-Authenticate"], 'Bearer realm="datazone-mock"')
                    self.assertIn("application/json", headers["Content-Type"])
                    message = json.loads(body)["message"]
                    self.assertIsInstance(message, str)
                    self.assertNotIn(token, message)
            with self.subTest(method=method, path=path, authorization="the token"):
                status, _, _ = self.call(server, method, path, "Bearer " + token)
                # Past the token, routes answer as without one: POST /_mock/health is a known
                # path with another method (405), /_mock/no-such-route no route at all (404).
                self.assertEqual(status, {"/_mock/no-such-route": 404,
                                          "/_mock/health": 405}.get(path, 200))
        # Health checks stay open, and the AWS API never asks for the admin token.
        for authorization in (None, "Bearer wrong"):
            status, _, body = self.call(server, "GET", "/_mock/health", authorization)
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["status"], "ok")
            status, _, body = self.call(server, "GET",
                                        "/v2/domains/dzd_demo01/jobs/hourly-sync/runs",
                                        authorization)
            self.assertEqual(status, 200)
            self.assertEqual(len(json.loads(body)["items"]), 12)

    def test_flag_guards_the_admin_api_but_health(self):
        with Server("--admin-token", "s3cret-Token") as server:
            self.check_guarded(server, "s3cret-Token")
            self.assertEqual(server.stop(), 0)
        self.assertNotIn("s3cret-Token", server.stderr)

    def test_environment_guards_the_admin_api_but_health(self):
        with Server(env=clean_env(DATAZONE_MOCK_ADMIN_TOKEN="env-token-42")) as server:
            self.check_guarded(server, "env-token-42")
            self.assertEqual(server.stop(), 0)

    def test_without_a_token_the_admin_api_is_open(self):
        with Server() as server:
            status, _, _ = self.call(server, "GET", "/_mock/requests")
            self.assertEqual(status, 200)
            self.assertEqual(server.stop(), 0)

    def test_empty_token_exits_2(self):
        result = run_exit("--port", "0", "--admin-token", "")
        self.assertEqual(result.returncode, 2, result.stderr)


class ExposureWarningCliTest(unittest.TestCase):
    PATH = "/v2/domains/dzd_demo01/jobs/empty-job/runs"

    def stderr_of(self, *args, env=None):
        with Server(*args, env=env) as server:
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (server.port, self.PATH),
                                        timeout=30) as response:
                self.assertEqual(response.status, 200)
            self.assertEqual(server.stop(), 0)
        # The request log has one line for that request; anything else is a message.
        return "\n".join(line for line in server.stderr.splitlines()
                         if " GET %s 200 " % self.PATH not in line
                         and not line.startswith("datazone-mock: loaded "))

    def test_any_address_with_an_open_admin_api_warns(self):
        text = self.stderr_of("--host", "0.0.0.0")
        self.assertIn("warning", text.lower())
        self.assertIn("--admin-token", text)
        self.assertEqual(len(text.splitlines()), 1, text)
        text = self.stderr_of(env=clean_env(DATAZONE_MOCK_HOST="0.0.0.0"))
        self.assertIn("warning", text.lower())

    def test_no_warning_when_guarded_off_or_on_loopback(self):
        cases = {"admin token": ["--host", "0.0.0.0", "--admin-token", "t0ken"],
                 "admin token from the environment": ["--host", "0.0.0.0"],
                 "admin off": ["--host", "0.0.0.0", "--admin", "off"],
                 "loopback": ["--host", "127.0.0.1"],
                 "default host": []}
        for name, args in cases.items():
            with self.subTest(name):
                env = clean_env(DATAZONE_MOCK_ADMIN_TOKEN="t0ken") if "environment" in name else None
                text = self.stderr_of(*args, env=env)
                self.assertNotIn("warning", text.lower())
                self.assertEqual(text, "")


CONFIG_KEYS = ["host", "port", "cors", "tlsCert", "tlsKey", "maxConnections", "readTimeoutSeconds",
               "fixtures", "tokenSecret", "tokenTtlSeconds", "clock", "scenarioPaths", "scenarios",
               "seed", "auth", "credentials", "upstream", "out", "region", "redact",
               "recordMissing", "admin", "adminToken", "journalSize", "trace", "watch", "logFormat"]


def parse_config(text):
    """The flat `key: value` YAML of --print-config, values kept as written, keys in order."""
    keys, values = [], {}
    for line in text.splitlines():
        key, separator, value = line.partition(": ")
        if not separator:
            raise AssertionError("not a 'key: value' line: %r" % line)
        keys.append(key)
        values[key] = value
    return keys, values


class PrintConfigCliTest(unittest.TestCase):
    def config(self, *args, env=None):
        result = run_exit("--print-config", *args, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("listening", result.stdout)
        keys, values = parse_config(result.stdout)
        self.assertEqual(keys, CONFIG_KEYS)
        return values, result.stdout

    def test_defaults(self):
        values, _ = self.config()
        self.assertEqual(values, {
            "host": '"127.0.0.1"', "port": "8484", "tlsCert": "null", "tlsKey": "null",
            "maxConnections": "1024", "readTimeoutSeconds": "5", "fixtures": "bundled",
            "cors": "[]", "tokenSecret": "random", "tokenTtlSeconds": "null", "clock": "real",
            "scenarioPaths": "[]",
            "scenarios": "[]", "seed": "random", "auth": "off", "credentials": "null",
            "upstream": "null", "out": "null", "region": "null", "redact": "[]",
            "recordMissing": "false", "admin": "on", "adminToken": "null", "journalSize": "10000", "trace": "on",
            "watch": "false", "logFormat": "text"})

    def test_flags_are_shown_and_secrets_masked(self):
        with tempfile.TemporaryDirectory() as folder:
            cert, key = os.path.join(folder, "c.pem"), os.path.join(folder, "k.pem")
            credentials = os.path.join(folder, "creds.yaml")
            for path in (cert, key, credentials):
                with open(path, "w") as handle:
                    handle.write("x\n")
            fixtures = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..",
                                                    "fixtures"))
            values, text = self.config(
                "--host", "0.0.0.0", "--port", "7001", "--tls-cert", cert, "--tls-key", key,
                "--max-connections", "64", "--read-timeout", "9", "--fixtures", fixtures,
                "--token-secret", "TOPSECRET-signing", "--token-ttl", "300",
                "--scenarios", folder, "--scenario", "slow", "--scenario", "flaky-5xx",
                "--seed", "42", "--auth", "verify", "--credentials", credentials,
                "--admin-token", "TOPSECRET-admin", "--journal-size", "77", "--watch",
                "--log-format", "json")
        self.assertNotIn("TOPSECRET", text)
        self.assertEqual(values["tokenSecret"], '"(set)"')
        self.assertEqual(values["adminToken"], '"(set)"')
        self.assertEqual(values["host"], '"0.0.0.0"')
        self.assertEqual(values["port"], "7001")
        self.assertEqual(values["tlsCert"], json.dumps(cert))
        self.assertEqual(values["tlsKey"], json.dumps(key))
        self.assertEqual(values["maxConnections"], "64")
        self.assertEqual(values["readTimeoutSeconds"], "9")
        self.assertEqual(values["fixtures"], "[%s]" % json.dumps(fixtures))
        self.assertEqual(values["tokenTtlSeconds"], "300")
        self.assertEqual(values["scenarioPaths"], "[%s]" % json.dumps(folder))
        self.assertEqual(values["scenarios"], '["slow", "flaky-5xx"]')
        self.assertEqual(values["seed"], "42")
        self.assertEqual(values["auth"], "verify")
        self.assertEqual(values["credentials"], json.dumps(credentials))
        self.assertEqual(values["journalSize"], "77")
        self.assertEqual(values["watch"], "true")
        self.assertEqual(values["logFormat"], "json")
        self.assertEqual(self.config("--admin", "off")[0]["admin"], "off")

    def test_environment_applies_and_flags_win(self):
        env = clean_env(DATAZONE_MOCK_PORT="9999", DATAZONE_MOCK_ADMIN_TOKEN="TOPSECRET-env",
                        DATAZONE_MOCK_TOKEN_SECRET="TOPSECRET-env-signing",
                        DATAZONE_MOCK_MAX_CONNECTIONS="3", DATAZONE_MOCK_READ_TIMEOUT="2",
                        DATAZONE_MOCK_TOKEN_TTL="60", DATAZONE_MOCK_FIXTURES="a.yaml:b",
                        DATAZONE_MOCK_SCENARIO="slow,access-denied", DATAZONE_MOCK_ADMIN="off",
                        DATAZONE_MOCK_LOG_FORMAT="json")
        values, text = self.config(env=env)
        self.assertNotIn("TOPSECRET", text)
        self.assertEqual(values["port"], "9999")
        self.assertEqual(values["adminToken"], '"(set)"')
        self.assertEqual(values["tokenSecret"], '"(set)"')
        self.assertEqual(values["maxConnections"], "3")
        self.assertEqual(values["readTimeoutSeconds"], "2")
        self.assertEqual(values["tokenTtlSeconds"], "60")
        self.assertEqual(values["fixtures"], '["a.yaml", "b"]')
        self.assertEqual(values["scenarios"], '["slow", "access-denied"]')
        self.assertEqual(values["admin"], "off")
        self.assertEqual(values["logFormat"], "json")
        values, _ = self.config("--port", "7002", "--max-connections", "5", "--fixtures", "c",
                                "--scenario", "slow", env=env)
        self.assertEqual(values["port"], "7002")
        self.assertEqual(values["maxConnections"], "5")
        self.assertEqual(values["fixtures"], '["c"]')  # the flag replaces the variable entirely
        self.assertEqual(values["scenarios"], '["slow"]')
        self.assertEqual(values["readTimeoutSeconds"], "2")  # no flag: still the variable

    def test_bad_values_exit_2_even_with_print_config(self):
        for args in (["--max-connections", "0"], ["--max-connections", "4097"],
                     ["--read-timeout", "0"], ["--token-ttl", "0"], ["--token-ttl", "soon"]):
            with self.subTest(args=args):
                result = run_exit("--print-config", *args)
                self.assertEqual(result.returncode, 2, result.stdout)
                self.assertEqual(result.stdout, "")
                self.assertIn(args[0], result.stderr)
        self.assertEqual(self.config("--max-connections", "4096")[0]["maxConnections"], "4096")
        self.assertEqual(self.config("--max-connections", "1")[0]["maxConnections"], "1")


class WatchEnvironmentCliTest(unittest.TestCase):
    def watch_value(self, value, *args):
        result = run_exit("--print-config", *args, env=clean_env(DATAZONE_MOCK_WATCH=value))
        return result, (parse_config(result.stdout)[1].get("watch")
                        if result.returncode == 0 else None)

    def test_switch_values(self):
        for value in ("1", "true", "yes", "on"):
            with self.subTest(value=value):
                result, watch = self.watch_value(value)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(watch, "true")
        for value in ("0", "false", "no", "off"):
            with self.subTest(value=value):
                result, watch = self.watch_value(value)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(watch, "false")
        # The flag wins over the variable.
        self.assertEqual(self.watch_value("off", "--watch")[1], "true")

    def test_other_values_exit_2(self):
        for value in ("maybe", "2", "enabled"):
            with self.subTest(value=value):
                result, _ = self.watch_value(value)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stdout, "")
                self.assertIn("DATAZONE_MOCK_WATCH", result.stderr)
        # Serving, not only printing, refuses it before listening.
        result = run_exit("--port", "0", env=clean_env(DATAZONE_MOCK_WATCH="maybe"))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")


class ConnectionLimitCliTest(unittest.TestCase):
    def test_connections_over_the_limit_get_503_and_close(self):
        with Server("--max-connections", "2") as server:
            first, second = RawConnection(server.port), RawConnection(server.port)
            try:
                # Both are served (and so counted) before the third arrives.
                for connection in (first, second):
                    connection.send(get_request())
                    status, headers, _ = connection.response()
                    self.assertEqual(status, 200)
                third = RawConnection(server.port)
                try:
                    third.send(get_request())
                    status, headers, body = third.response()
                    self.assertEqual(status, 503)
                    self.assertEqual(headers["x-amzn-errortype"], "ServiceUnavailableException")
                    self.assertEqual(headers["connection"].lower(), "close")
                    self.assertIn("application/json", headers["content-type"])
                    self.assertEqual(json.loads(body)["message"],
                                     "The service is unavailable. Please try again later.")
                    self.assertEqual(third.rest(), b"")
                finally:
                    third.close()
                # The two within the limit keep being served.
                second.send(get_request())
                self.assertEqual(second.response()[0], 200)
                first.close()
                first = None
                # Once the server has noticed the closed one, a new connection is served. The
                # loop only waits for that; it asserts nothing about how long it takes.
                for _ in range(300):
                    fresh = RawConnection(server.port)
                    try:
                        fresh.send(get_request())
                        status, _, _ = fresh.response()
                    finally:
                        fresh.close()
                    if status == 200:
                        break
                    self.assertEqual(status, 503)
                    time.sleep(0.05)
                self.assertEqual(status, 200)
            finally:
                for connection in (first, second):
                    if connection:
                        connection.close()
            self.assertEqual(server.stop(), 0)
        self.assertIn(" 503 ServiceUnavailableException ", server.stderr)


class ReadTimeoutCliTest(unittest.TestCase):
    def test_a_partial_request_gets_408_then_close(self):
        with Server("--read-timeout", "1") as server:
            cases = {
                "headers never end": b"GET /v2/domains/dzd_demo01/jobs/empty-job/runs HTTP/1.1\r\n"
                                     b"Host: 127.0.0.1\r\n",
                "body shorter than its Content-Length": b"POST /_mock/fixtures HTTP/1.1\r\n"
                                                        b"Host: 127.0.0.1\r\n"
                                                        b"Content-Length: 100\r\n\r\ndomains:",
            }
            for name, partial in cases.items():
                with self.subTest(name):
                    connection = RawConnection(server.port)
                    try:
                        started = time.monotonic()
                        connection.send(partial)
                        status, headers, body = connection.response()
                        self.assertGreaterEqual(time.monotonic() - started, 0.9)  # lower bound
                        self.assertEqual(status, 408)
                        self.assertEqual(headers["x-amzn-errortype"], "RequestTimeout")
                        self.assertIn("application/json", headers["content-type"])
                        self.assertIsInstance(json.loads(body)["message"], str)
                        self.assertEqual(connection.rest(), b"")
                    finally:
                        connection.close()
            self.assertEqual(server.stop(), 0)

    def test_idle_connections_are_closed_after_the_timeout(self):
        with Server("--read-timeout", "1") as server:
            used, unused = RawConnection(server.port), RawConnection(server.port)
            try:
                started = time.monotonic()
                used.send(get_request())
                self.assertEqual(used.response()[0], 200)
                self.assertEqual(used.rest(), b"")  # closed, with nothing more sent
                self.assertEqual(unused.rest(), b"")
                self.assertGreaterEqual(time.monotonic() - started, 0.9)  # lower bound
                # A request within the timeout on a kept-alive connection is still answered.
                kept = RawConnection(server.port)
                try:
                    for _ in range(3):
                        kept.send(get_request())
                        self.assertEqual(kept.response()[0], 200)
                        time.sleep(0.3)
                finally:
                    kept.close()
            finally:
                used.close()
                unused.close()
            self.assertEqual(server.stop(), 0)


class RequestLimitCliTest(unittest.TestCase):
    # Sent after a refused request: it must never be answered (leftover bytes are no request).
    SMUGGLED = b"GET /_mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    def test_header_block_over_64_kib_gets_431_then_close(self):
        filler = "".join("X-Filler-%05d: %s\r\n" % (i, "v" * 40) for i in range(2000))
        self.assertGreater(len(filler), 64 * 1024)
        request = ("GET /v2/domains/dzd_demo01/jobs/empty-job/runs HTTP/1.1\r\n"
                   "Host: 127.0.0.1\r\n%s\r\n" % filler).encode() + self.SMUGGLED
        with Server() as server:
            connection = RawConnection(server.port)
            try:
                connection.send(request)
                status, headers, body = connection.response()
                self.assertEqual(status, 431)
                self.assertEqual(headers["x-amzn-errortype"], "RequestHeaderFieldsTooLarge")
                self.assertIn("x-amzn-requestid", headers)
                self.assertIn("application/json", headers["content-type"])
                self.assertEqual(json.loads(body)["message"],
                                 "The request headers are larger than 65536 bytes.")
                self.assertEqual(connection.rest(), b"")
            finally:
                connection.close()
            # The server goes on serving.
            with urllib.request.urlopen(server.endpoint + "/_mock/health", timeout=30) as r:
                self.assertEqual(r.status, 200)
            self.assertEqual(server.stop(), 0)

    def test_content_length_over_64_mib_gets_413_then_close(self):
        with Server() as server:
            for path in ("/_mock/fixtures", "/v2/domains/dzd_demo01/jobs/empty-job/runs"):
                with self.subTest(path=path):
                    connection = RawConnection(server.port)
                    try:
                        connection.send(("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                         "Content-Length: %d\r\n\r\n"
                                         % (path, 64 * 1024 * 1024 + 1)).encode() + self.SMUGGLED)
                        status, headers, body = connection.response()
                        self.assertEqual(status, 413)
                        self.assertEqual(headers["x-amzn-errortype"], "PayloadTooLarge")
                        self.assertIn("application/json", headers["content-type"])
                        self.assertEqual(json.loads(body)["message"],
                                         "The request body is larger than 67108864 bytes.")
                        self.assertEqual(connection.rest(), b"")
                    finally:
                        connection.close()
            self.assertEqual(server.stop(), 0)


class TokenTtlCliTest(unittest.TestCase):
    URL = "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=10"

    def get(self, server, suffix=""):
        try:
            with urllib.request.urlopen(server.endpoint + self.URL + suffix, timeout=30) as r:
                return r.status, dict(r.headers), json.loads(r.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read())

    def test_tokens_older_than_the_ttl_are_refused(self):
        with Server("--token-ttl", "1") as ttl, Server() as forever:
            tokens = {}
            for server in (ttl, forever):
                status, _, page = self.get(server)
                self.assertEqual(status, 200)
                tokens[server] = page["nextToken"]
            # A fresh token is accepted.
            status, _, page = self.get(ttl, "&nextToken=" + tokens[ttl])
            self.assertEqual(status, 200)
            self.assertEqual(page["items"][0]["runId"], "run-0120")
            time.sleep(2.5)  # over the 1 s ttl, whatever second the token was issued in
            status, headers, body = self.get(ttl, "&nextToken=" + tokens[ttl])
            self.assertEqual(status, 400)
            self.assertTrue(headers["x-amzn-ErrorType"].startswith("ValidationException"))
            self.assertEqual(body, {"message": "The nextToken provided is invalid."})
            # The journal says why.
            with urllib.request.urlopen(ttl.endpoint + "/_mock/requests?status=400",
                                        timeout=30) as response:
                entries = json.loads(response.read())["requests"]
            self.assertEqual(len(entries), 1)
            self.assertRegex(entries[0]["reason"], r"(?i)expired|ttl|too old")
            # Without --token-ttl the same age is fine.
            status, _, page = self.get(forever, "&nextToken=" + tokens[forever])
            self.assertEqual(status, 200)
            self.assertEqual(page["items"][0]["runId"], "run-0120")
            self.assertEqual(ttl.stop(), 0)
            self.assertEqual(forever.stop(), 0)


class ShutdownCliTest(unittest.TestCase):
    """SIGTERM/SIGINT: stop accepting, let requests in flight finish (at most 5 s), exit 0."""

    def delayed_server(self, folder, delay, *args):
        path = os.path.join(folder, "hold.yaml")
        with open(path, "w") as handle:
            handle.write("name: hold\ndescription: delays hourly-sync\nrules:\n"
                         "  - when: {job: hourly-sync}\n    respond: {delay: %s}\n" % delay)
        return Server("--scenarios", path, "--scenario", "hold", *args)

    def wait_until_in_flight(self, server):
        # Bounded wait for the request to reach the rule (and so start its delay).
        for _ in range(400):
            with urllib.request.urlopen(server.endpoint + "/_mock/scenarios", timeout=30) as r:
                scenarios = json.loads(r.read())["scenarios"]
            if [s for s in scenarios if s["name"] == "hold"][0]["rules"][0]["matched"] == 1:
                return
            time.sleep(0.025)
        self.fail("the delayed request never arrived")

    def test_a_request_in_flight_is_answered_before_exit(self):
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=signal_number.name), tempfile.TemporaryDirectory() as folder:
                with self.delayed_server(folder, "2s") as server:
                    result = {}

                    def fetch():
                        url = server.endpoint + "/v2/domains/dzd_demo01/jobs/hourly-sync/runs"
                        try:
                            with urllib.request.urlopen(url, timeout=60) as response:
                                result["status"] = response.status
                                result["body"] = json.loads(response.read())
                        except Exception as error:  # reported by the assertions below
                            result["error"] = error

                    client = threading.Thread(target=fetch)
                    client.start()
                    self.wait_until_in_flight(server)
                    server.process.send_signal(signal_number)
                    client.join(timeout=60)
                    self.assertFalse(client.is_alive())
                    self.assertEqual(result.get("status"), 200, result)
                    self.assertEqual(len(result["body"]["items"]), 12)
                    self.assertEqual(server.stop(timeout=60), 0, server.stderr)

    def test_a_request_held_longer_than_the_drain_does_not_block_exit(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.delayed_server(folder, "30s") as server:
                connection = RawConnection(server.port, timeout=60)
                try:
                    connection.send(get_request("/v2/domains/dzd_demo01/jobs/hourly-sync/runs"))
                    self.wait_until_in_flight(server)
                    server.process.send_signal(signal.SIGTERM)
                    # Safety timeout only: well under the 30 s delay, far over the 5 s drain.
                    self.assertEqual(server.stop(timeout=25), 0, server.stderr)
                    # The client sees its connection end (a timeout here would fail the test),
                    # without the answer the rule holds back.
                    leftover = connection.rest()
                    self.assertFalse(leftover.startswith(b"HTTP/1.1 200"), leftover[:200])
                finally:
                    connection.close()

    def test_idle_keep_alive_connections_do_not_block_exit(self):
        with Server() as server:
            idle = RawConnection(server.port)
            try:
                idle.send(get_request())
                self.assertEqual(idle.response()[0], 200)
                self.assertEqual(server.stop(), 0)
                self.assertEqual(idle.rest(), b"")
            finally:
                idle.close()


if __name__ == "__main__":
    unittest.main()
