"""Loads datazone-mock and two references with wrk, on 127.0.0.1 only, and prints one table.

Servers run pinned to CPU 0, the load generators to CPU 1. References, in the same run and
alternating with datazone-mock so that ratios hold on a noisy machine: nginx serving the
identical response bytes as a static file, and a minimal cpp-httplib server returning them
precomputed (the library's ceiling). Every run is bounded in time.
"""

import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MOCK = os.path.join(REPO, "build-bench", "datazone-mock")
BARE = os.path.join(REPO, "build-bench", "bench", "bare_httplib_server")
DURATION = int(sys.argv[1]) if len(sys.argv) > 1 else 5
SERVER_CPU, CLIENT_CPU = "0", "1"
JOB = "/v2/domains/dzd_bench01/jobs/big-job/runs"
SIZES = (1_000, 100_000, 1_000_000)


def fixture(size):
    return os.path.join(REPO, "bench", "fixtures", "generated-%d.yaml" % size)


# A job whose runs come from a schedule (README, "Runs that change"): made from the clock and
# evaluated at each request's instant, never stored. `start` reaches back so that the frozen
# clock stands on the run count wanted.
SCHEDULED_YAML = """domains:
  dzd_bench01:
    jobs:
      big-job:
        schedule:
          every: 30s
          start: now-%ds
          seed: 7
          lifecycle:
            - {status: IN_PROGRESS, after: 5s}
            - {status: SUCCESS, after: 10m, error: {message: Scheduled failure}}
          outcomes: {SUCCESS: 80, FAILED: 15, TIMED_OUT: 5}
"""
SCHEDULED_CASES = ("scheduled: first page", "scheduled: deep page (token)",
                   "scheduled: status-filtered")

# The same first page of 50 runs with a capability on and off: explicit runs, each with a
# lifecycle (evaluated at the request's instant) or without; a job of 51 runs, whose first page
# carries an encrypted nextToken, or of 50, whose first page has none.
CAPABILITY_YAML_HEAD = "domains:\n  dzd_bench01:\n    jobs:\n      big-job:\n        runs:\n"
CAPABILITY_RUN = ("          - {runId: run-%04d, status: SCHEDULED, createdAt: %d, "
                  "runMode: SCHEDULED, createdBy: user-1%s}\n")
LIFECYCLE = ", lifecycle: [{status: IN_PROGRESS, after: 1s}, {status: SUCCESS, after: 100d}]"


def capability_fixture(workdir, name, runs, lifecycle):
    path = os.path.join(workdir, name + ".yaml")
    with open(path, "w") as handle:
        handle.write(CAPABILITY_YAML_HEAD)
        for i in range(runs):
            handle.write(CAPABILITY_RUN % (i, 1_700_000_000 + i, LIFECYCLE if lifecycle else ""))
    return path


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def wait_until_answering(url, deadline_s=60):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        try:
            get(url)
            return time.monotonic() - start
        except Exception:
            time.sleep(0.002)
    raise RuntimeError("no answer from " + url)


RUNNING = []  # every server started, stopped at the end whatever happens


class Server:
    def __init__(self, argv, url_prefix=None):
        RUNNING.append(self)
        self.started = time.monotonic()
        self.process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *argv],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self.url_prefix = url_prefix

    def rss_kb(self):
        # taskset execs the server, so the pid is the server's own.
        with open("/proc/%d/status" % self.process.pid) as status:
            return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_mock(*args):
    server = Server([MOCK, "--port", "0", "--token-secret", "bench", *args])
    line = server.process.stdout.readline().strip()
    server.url_prefix = line.split()[-1]
    server.first_answer_s = wait_until_answering(server.url_prefix + "/_mock/health")
    server.first_answer_s = time.monotonic() - server.started
    return server


def wrk(url, connections, headers=(), seconds=None):
    seconds = seconds or DURATION
    output = subprocess.run(
        ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds,
         "--latency", *[arg for header in headers for arg in ("-H", header)], url],
        capture_output=True, text=True, timeout=seconds + 60).stdout

    def latency(label):
        match = re.search(r"%s\s+([\d.]+)(us|ms|s)\b" % label, output)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


async def fairness(host, port, path, connections, seconds):
    """Answers per keep-alive connection: wrk cannot show one connection starving."""
    counts = [0] * connections
    request = ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path, host)).encode()
    stop_at = time.monotonic() + seconds

    errors = []

    async def one(index):
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as error:
            errors.append(repr(error))
            return
        try:
            while time.monotonic() < stop_at:
                writer.write(request)
                await writer.drain()
                headers = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"Content-Length: (\d+)", headers, re.I).group(1))
                await reader.readexactly(length)
                counts[index] += 1
        except (OSError, asyncio.IncompleteReadError) as error:
            errors.append(repr(error))  # reported, not fatal: the table says how many
        finally:
            writer.close()

    await asyncio.gather(*(one(i) for i in range(connections)))
    return counts, errors


