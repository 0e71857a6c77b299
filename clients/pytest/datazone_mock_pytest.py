"""pytest plugin for datazone-mock: one mock server per test session, one access key per test.

Fixtures:
  datazone_mock         (session)  the running server: .endpoint, .admin(method, path, ...)
  datazone_mock_caller  (function) a fresh access key id for the test, a boto3 client for it
                                   and the admin API scoped to it; reset at teardown

The server binary is $DATAZONE_MOCK_BIN, else --datazone-mock-bin, else `datazone-mock` on PATH.
It is started as `<bin> --port 0 <--datazone-mock-args>`; its stdout and stderr (the request
log) go to files in pytest's temporary directory (see Mock.log_path).

Only the standard library and pytest are needed; boto3 is imported when a client is made.
"""

import atexit
import json
import os
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

__all__ = ["Mock", "Caller"]

_LISTENING = "datazone-mock listening on "
_START_TIMEOUT = 30.0   # seconds for the first stdout line
_STOP_TIMEOUT = 10.0    # seconds between SIGTERM and SIGKILL
_ADMIN_TIMEOUT = 60.0   # seconds per admin call
_SETPRIV = "/usr/bin/setpriv"
_SECRET = "datazone-mock"


def pytest_plugin_registered(plugin, manager):
    # Loaded both as the installed entry point "datazone_mock" and by module name (`-p
    # datazone_mock_pytest`, `pytest_plugins = [...]`), this module would be registered twice,
    # which pluggy refuses: once registered under one name, the other is blocked.
    if plugin is sys.modules[__name__]:
        for name in ("datazone_mock", __name__):
            if manager.get_plugin(name) is None and not manager.is_blocked(name):
                manager.set_blocked(name)


def pytest_addoption(parser):
    group = parser.getgroup("datazone-mock")
    group.addoption("--datazone-mock-bin", default=None, metavar="PATH",
                    help="datazone-mock binary (default: $DATAZONE_MOCK_BIN, else "
                         "`datazone-mock` on PATH; $DATAZONE_MOCK_BIN wins over this option)")
    group.addoption("--datazone-mock-args", default="", metavar="ARGS",
                    help="extra arguments for the server, split like a shell would "
                         "(e.g. \"--scenarios ./scenarios --seed 1\")")


# --- the server -----------------------------------------------------------------------------

def _find_binary(config):
    binary = (os.environ.get("DATAZONE_MOCK_BIN")
              or config.getoption("--datazone-mock-bin")
              or shutil.which("datazone-mock"))
    if not binary:
        pytest.fail("datazone-mock binary not found: set DATAZONE_MOCK_BIN, pass "
                    "--datazone-mock-bin or put datazone-mock on PATH", pytrace=False)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail("datazone-mock binary %r is not an executable file" % binary, pytrace=False)
    return binary


def _admin_token(args):
    """The --admin-token the server was given (in args or its environment variable), if any."""
    for index, arg in enumerate(args):
        if arg == "--admin-token" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--admin-token="):
            return arg.split("=", 1)[1]
    return os.environ.get("DATAZONE_MOCK_ADMIN_TOKEN") or None


def _tail(path, limit=4000):
    try:
        with open(path, "rb") as log:
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return text if len(text) <= limit else "...\n" + text[-limit:]


