"""The datazone-mock executable as a script uses it: first line, flags, exit codes, signals."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

BINARY = os.environ["DATAZONE_MOCK_BIN"]
PREFIX = "datazone-mock listening on "


def start(*args, cwd=None, env=None):
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([BINARY, *args], stdout=subprocess.PIPE, stderr=log, text=True,
                               cwd=cwd, env=env)
    return process, process.stdout.readline().strip(), log


class CliTest(unittest.TestCase):
    def test_serves_the_embedded_demo_from_any_directory(self):
        with tempfile.TemporaryDirectory() as empty:
            process, line, log = start("--port", "0", cwd=empty)
            try:
                self.assertTrue(line.startswith(PREFIX + "http://127.0.0.1:"), line)
                url = line[len(PREFIX):] + "/v2/domains/dzd_demo01/jobs/nightly-lineage/runs"
                with urllib.request.urlopen(url) as response:
                    self.assertEqual(response.status, 200)
                    self.assertIn(b'"runId":"run-0130"', response.read())
            finally:
                process.send_signal(signal.SIGINT)
                self.assertEqual(process.wait(timeout=20), 0)
            log.seek(0)
            lines = log.read().splitlines()
            self.assertEqual(len(lines), 1)
            self.assertRegex(lines[0], r"^\S+Z GET /v2/domains/dzd_demo01/jobs/nightly-lineage/runs "
                                       r"200 - \d+\.\d{3}ms [0-9a-f-]{36}$")

    def test_json_log_and_environment_configuration(self):
        env = dict(os.environ, DATAZONE_MOCK_PORT="0", DATAZONE_MOCK_LOG_FORMAT="json")
        process, line, log = start(env=env)
        try:
            url = line[len(PREFIX):] + "/v2/domains/dzd_nope/jobs/x/runs"
            with self.assertRaises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(url)
            self.assertEqual(caught.exception.code, 404)
        finally:
            process.send_signal(signal.SIGTERM)
            self.assertEqual(process.wait(timeout=20), 0)
        log.seek(0)
        import json
        entry = json.loads(log.read().splitlines()[0])
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
                      "status, delay, fault)" % path, result.stderr)

    def statuses(self, seed):
        process, line, log = start("--port", "0", "--scenario", "flaky-5xx", "--seed", str(seed))
        url = line[len(PREFIX):] + "/v2/domains/dzd_demo01/jobs/hourly-sync/runs"
        statuses = []
        try:
            for _ in range(60):
                try:
                    with urllib.request.urlopen(url) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
        finally:
            process.send_signal(signal.SIGTERM)
            self.assertEqual(process.wait(timeout=20), 0)
            process.stdout.close()
            log.close()
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

    def run_reloads(self, extra_args, trigger):
        with tempfile.TemporaryDirectory() as folder:
            self.write(folder, 3)
            process, line, log = start("--port", "0", "--fixtures", folder, *extra_args)
            endpoint = line[len(PREFIX):]
            try:
                self.assertEqual(self.health(endpoint)["runs"], 3)
                time.sleep(0.02)  # a different mtime for the watcher, on coarse clocks
                self.write(folder, 5)
                trigger(process)
                self.wait_for(endpoint, lambda h: h["runs"] == 5)
                with open(os.path.join(folder, "data.yaml"), "a") as handle:
                    handle.write("          - {runId: bad, status: NOPE, createdAt: 1}\n")
                trigger(process)
                health = self.wait_for(endpoint, lambda h: not h["lastReload"]["ok"])
                self.assertEqual(health["status"], "degraded")
                self.assertIn("invalid status 'NOPE'", health["lastReload"]["error"])
                self.assertEqual(health["runs"], 5)
                with urllib.request.urlopen(endpoint + "/v2/domains/dzd_hup/jobs/job/runs") as r:
                    self.assertEqual(len(json.loads(r.read())["items"]), 5)
            finally:
                process.send_signal(signal.SIGTERM)
                self.assertEqual(process.wait(timeout=20), 0)
                process.stdout.close()
            log.seek(0)
            text = log.read()
            log.close()
            self.assertIn("reloaded 1 domains, 1 jobs, 5 runs", text)
            self.assertIn("reload failed; still serving the old data", text)

    def test_sighup_reloads(self):
        self.run_reloads([], lambda process: process.send_signal(signal.SIGHUP))

    def test_watch_reloads_changed_files(self):
        self.run_reloads(["--watch"], lambda process: None)


if __name__ == "__main__":
    unittest.main()