def nginx_for(body_path, workdir):
    root = os.path.join(workdir, "www")
    target = os.path.join(root, JOB.lstrip("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy(body_path, target)
    config = os.path.join(workdir, "nginx.conf")
    with open(config, "w") as handle:
        handle.write("""daemon off; worker_processes 1; pid %(w)s/nginx.pid; error_log %(w)s/error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000; default_type application/json;
  client_body_temp_path %(w)s; proxy_temp_path %(w)s; fastcgi_temp_path %(w)s;
  uwsgi_temp_path %(w)s; scgi_temp_path %(w)s;
  server { listen 127.0.0.1:18081; root %(r)s; location / { try_files $uri =404; } } }
""" % {"w": workdir, "r": root})
    server = Server(["nginx", "-c", config, "-e", os.path.join(workdir, "error.log")],
                    "http://127.0.0.1:18081")
    wait_until_answering(server.url_prefix + JOB)
    return server


def deep_token(prefix, pages=10):
    token = None
    for _ in range(pages):
        url = prefix + JOB + "?maxResults=50" + ("&nextToken=" + token if token else "")
        token = json.loads(get(url))["nextToken"]
    return token


def main():
    rows = []  # (case, runs, connections, server, result)
    workdir = tempfile.mkdtemp(prefix="datazone-mock-bench-")
    try:
        # --- Reference comparison: the same first page, alternating servers, 3 rounds.
        mock = start_mock("--fixtures", fixture(1_000))
        body_path = os.path.join(workdir, "page.json")
        with open(body_path, "wb") as handle:
            handle.write(get(mock.url_prefix + JOB))
        print("first page: %d bytes" % os.path.getsize(body_path))
        nginx = nginx_for(body_path, workdir)
        bare = Server([BARE, "18082", body_path], "http://127.0.0.1:18082")
        bare.process.stdout.readline()
        wait_until_answering(bare.url_prefix + JOB)
        reference = {"datazone-mock": [], "nginx": [], "bare cpp-httplib": []}
        for connections in (1, 16):
            for round_number in range(3):
                for name, server in (("datazone-mock", mock), ("nginx", nginx),
                                     ("bare cpp-httplib", bare)):
                    result = wrk(server.url_prefix + JOB, connections)
                    if connections == 16:
                        reference[name].append(result)
                    if round_number == 0:
                        rows.append(("first page (reference)", 1_000, connections, name, result))
        # 256 connections against the 16-connection figure, and per-connection fairness;
        # datazone-mock three times in a row (zero socket errors in each is the target).
        runs_256 = []
        for name, server in (("datazone-mock", mock), ("bare cpp-httplib", bare),
                             ("nginx", nginx)):
            for _ in range(3 if name == "datazone-mock" else 1):
                result = wrk(server.url_prefix + JOB, 256)
                rows.append(("first page", 1_000, 256, name, result))
                if name == "datazone-mock":
                    runs_256.append(result)
            port = int(server.url_prefix.rsplit(":", 1)[1])
            counts, errors = asyncio.run(fairness("127.0.0.1", port, JOB, 256, DURATION))
            mean = sum(counts) / len(counts)
            result["fair_min"], result["fair_mean"] = min(counts), mean
            result["fair_errors"] = len(errors)
        nginx.stop()
        bare.stop()

        # --- What each capability costs: the same first page with it off, alternating rounds.
        # Each row: the capability, the server flags with it on and off, the request headers.
        costs = {}
        plain = capability_fixture(workdir, "plain-50", 50, lifecycle=False)
        for capability, with_flags, without_flags, headers in (
                ("per-request traces", (), ("--trace", "off"), ()),
                ("CORS headers", ("--cors", "*"), (), ("Origin: http://localhost:3000",)),
                ("encrypted tokens (page 1 of 51 runs vs 50)",
                 ("--fixtures", capability_fixture(workdir, "plain-51", 51, lifecycle=False)),
                 ("--fixtures", plain), ()),
                ("lifecycle evaluation (50 runs)",
                 ("--fixtures", capability_fixture(workdir, "lifecycle-50", 50, lifecycle=True),
                  "--clock", "frozen"),
                 ("--fixtures", plain, "--clock", "frozen"), ())):
            if "--fixtures" not in with_flags:
                with_flags += ("--fixtures", fixture(1_000))
                without_flags += ("--fixtures", fixture(1_000))
            with_it = start_mock(*with_flags)
            without = start_mock(*without_flags)
            # Short runs in adjacent pairs, the order swapped each time, and the median of the
            # pairs' ratios: this machine's speed drifts by more than a capability costs, and
            # a drift between two adjacent short runs is small.
            on, off, ratios = [], [], []
            for pair in range(7):
                servers = (with_it, without) if pair % 2 == 0 else (without, with_it)
                first, second = (wrk(server.url_prefix + JOB, 16, headers, seconds=2)["rps"]
                                 for server in servers)
                rps_on, rps_off = (first, second) if pair % 2 == 0 else (second, first)
                on.append(rps_on)
                off.append(rps_off)
                ratios.append(rps_on / rps_off)
            costs[capability] = (statistics.median(on), statistics.median(off),
                                 statistics.median(ratios))
            with_it.stop()
            without.stop()
        mock.stop()

        # --- datazone-mock's own cases at each store size.
        memory, startup = {}, {}
        for size in SIZES:
            mock = start_mock("--fixtures", fixture(size))
            startup[size] = mock.first_answer_s
            memory[size] = mock.rss_kb()
            token = deep_token(mock.url_prefix)
            cases = [("first page", JOB), ("deep page (token)", JOB + "?nextToken=" + token),
                     ("status-filtered page", JOB + "?status=FAILED")]
            if size == SIZES[0]:
                cases.append(("400 validation error", JOB + "?maxResults=0"))
            for case, path in cases:
                for connections in (1, 16):
                    rows.append((case, size, connections, "datazone-mock",
                                 wrk(mock.url_prefix + path, connections)))
            mock.stop()

        # --- Flatness: the same cases on a 1e3 and a 1e6 store, in adjacent short runs
        # alternating between the two, so that the machine's drift between the size runs above
        # (minutes apart) does not pass for a cost of the store's size.
        flat = {}
        small, large = start_mock("--fixtures", fixture(SIZES[0])), \
            start_mock("--fixtures", fixture(SIZES[-1]))
        paths = {server: {"first page": JOB,
                          "deep page (token)": JOB + "?nextToken=" + deep_token(server.url_prefix),
                          "status-filtered page": JOB + "?status=FAILED"}
                 for server in (small, large)}
        for case in ("first page", "deep page (token)", "status-filtered page"):
            ratios = []
            for pair in range(3):
                order = (small, large) if pair % 2 == 0 else (large, small)
                p50s = {server: wrk(server.url_prefix + paths[server][case], 16,
                                    seconds=2)["p50"] for server in order}
                ratios.append(p50s[large] / p50s[small])
            flat[case] = statistics.median(ratios)
        small.stop()
        large.stop()

        # --- A scheduled job at 1e3 and 1e6 runs: the page and memory costs must not grow.
        scheduled_memory = {}
        for size in (1_000, 1_000_000):
            path = os.path.join(workdir, "scheduled-%d.yaml" % size)
            with open(path, "w") as handle:
                handle.write(SCHEDULED_YAML % ((size - 1) * 30))
            mock = start_mock("--fixtures", path, "--clock", "frozen")
            token = deep_token(mock.url_prefix)
            for case, path in zip(SCHEDULED_CASES, (JOB, JOB + "?nextToken=" + token,
                                                    JOB + "?status=FAILED")):
                rows.append((case, size, 16, "datazone-mock", wrk(mock.url_prefix + path, 16)))
            scheduled_memory[size] = mock.rss_kb()
            mock.stop()

        # Start-up with the demo data: the median of 5 starts (one start alone is at the mercy
        # of the scheduler: 42-52 ms for the same binary on this machine).
        demo_starts = []
        for _ in range(5):
            demo = start_mock()
            demo_starts.append(demo.first_answer_s)
            demo.stop()
        startup["demo"] = statistics.median(demo_starts)
        startup["demo starts"] = sorted(demo_starts)

        # A 100,000-run YAML file of explicit runs: load rate.
        big_yaml = os.path.join(workdir, "explicit-100k.yaml")
        with open(big_yaml, "w") as handle:
            handle.write("domains:\n  dzd_bench01:\n    jobs:\n      big-job:\n        runs:\n")
            for i in range(100_000):
                handle.write("          - {runId: run-%06d, status: SUCCESS, createdAt: %d, "
                             "runMode: SCHEDULED, createdBy: user-1}\n" % (i, 1_700_000_000 + i))
        loaded = start_mock("--fixtures", big_yaml)
        startup["yaml"] = loaded.first_answer_s
        loaded.stop()
        yaml_mb = os.path.getsize(big_yaml) / 1e6
    finally:
        for server in RUNNING:
            if server.process.poll() is None:
                server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    # --- The table.
    print("\n%-24s %9s %5s %-18s %10s %9s %9s %7s" % ("case", "runs", "conns", "server", "req/s",
                                                      "p50 ms", "p99 ms", "errors"))
    for case, size, connections, name, r in rows:
        extra = ""
        if "fair_min" in r:
            extra = "  per-conn answers min %d mean %.0f, %d connection errors" % (
                r["fair_min"], r["fair_mean"], r["fair_errors"])
        print("%-24s %9d %5d %-18s %10.0f %9.3f %9.3f %7d%s" % (
            case, size, connections, name, r["rps"], r["p50"], r["p99"],
            r["socket_errors"] + (r["non2xx"] if "400" not in case else 0), extra))

    def median_rps(name):
        return statistics.median(r["rps"] for r in reference[name])

    def p50(case, size):
        return next(r["p50"] for c, s, n, name, r in rows if c == case and s == size and n == 16
                    and name == "datazone-mock")

    missed = []

    def target(label, value, holds, text):
        print("  %-44s %s  %s" % (label, text, "ok" if holds else "MISSED"))
        if not holds:
            missed.append(label)

    mock16 = median_rps("datazone-mock")
    print("\nCapabilities at 16 connections, first page (medians of 7 adjacent on/off pairs):")
    for capability, (on, off, ratio) in costs.items():
        cost = 1 - ratio
        target(capability, cost, cost <= 0.10,
               "on %.0f req/s, off %.0f req/s: costs %.1f%% (<= 10%%)" % (on, off, 100 * cost))

    print("\nTargets (ratios: medians of 3 alternating rounds at 16 connections):")
    ratio = mock16 / median_rps("nginx")
    target("first page vs nginx", ratio, ratio >= 0.75, "%.2fx (>= 0.75)" % ratio)
    ratio = mock16 / median_rps("bare cpp-httplib")
    target("first page vs bare cpp-httplib", ratio, ratio >= 0.8, "%.2fx (>= 0.8)" % ratio)
    for case, ratio in flat.items():
        target("p50 at 1e6 / p50 at 1e3, " + case, ratio, ratio <= 1.3,
               "%.2fx (<= 1.3; median of 3 alternating pairs)" % ratio)
    r256 = runs_256[-1]  # the run the per-connection count followed
    ratio = statistics.median(r["rps"] for r in runs_256) / mock16
    target("256 connections vs 16", ratio, ratio >= 0.5, "%.2fx (>= 0.5)" % ratio)
    errors = [r["socket_errors"] for r in runs_256]
    target("256 connections: socket errors, 3 runs", errors,
           not any(errors) and r256["fair_errors"] == 0,
           "%s wrk, %d in the per-connection count (0 each)" % (errors, r256["fair_errors"]))
    tails = [r["p99"] / r["p50"] for r in runs_256]
    target("256 connections: p99 / p50, 3 runs", tails, max(tails) <= 10,
           "%s (<= 10 each)" % ", ".join("%.1fx" % t for t in tails))
    target("256 connections: every connection served", r256["fair_min"],
           r256["fair_min"] >= r256["fair_mean"] / 10,
           "min %d answers vs mean %.0f (>= mean/10)" % (r256["fair_min"], r256["fair_mean"]))
    per_run = (memory[1_000_000] - memory[1_000]) * 1024 / (1_000_000 - 1_000)
    target("memory per stored run", per_run, per_run <= 200,
           "%.0f bytes (RSS %d KB at 1e3, %d KB at 1e6; <= 200)"
           % (per_run, memory[1_000], memory[1_000_000]))
    for case in SCHEDULED_CASES:
        ratio = p50(case, 1_000_000) / p50(case, 1_000)
        target("p50 at 1e6 / p50 at 1e3, " + case, ratio, ratio <= 1.3, "%.2fx (<= 1.3)" % ratio)
    per_run = (scheduled_memory[1_000_000] - scheduled_memory[1_000]) * 1024 / (1_000_000 - 1_000)
    target("memory per scheduled run", per_run, per_run <= 200,
           "%.1f bytes (RSS %d KB at 1e3, %d KB at 1e6; <= 200)"
           % (per_run, scheduled_memory[1_000], scheduled_memory[1_000_000]))
    target("start-up, demo fixtures", startup["demo"], startup["demo"] <= 0.05,
           "%.0f ms (<= 50; median of 5 starts: %s ms)"
           % (startup["demo"] * 1000, ", ".join("%.0f" % (t * 1000) for t in startup["demo starts"])))
    target("start-up, 1e6 generated runs", startup[1_000_000], startup[1_000_000] <= 3,
           "%.2f s (<= 3)" % startup[1_000_000])
    target("load of a 100,000-run YAML file", startup["yaml"], startup["yaml"] <= 5,
           "%.2f s, %.1f MB/s (<= 5 s)" % (startup["yaml"], yaml_mb / startup["yaml"]))
    print("\nno target missed" if not missed else "\nmissed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