class Mock:
    """A running datazone-mock: `endpoint` (e.g. "http://127.0.0.1:40123") and `admin()`."""

    def __init__(self, process, endpoint, log_path, admin_token=None):
        self.process = process
        self.endpoint = endpoint
        self.log_path = log_path        # the server's stderr: one line per request
        self._token = admin_token
        insecure = ssl.create_default_context()  # with --tls-cert: a local, often self-signed cert
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # never through $http_proxy
            urllib.request.HTTPSHandler(context=insecure))

    @classmethod
    def start(cls, binary, extra_args, workdir):
        """Starts `binary --port 0 extra_args...` and waits for its first stdout line."""
        command = [binary, "--port", "0"] + list(extra_args)
        if os.path.exists(_SETPRIV):
            # SIGKILL the server when the thread that started it (pytest's) goes away, even
            # when pytest itself is killed and no finalizer runs.
            command = [_SETPRIV, "--pdeathsig", "KILL", "--"] + command
        out_path = os.path.join(str(workdir), "stdout.txt")
        log_path = os.path.join(str(workdir), "stderr.log")
        with open(out_path, "wb") as out, open(log_path, "wb") as log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=log)
        mock = cls(process, None, log_path, _admin_token(extra_args))
        atexit.register(mock.stop)  # in case the fixture's teardown never runs
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            with open(out_path, "rb") as out:
                first = out.readline().decode("utf-8", "replace")
            if first.endswith("\n"):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                reason = ("exit code %s" % process.returncode if process.returncode is not None
                          else "no endpoint line after %g s" % _START_TIMEOUT)
                mock.stop()
                pytest.fail("datazone-mock did not start (%s): %s\n%s" % (
                    reason, shlex.join(command), _tail(log_path)), pytrace=False)
            time.sleep(0.02)
        if not first.startswith(_LISTENING):
            mock.stop()
            pytest.fail("unexpected first line from datazone-mock: %r" % first, pytrace=False)
        mock.endpoint = first[len(_LISTENING):].strip()
        return mock

    def stop(self):
        """SIGTERM, then SIGKILL after 10 s; returns the exit code. Safe to call twice."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log(self):
        """The server's request log so far (its stderr)."""
        return _tail(self.log_path, limit=1 << 30)

    def admin(self, method, path, body=None, query=None, expect_status=None):
        """Calls the admin API; returns the parsed JSON answer (text if not JSON, None if empty).

        body: a dict or list is sent as JSON, a str or bytes as it is. query: a dict of
        parameters, added to the path's own. Raises AssertionError when the HTTP status is 400
        or more, or, with expect_status, when it is not that status.
        """
        url = self.endpoint + path
        if query:
            url += ("&" if "?" in path else "?") + urllib.parse.urlencode(query, doseq=True)
        headers = {}
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body  # bytes or None
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=_ADMIN_TIMEOUT) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        if expect_status is not None:
            if status != expect_status:
                raise AssertionError("datazone-mock %s %s: expected HTTP %s, got %s: %s"
                                     % (method, path, expect_status, status, text))
        elif status >= 400:
            raise AssertionError("datazone-mock %s %s: HTTP %s: %s" % (method, path, status, text))
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text


# --- one caller per test --------------------------------------------------------------------

class Caller:
    """One test's own access key id, and the admin API scoped to it."""

    def __init__(self, mock, access_key_id):
        self.mock = mock
        self.endpoint = mock.endpoint
        self.access_key_id = access_key_id

    def client(self, **kwargs):
        """boto3.client("datazone", ...) signed with this caller's key; kwargs add or override."""
        import boto3
        import botocore.exceptions

        options = dict(endpoint_url=self.endpoint, region_name="us-east-1",
                       aws_access_key_id=self.access_key_id, aws_secret_access_key=_SECRET)
        options.update(kwargs)
        try:
            return boto3.client("datazone", **options)
        except botocore.exceptions.UnknownServiceError as error:
            import botocore
            raise RuntimeError("botocore %s does not know DataZone: use a boto3 new enough "
                               "for DataZone ListJobRuns (e.g. pip install 'boto3>=1.40')"
                               % botocore.__version__) from error

    def _admin(self, method, path, body=None):
        return self.mock.admin(method, path, body, query={"accessKeyId": self.access_key_id})

    def seed(self, fixture):
        """Adds runs only this caller sees: a dict (sent as JSON) or YAML/JSON text."""
        return self._admin("POST", "/_mock/fixtures", fixture)

    def activate(self, *names):
        """Makes exactly these scenarios active for this caller (none: deactivates all)."""
        return self._admin("PUT", "/_mock/scenarios/active", {"active": list(names)})

    def add_scenario(self, scenario):
        """Defines a scenario for this caller: a dict (sent as JSON) or YAML/JSON text."""
        return self._admin("POST", "/_mock/scenarios", scenario)

    def requests(self):
        """This caller's journal entries, oldest first."""
        return self._admin("GET", "/_mock/requests")["requests"]

    def verify(self, where=None, count=None, at_least=None, at_most=None):
        """Asks the mock how many of this caller's requests match `where`.

        Returns {"ok", "count", "expected", "nearMisses": [{"request", "differs"}]}.
        """
        body = {"where": dict(where or {}, accessKeyId=self.access_key_id)}
        for member, value in (("count", count), ("atLeast", at_least), ("atMost", at_most)):
            if value is not None:
                body[member] = value
        return self.mock.admin("POST", "/_mock/verify", body)

    def assert_called(self, where=None, count=None, at_least=None, at_most=None):
        """Like verify(), but raises AssertionError with the near misses when it does not hold."""
        answer = self.verify(where, count=count, at_least=at_least, at_most=at_most)
        if not answer.get("ok"):
            raise AssertionError(_explain(where or {}, answer))
        return answer

    def reset(self):
        """Drops this caller's seeded runs, scenario activations, counters and journal entries."""
        return self._admin("POST", "/_mock/reset")


