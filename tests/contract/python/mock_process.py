"""Starts build/datazone-mock on a free port for contract tests, and stops it cleanly (or, when
a test fails, kills it: see tests/support/server_process.py)."""

import datetime
import os
import re
import sys
import unittest

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
import server_process  # noqa: E402

BINARY = os.environ.get("DATAZONE_MOCK_BIN", os.path.join(REPO, "build", "datazone-mock"))
FIXTURES = os.path.join(REPO, "fixtures")

# Fake credentials: the mock accepts any caller unless told otherwise.
CLIENT_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDCONTRACTTEST",
    "AWS_SECRET_ACCESS_KEY": "contract-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}

# SIGTERM/SIGINT/SIGHUP of the test run kill the servers and unwind (temporary files go too);
# a server dies with the test process in any case (tests/support/server_process.py).
server_process.exit_on_signals()


class MockProcess(server_process.ServerProcess):
    """A datazone-mock process on a free port. The first stdout line names the endpoint; the
    request log goes to a file (a pipe nobody reads would fill and block the server). stop()
    sends SIGTERM, which must stop the server with exit code 0, and returns the exit code."""

    def __init__(self, *args):
        super().__init__([BINARY, "--port", "0", *args])


_UNITS = {"d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}

# The contract servers run with their data clock frozen here, so the bundled demo's relative
# times ("now-20d15h") become these exact instants, the same in every server and in the tests.
DEMO_CLOCK = "2025-08-04T15:00:00Z"
DEMO_CLOCK_MS = 1754319600000


def _millis(value):
    """Fixture timestamp -> epoch milliseconds, independently of the server's parser. A time
    relative to the mock's clock ("now-20d14h") is taken relative to DEMO_CLOCK, where the
    contract servers' clocks stand."""
    if isinstance(value, str) and value.startswith("now"):
        offset = 0
        for amount, unit in re.findall(r"(\d+)(ms|d|h|m|s)", value[4:]):
            offset += int(amount) * _UNITS[unit]
        return DEMO_CLOCK_MS + (-offset if value[3:4] == "-" else offset)
    if isinstance(value, (int, float)):
        return int(round(value * 1000))
    text = str(value)
    if text.replace(".", "", 1).lstrip("-").isdigit():
        whole, _, fraction = text.partition(".")
        return int(whole) * 1000 + int((fraction + "000")[:3])
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        head, _, fraction = text.partition(".")
        zone = ""
        if fraction:
            digits = "".join(ch for ch in fraction if ch.isdigit())
            zone = fraction[len(digits):]
            fraction = digits
        else:
            head, zone = head[:19], head[19:]
        zone = "+00:00" if zone in ("Z", "z") else zone
        moment = datetime.datetime.fromisoformat(head[:19] + zone)
        if fraction:
            moment = moment.replace(microsecond=int((fraction + "000")[:3]) * 1000)
    return int(round(moment.timestamp() * 1000))


class BaseLoader(yaml.SafeLoader):
    """YAML without implicit timestamps or numbers: fixture scalars are read as text."""


BaseLoader.yaml_implicit_resolvers = {}


def load_fixture_runs():
    """{(domain, job): [run dict with 'createdAtMs' ...]} from the bundled fixture files."""
    jobs = {}
    for name in sorted(os.listdir(FIXTURES)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(FIXTURES, name)) as handle:
            document = yaml.load(handle, Loader=BaseLoader)
        for domain_id, domain in (document.get("domains") or {}).items():
            for job_id, job in ((domain or {}).get("jobs") or {}).items():
                runs = []
                for run in (job or {}).get("runs") or []:
                    run = dict(run)
                    run["createdAtMs"] = _millis(run["createdAt"])
                    for member in ("startTime", "endTime"):
                        if member in run:
                            run[member + "Ms"] = _millis(run[member])
                    runs.append(run)
                jobs[(domain_id, job_id)] = runs
    return jobs


def expected_run_ids(runs, ascending, status=None):
    """Run ids in the documented order: (createdAt, runId), runIds byte-wise."""
    selected = [r for r in runs if status is None or r["status"] == status]
    selected.sort(key=lambda r: (r["createdAtMs"], r["runId"].encode()))
    ids = [r["runId"] for r in selected]
    return ids if ascending else ids[::-1]


STATUSES = ["SCHEDULED", "IN_PROGRESS", "SUCCESS", "PARTIALLY_SUCCEEDED", "FAILED", "ABORTED",
            "TIMED_OUT", "CANCELED"]


class MockTestCase(unittest.TestCase):
    """One server per test class, started with `server_args`."""

    server_args = ("--token-secret", "contract-secret", "--clock", DEMO_CLOCK)

    @classmethod
    def setUpClass(cls):
        cls.mock = MockProcess(*cls.server_args)
        # Runs after tearDownClass, and also when setUpClass or tearDownClass fails: the server
        # never outlives its class. A no-op once stop() has run.
        cls.addClassCleanup(cls.mock.kill)
        cls.fixture_runs = load_fixture_runs()

    @classmethod
    def tearDownClass(cls):
        code = cls.mock.stop()
        if code != 0:
            raise AssertionError("datazone-mock exited with %d: %s" % (code, cls.mock.stderr))