def _lookup(mapping, member):
    """mapping[member], following dots ("query.maxResults"); `...` when absent."""
    value = mapping
    for part in member.split("."):
        if not isinstance(value, dict) or part not in value:
            return ...
        value = value[part]
    return value


def _explain(where, answer):
    expected = answer.get("expected")
    if isinstance(expected, dict):
        words = {"count": "exactly", "atLeast": "at least", "atMost": "at most"}
        expected = " and ".join("%s %s" % (words.get(name, name), value)
                                for name, value in expected.items())
    lines = ["datazone-mock: expected %s request(s) matching %s, found %s"
             % (expected, json.dumps(where, sort_keys=True), answer.get("count"))]
    near_misses = answer.get("nearMisses") or []
    if near_misses:
        lines.append("near misses:")
    for miss in near_misses:
        request = miss.get("request") or {}
        query = request.get("query") or {}
        line = "  %s %s%s -> %s" % (
            request.get("method"), request.get("path"),
            "?" + urllib.parse.urlencode(query) if query else "",
            request.get("status"))
        if request.get("errorType"):
            line += " " + str(request["errorType"])
        if request.get("attempt") is not None:
            line += " (attempt %s)" % request["attempt"]
        differs = []
        for member in miss.get("differs") or []:
            actual, wanted = _lookup(request, member), _lookup(where, member)
            if actual is ... and wanted is ...:
                differs.append(member)
            else:
                differs.append("%s=%s, wanted %s" % (
                    member, "(absent)" if actual is ... else json.dumps(actual),
                    "(absent)" if wanted is ... else json.dumps(wanted)))
        if differs:
            line += "; differs: " + "; ".join(differs)
        lines.append(line)
    if not near_misses:
        lines.append("no near misses")
    return "\n".join(lines)


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def datazone_mock(request, tmp_path_factory):
    """One datazone-mock for the whole session (per xdist worker)."""
    config = request.config
    binary = _find_binary(config)
    extra_args = shlex.split(config.getoption("--datazone-mock-args") or "")
    mock = Mock.start(binary, extra_args, tmp_path_factory.mktemp("datazone-mock"))
    yield mock
    code = mock.stop()
    if code != 0:  # it crashed, or did not stop within 10 s of SIGTERM
        pytest.fail("datazone-mock exited with code %s; its log (%s):\n%s"
                    % (code, mock.log_path, _tail(mock.log_path)), pytrace=False)


_issued_keys = set()


@pytest.fixture
def datazone_mock_caller(datazone_mock):
    """A fresh access key id for this test; its seeded runs, scenarios and journal are reset after it."""
    while True:
        key = "AKIDPYTEST" + secrets.token_hex(5).upper()
        if key not in _issued_keys:
            _issued_keys.add(key)
            break
    caller = Caller(datazone_mock, key)
    yield caller
    caller.reset()
