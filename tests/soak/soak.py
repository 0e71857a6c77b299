#!/usr/bin/env python3
"""Soak test: many concurrent keep-alive clients against one datazone-mock process.

Starts the server on 127.0.0.1 (--port 0, fixed --seed, small --journal-size) with its own
fixture and scenario files in a temporary directory, then mixes, over --requests requests on
--connections keep-alive connections (one thread each):

  valid first pages; complete listings that follow nextToken to the end (with and without a
  status filter, every sortOrder, maxResults changing between pages); invalid requests (every
  constraint, several at once, unknown domain/job, unknown operations, an over-long request
  line); replayed, forged, tampered and other-query nextTokens; injected faults of every kind
  (errors, delays, reset, close, empty, malformed-json, truncate), each aimed by its scenario
  rule at a dedicated accessKeyId, domain or job so that every answer can be attributed.

One admin thread meanwhile reads /_mock/health, /_mock/metrics, /_mock/scenarios and
/_mock/requests, switches a scenario on and off, seeds a separate domain through
POST /_mock/fixtures, and rewrites the fixture and scenario files (same data) and sends SIGHUP.

It fails (exit 1) when an answer is not explained by validation or by the scenario aimed at
that request, when a complete listing misses, repeats or misorders a run, when the server dies
or does not exit 0 on SIGTERM, when the server's metrics disagree with what the clients saw, or
when resident memory after the run is more than 10% above resident memory after the warm-up
(unless --no-memory-check).

Warm-up: the same mix for --warmup requests (default 600 per connection, at least five times
--journal-size, so the journal ring is full) and at least two admin cycles (so reloads, seeding
and scenario switches have all run); then every client parks and VmRSS is read. The measured
run follows; everyone parks again and VmRSS is read once more. The server runs with glibc's
malloc tuned to make resident memory follow the live heap (README.md, "Resident memory").

Pass or fail, the server is stopped or killed and the temporary directory removed (--keep keeps
it); on failure the end of the server's log is printed. The server dies with this script however
the script ends (tests/support/server_process.py); README.md has the details.

Timing is printed, never asserted. Python 3 standard library only (and server_process.py, which
is too).
"""

import argparse
import base64
import collections
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
import server_process  # noqa: E402  (standard library only, like this script)

PREFIX = server_process.PREFIX
# Printed on failure, as the temporary directory (with the server's log) is removed: the last
# messages of the server (startup, reloads, warnings, sanitizer reports) and its last lines.
LOG_TAIL_LINES = 40
LOG_TAIL_REQUESTS = 10
# A request line (method and target are empty when the request line was not readable).
REQUEST_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\S+Z [A-Z]* \S* \d{3} ")

STATUSES = ["SCHEDULED", "IN_PROGRESS", "SUCCESS", "PARTIALLY_SUCCEEDED", "FAILED", "ABORTED",
            "TIMED_OUT", "CANCELED"]
DOMAIN_PATTERN = "dzd[-_][a-zA-Z0-9_-]{1,36}"
JOB_PATTERN = "[a-zA-Z0-9_-]{1,36}"
VALIDATE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.coral.validate/"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
INVALID_TOKEN = "The nextToken provided is invalid."
DEFAULT_MESSAGES = {
    "AccessDeniedException": "You do not have sufficient access to perform this action.",
    "InternalServerException":
        "The request has failed because of an unknown error, exception or failure.",
    "ResourceNotFoundException": "The specified resource cannot be found.",
    "ServiceUnavailableException": "The service is unavailable. Please try again later.",
}
UNKNOWN_OPERATION = "The requested operation is not recognized by the service."
# One arena, no per-thread caches, a fixed mmap threshold: resident memory then follows the live
# heap instead of which of 60+ worker threads happened to cache or serve what (README.md).
STEADY_MALLOC = ("glibc.malloc.arena_max=1:glibc.malloc.tcache_count=0:"
                 "glibc.malloc.mmap_threshold=65536")
IDLE_RECONNECT_SECONDS = 2.0  # the server closes keep-alive connections idle for 5 s
HANG_GUARD_SECONDS = 120.0    # a socket read that long means the server hangs


class SoakFailure(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Fixture data: written by this script, so every run's id, order and members are known.

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def millis(text):
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment - EPOCH) // datetime.timedelta(milliseconds=1)


def timestamp_text(ms, variant):
    """One instant in one of the accepted spellings (YAML-ready)."""
    seconds, fraction = divmod(ms, 1000)
    utc = EPOCH + datetime.timedelta(seconds=seconds)
    if variant == 0:
        millis_part = ".%03d" % fraction if fraction else ""
        return '"%s%sZ"' % (utc.strftime("%Y-%m-%dT%H:%M:%S"), millis_part)
    if variant in (1, 2):
        offset = (datetime.timedelta(hours=2) if variant == 1
                  else -datetime.timedelta(hours=5, minutes=30))
        local = utc + offset
        sign = "+02:00" if variant == 1 else "-05:30"
        return '"%s.%03d%s"' % (local.strftime("%Y-%m-%dT%H:%M:%S"), fraction, sign)
    if variant == 3:
        return "%d.%03d" % (seconds, fraction) if fraction else "%d" % seconds
    # Finer digits than milliseconds are truncated.
    return '"%s.%03d789Z"' % (utc.strftime("%Y-%m-%dT%H:%M:%S"), fraction)


class Job:
    def __init__(self, domain, name):
        self.domain = domain
        self.name = name
        self.explicit = []     # run dicts with *Ms times
        self.generate = None   # (count, seed, start_ms, every_ms, weights)
        self.items = {}        # runId -> expected normalized item
        self.lists = {}        # (status or None, ascending) -> [runId]

    def add(self, run):
        self.explicit.append(run)

    def expected_item(self, run):
        item = {"runId": run["runId"], "status": run["status"], "createdAt": run["createdAtMs"],
                "domainId": self.domain, "jobId": self.name, "jobType": "LINEAGE"}
        for member in ("runMode", "createdBy"):
            if member in run:
                item[member] = run[member]
        for member in ("startTime", "endTime"):
            if member + "Ms" in run:
                item[member] = run[member + "Ms"]
        if "error" in run:
            item["error"] = {"message": run["error"]}
        return item

    def finish(self, generated_items=()):
        """Builds the expected listings once every run (and generated status) is known."""
        runs = [(item["createdAt"], item["runId"].encode(), item) for item in generated_items]
        runs += [(run["createdAtMs"], run["runId"].encode(), self.expected_item(run))
                 for run in self.explicit]
        runs.sort(key=lambda entry: (entry[0], entry[1]))
        self.items = {entry[2]["runId"]: entry[2] for entry in runs}
        for status in [None] + STATUSES:
            ids = [entry[2]["runId"] for entry in runs
                   if status is None or entry[2]["status"] == status]
            self.lists[(status, True)] = ids
            self.lists[(status, False)] = ids[::-1]

    def yaml(self):
        lines = ["      %s:" % self.name, "        jobType: LINEAGE"]
        if self.generate:
            count, seed, start, every, weights = self.generate
            lines.append("        generate: {count: %d, seed: %d, start: %s, every: %ds, "
                         "statuses: {%s}}"
                         % (count, seed, timestamp_text(start, 0).strip('"'), every // 1000,
                            ", ".join("%s: %d" % pair for pair in weights.items())))
        if not self.explicit:
            lines.append("        runs: []")
            return lines
        lines.append("        runs:")
        for index, run in enumerate(self.explicit):
            fields = ['runId: %s' % json.dumps(run["runId"]), "status: %s" % run["status"],
                      "createdAt: %s" % timestamp_text(run["createdAtMs"], index % 5)]
            for member in ("runMode", "createdBy"):
                if member in run:
                    fields.append("%s: %s" % (member, json.dumps(run[member])))
            for member in ("startTime", "endTime"):
                if member + "Ms" in run:
                    text = timestamp_text(run[member + "Ms"], (index + 2) % 5)
                    fields.append("%s: %s" % (member, text))
            if "error" in run:
                fields.append("error: {message: %s}" % json.dumps(run["error"]))
            lines.append("          - {%s}" % ", ".join(fields))
        return lines


def make_run(run_id, status, created, rng, detailed=True):
    run = {"runId": run_id, "status": status, "createdAtMs": created}
    if detailed:
        mode = rng.choice(["SCHEDULED", "ON_DEMAND", None])
        if mode:
            run["runMode"] = mode
        if rng.random() < 0.7:
            run["createdBy"] = rng.choice(["user-alice", "svc-scheduler", "user-ü", 'quote"user'])
        if status != "SCHEDULED" and rng.random() < 0.8:
            run["startTimeMs"] = created + rng.randrange(0, 60000)
            if status != "IN_PROGRESS" and rng.random() < 0.9:
                run["endTimeMs"] = run["startTimeMs"] + rng.randrange(1, 7200000)
        if status in ("FAILED", "TIMED_OUT"):
            run["error"] = rng.choice(['Upstream table "events" is locked', "line1\nline2 \\ done",
                                       "quota exceeded (ü)"])
    return run


class Fixture:
    """Domains and jobs of the soak fixture, with the expected listings."""

    BIG_COUNT = 5000
    BIG_START = millis("2024-01-01T00:00:00Z")
    BIG_EVERY = 30000
    BIG_WEIGHTS = collections.OrderedDict([("SUCCESS", 60), ("FAILED", 15), ("IN_PROGRESS", 10),
                                           ("SCHEDULED", 5), ("TIMED_OUT", 5), ("CANCELED", 5)])

    def __init__(self, seed):
        rng = random.Random(seed)
        self.private_domain = "dzd_soakprivate"
        self.team_key = "AKIDSOAKTEAM"
        self.jobs = {}
        big = self._job("dzd_soak01", "big-job")
        big.generate = (self.BIG_COUNT, 11, self.BIG_START, self.BIG_EVERY, self.BIG_WEIGHTS)

        def gen_time(number):
            return self.BIG_START + (number - 1) * self.BIG_EVERY

        # Explicit runs among the generated ones: ties on createdAt broken by runId bytes.
        for run_id, status, created in [
                ("Manual-tie-100", "ABORTED", gen_time(100)),  # 'M' < 'g': before gen-0000100
                ("manual-tie-100", "PARTIALLY_SUCCEEDED", gen_time(100)),  # after it
                ("gen-0000100x", "FAILED", gen_time(100)),            # right after gen-0000100
                ("early-1", "SUCCESS", self.BIG_START - 1),
                ("between-1-2", "ABORTED", gen_time(1) + 15000),
                ("ms-tie-b", "PARTIALLY_SUCCEEDED", gen_time(2500) + 1),
                ("ms-tie-a", "CANCELED", gen_time(2500) + 1),
                ("late-1", "SUCCESS", gen_time(self.BIG_COUNT) + 86400000),
                ("late-2", "FAILED", gen_time(self.BIG_COUNT) + 86400000),
        ]:
            big.add(make_run(run_id, status, created, rng))
        big.add(make_run("gen-0000200-extra", "SUCCESS", gen_time(200) + 1, rng))

        small = self._job("dzd_soak01", "small-job")
        base = millis("2024-03-01T00:00:00Z")
        created = base
        for i in range(137):
            if i % 10 != 9:  # every tenth run shares its createdAt with the one before
                created = base + i * 7919000 + (i % 7) * 123
            prefix = ["run-", "Run-", "run.", "ü-run-", "run:"][i % 5]
            small.add(make_run("%s%d" % (prefix, i), STATUSES[i % len(STATUSES)], created, rng))

        flaky = self._job("dzd_soak01", "flaky-job")
        for i in range(40):
            flaky.add(make_run("flaky-%02d" % i, STATUSES[(i * 3) % len(STATUSES)],
                               base + i * 3600000, rng, detailed=i % 2 == 0))
        self._job("dzd_soak01", "empty-job")

        other = self._job("dzd-soak02", "other-job")
        for i in range(25):
            other.add(make_run("other-%d" % i, rng.choice(STATUSES), base - i * 60000, rng))

        team = self._job(self.private_domain, "team-job")
        for i in range(30):
            team.add(make_run("team-%03d" % i, STATUSES[i % 3], base + i * 1000, rng))

        for job in self.jobs.values():
            if not job.generate:
                job.finish()

    def _job(self, domain, name):
        job = Job(domain, name)
        self.jobs[(domain, name)] = job
        return job

    @property
    def domains(self):
        return sorted({domain for domain, _ in self.jobs})

    def total_runs(self):
        return sum(len(job.explicit) + (job.generate[0] if job.generate else 0)
                   for job in self.jobs.values())

    def yaml(self):
        lines = ["# datazone-mock soak test fixture (generated; rewritten unchanged for reloads)",
                 "domains:"]
        for domain in self.domains:
            lines.append("  %s:" % domain)
            if domain == self.private_domain:
                lines.append("    allowedAccessKeyIds: [%s]" % self.team_key)
            lines.append("    jobs:")
            for (job_domain, _), job in sorted(self.jobs.items()):
                if job_domain == domain:
                    lines.extend(job.yaml())
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Scenarios: every rule aims at something only this script sends on purpose.

SCENARIOS = {
    "soak-errors": """\
name: soak-errors
description: Soak test errors, each for one dedicated accessKeyId, domain or job.
rules:
  - when: {accessKeyId: AKIDSOAKTHROTTLE}
    respond: {error: ThrottlingException, message: Rate exceeded}
  - when: {accessKeyId: AKIDSOAKDENIED}
    respond: {error: AccessDeniedException}
  - when: {accessKeyId: AKIDSOAKNOTFOUND}
    respond: {error: ResourceNotFoundException}
  - when: {accessKeyId: AKIDSOAKINTERNAL}
    respond: {error: InternalServerException}
  - when: {accessKeyId: AKIDSOAKUNAVAILABLE}
    respond: {error: ServiceUnavailableException}
  - when: {accessKeyId: AKIDSOAKCUSTOM}
    respond: {error: InternalServerException, status: 502, message: "soak: custom failure"}
  - when: {accessKeyId: AKIDSOAKFLAKY, probability: 0.3}
    respond: {error: InternalServerException}
  - when: {accessKeyId: AKIDSOAKEVERY3, calls: every 3}
    respond: {error: ThrottlingException, message: Every third call is throttled}
  - when: {accessKeyId: AKIDSOAKFIRST2, calls: 1-2}
    respond: {error: ThrottlingException, message: Rate exceeded}
  - when: {domain: "dzd_soakdenied*"}
    respond: {error: AccessDeniedException, message: This domain is off limits}
  - when: {domain: dzd_soak01, job: flaky-job, status: FAILED}
    respond: {error: InternalServerException, message: FAILED runs of flaky-job cannot be listed}
""",
    "soak-transport": """\
name: soak-transport
description: Soak test transport faults, each for one dedicated accessKeyId.
rules:
  - when: {accessKeyId: AKIDSOAKRESET}
    respond: {fault: reset}
  - when: {accessKeyId: AKIDSOAKCLOSE}
    respond: {fault: close}
  - when: {accessKeyId: AKIDSOAKEMPTY}
    respond: {fault: empty}
  - when: {accessKeyId: AKIDSOAKMALFORMED}
    respond: {fault: malformed-json}
  - when: {accessKeyId: AKIDSOAKTRUNCATE}
    respond: {fault: truncate}
""",
    "soak-delay": """\
name: soak-delay
description: Soak test delays for one dedicated accessKeyId, then the normal answer.
rules:
  - when: {accessKeyId: AKIDSOAKSLOW}
    respond: {delay: 2ms-12ms}
""",
    "soak-toggle": """\
name: soak-toggle
description: Soak test scenario switched on and off while requests run.
rules:
  - when: {accessKeyId: AKIDSOAKTOGGLE}
    respond: {error: ServiceUnavailableException}
  - when: {accessKeyId: AKIDSOAKTOGGLECLOSE}
    respond: {fault: close}
""",
}
ALWAYS_ACTIVE = ["soak-errors", "soak-transport", "soak-delay"]
DELAY_MIN_SECONDS = 0.002

# accessKeyId -> (status, error type, message) of the rule aimed at it; see Model.scenario().
ERROR_KEYS = {
    "AKIDSOAKTHROTTLE": (429, "ThrottlingException", "Rate exceeded"),
    "AKIDSOAKDENIED": (403, "AccessDeniedException", DEFAULT_MESSAGES["AccessDeniedException"]),
    "AKIDSOAKNOTFOUND": (404, "ResourceNotFoundException",
                         DEFAULT_MESSAGES["ResourceNotFoundException"]),
    "AKIDSOAKINTERNAL": (500, "InternalServerException",
                         DEFAULT_MESSAGES["InternalServerException"]),
    "AKIDSOAKUNAVAILABLE": (503, "ServiceUnavailableException",
                            DEFAULT_MESSAGES["ServiceUnavailableException"]),
    "AKIDSOAKCUSTOM": (502, "InternalServerException", "soak: custom failure"),
}
MAYBE_ERROR_KEYS = {
    "AKIDSOAKFLAKY": (500, "InternalServerException", DEFAULT_MESSAGES["InternalServerException"]),
    "AKIDSOAKEVERY3": (429, "ThrottlingException", "Every third call is throttled"),
}
TRANSPORT_KEYS = {"AKIDSOAKRESET": "reset", "AKIDSOAKCLOSE": "close", "AKIDSOAKEMPTY": "empty",
                  "AKIDSOAKMALFORMED": "malformed-json", "AKIDSOAKTRUNCATE": "truncate"}
FAULT_KEYS = (list(ERROR_KEYS) + list(MAYBE_ERROR_KEYS) + list(TRANSPORT_KEYS)
              + ["AKIDSOAKSLOW", "AKIDSOAKTOGGLE", "AKIDSOAKTOGGLECLOSE"])
CLEAN_KEYS = [""] + ["AKIDSOAKCLEAN%02d" % i for i in range(8)]


def authorization(key):
    if not key:
        return {}
    return {"Authorization": "AWS4-HMAC-SHA256 Credential=%s/20261129/us-east-1/datazone/"
                             "aws4_request, SignedHeaders=host;x-amz-date, Signature=%s"
                             % (key, "0" * 64)}


# --------------------------------------------------------------------------------------------
# HTTP


class Response:
    __slots__ = ("status", "headers", "body", "fault", "elapsed")

    def __init__(self, status=None, headers=None, body=b"", fault=None, elapsed=0.0):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.fault = fault      # None, "reset", "close", "truncate" or "error: ..."
        self.elapsed = elapsed

    def describe(self):
        if self.fault and self.status is None:
            return "transport %s" % self.fault
        text = "%s %s %r" % (self.status, self.headers.get("x-amzn-errortype", "-"),
                             self.body[:300])
        return text + (" (then %s)" % self.fault if self.fault else "")


class Connection:
    """One keep-alive connection; reopened after the server drops it."""

    def __init__(self, port):
        self.port = port
        self.http = None
        self.last_used = 0.0
        self.opened = 0

    def close(self):
        if self.http is not None:
            self.http.close()
            self.http = None

    def request(self, method, target, headers=None, body=None):
        if self.http is not None and time.monotonic() - self.last_used > IDLE_RECONNECT_SECONDS:
            self.close()
        if self.http is None:
            self.http = http.client.HTTPConnection("127.0.0.1", self.port,
                                                   timeout=HANG_GUARD_SECONDS)
            self.opened += 1
        start = time.monotonic()
        try:
            self.http.request(method, target, body=body, headers=headers or {})
            answer = self.http.getresponse()
        except http.client.RemoteDisconnected:  # a subclass of ConnectionResetError: first
            self.close()
            return Response(fault="close", elapsed=time.monotonic() - start)
        except ConnectionResetError:
            self.close()
            return Response(fault="reset", elapsed=time.monotonic() - start)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Response(fault="error: %r" % error, elapsed=time.monotonic() - start)
        headers = {name.lower(): value for name, value in answer.getheaders()}
        try:
            body = answer.read()
        except http.client.IncompleteRead as error:
            self.close()
            return Response(answer.status, headers, error.partial, "truncate",
                            time.monotonic() - start)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Response(answer.status, headers, b"", "error: %r" % error,
                            time.monotonic() - start)
        if answer.will_close:
            self.close()
        self.last_used = time.monotonic()
        return Response(answer.status, headers, body, None, time.monotonic() - start)


def run_target(domain, job, params):
    """params: [(name, raw value)], values percent-encoded here."""
    target = "/v2/domains/%s/jobs/%s/runs" % (domain, job)
    if params:
        target += "?" + "&".join("%s=%s" % (name, urllib.parse.quote(value, safe=""))
                                 for name, value in params)
    return target


# --------------------------------------------------------------------------------------------
# The model: what the documented contract says the answer to a request is.


def validation_message(problems):
    count = len(problems)
    return "%d validation error%s detected: %s" % (count, "" if count == 1 else "s",
                                                   "; ".join(problems))


class Model:
    def __init__(self, fixture):
        self.fixture = fixture

    def normal(self, domain_raw, job_raw, params, key):
        """("error", status, type, message) | ("page", job, status, ascending, maxResults) |
        ("token", job, status, ascending, maxResults, token) when a nextToken decides."""
        domain = urllib.parse.unquote(domain_raw)
        job_name = urllib.parse.unquote(job_raw)
        first = {}
        for name, value in params:
            first.setdefault(name, value)
        max_results = first.get("maxResults")
        if max_results is not None:
            if (not re.fullmatch(r"[+-]?[0-9]+", max_results)
                    or not -2**31 <= int(max_results) < 2**31):
                return ("error", 400, "SerializationException",
                        "Value at 'maxResults' cannot be converted to an integer")
        problems = []
        prefix = "Value at '%s' failed to satisfy constraint: Member must "
        if not re.fullmatch(DOMAIN_PATTERN, domain):
            problems.append(prefix % "domainIdentifier" + "satisfy regular expression pattern: "
                            + DOMAIN_PATTERN)
        if not re.fullmatch(JOB_PATTERN, job_name):
            problems.append(prefix % "jobIdentifier" + "satisfy regular expression pattern: "
                            + JOB_PATTERN)
        status = first.get("status")
        if status is not None and status not in STATUSES:
            problems.append(prefix % "status"
                            + "satisfy enum value set: [%s]" % ", ".join(STATUSES))
        sort = first.get("sortOrder")
        if sort is not None and sort not in ("ASCENDING", "DESCENDING"):
            problems.append(prefix % "sortOrder"
                            + "satisfy enum value set: [ASCENDING, DESCENDING]")
        token = first.get("nextToken")
        if token is not None and len(token) < 1:
            problems.append(prefix % "nextToken" + "have length greater than or equal to 1")
        if token is not None and len(token) > 8192:
            problems.append(prefix % "nextToken" + "have length less than or equal to 8192")
        if max_results is not None and int(max_results) < 1:
            problems.append(prefix % "maxResults" + "have value greater than or equal to 1")
        if max_results is not None and int(max_results) > 50:
            problems.append(prefix % "maxResults" + "have value less than or equal to 50")
        if problems:
            return ("error", 400, "ValidationException", validation_message(problems))
        not_found = ("error", 404, "ResourceNotFoundException",
                     DEFAULT_MESSAGES["ResourceNotFoundException"])
        if domain not in self.fixture.domains:
            return not_found
        if domain == self.fixture.private_domain and key != self.fixture.team_key:
            return ("error", 403, "AccessDeniedException",
                    DEFAULT_MESSAGES["AccessDeniedException"])
        job = self.fixture.jobs.get((domain, job_name))
        if job is None:
            return not_found
        ascending = sort == "ASCENDING"
        size = int(max_results) if max_results is not None else 50
        if token is not None:
            return ("token", job, status, ascending, size, token)
        return ("page", job, status, ascending, size)

    @staticmethod
    def scenario(domain_raw, job_raw, params, key, toggle):
        """What the active scenarios do to this request, as a list of acceptable outcomes
        (("normal",), ("error", status, type, message), ("fault", kind), ("delay",)), or None
        when no scenario aims at it. `toggle`: True/False when soak-toggle is known to be on/off
        for the whole request, None when it was switched meanwhile."""
        domain = urllib.parse.unquote(domain_raw)
        job = urllib.parse.unquote(job_raw)
        status = None
        for name, value in params:
            if name == "status":
                status = value
                break
        if key in ERROR_KEYS:
            return [("error",) + ERROR_KEYS[key]]
        if key in MAYBE_ERROR_KEYS:
            return [("error",) + MAYBE_ERROR_KEYS[key], ("normal",)]
        if key == "AKIDSOAKFIRST2":
            raise SoakFailure("AKIDSOAKFIRST2 is the admin thread's own")
        if key in TRANSPORT_KEYS:
            return [("fault", TRANSPORT_KEYS[key])]
        if key == "AKIDSOAKSLOW":
            return [("delay",)]
        if key in ("AKIDSOAKTOGGLE", "AKIDSOAKTOGGLECLOSE"):
            on = (("error", 503, "ServiceUnavailableException",
                   DEFAULT_MESSAGES["ServiceUnavailableException"]) if key == "AKIDSOAKTOGGLE"
                  else ("fault", "close"))
            if toggle is None:
                return [on, ("normal",)]
            return [on] if toggle else [("normal",)]
        if domain.startswith("dzd_soakdenied"):
            return [("error", 403, "AccessDeniedException", "This domain is off limits")]
        if domain == "dzd_soak01" and job == "flaky-job" and status == "FAILED":
            return [("error", 500, "InternalServerException",
                     "FAILED runs of flaky-job cannot be listed")]
        return None


def normalize(item):
    out = dict(item)
    for member in ("createdAt", "startTime", "endTime"):
        if member in out:
            out[member] = int(round(out[member] * 1000))
    return out


# --------------------------------------------------------------------------------------------
# Shared state


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.admin_calls = 0
        self.by_status = collections.Counter()
        self.outcomes = collections.Counter()   # what the server's metrics must show
        self.transport = collections.Counter()
        self.listings = collections.Counter()
        self.tasks = collections.Counter()
        self.ambiguous_toggle = 0
        self.failures = []

    def fail(self, message):
        with self.lock:
            self.failures.append(message)

    def record(self, response, outcome):
        with self.lock:
            self.by_status[response.status if response.status is not None else response.fault] += 1
            self.outcomes[outcome] += 1
            if response.fault in ("reset", "close", "truncate"):
                self.transport[response.fault] += 1
            elif outcome in ("fault:empty", "fault:malformed-json"):
                self.transport[outcome[len("fault:"):]] += 1


class Phases:
    """Request budget with two stops: after the warm-up and at the end. Threads park at a stop;
    a stop is reached when every thread has parked since the budget was last raised."""

    def __init__(self, limit, members):
        self.cond = threading.Condition()
        self.limit = limit
        self.sent = 0
        self.members = members
        self.generation = 0
        self.parked = collections.Counter()  # generation -> threads parked in it
        self.finished = False
        self.abort = False

    def count(self, n=1):
        with self.cond:
            self.sent += n

    def wait_turn(self, extra_condition=lambda: True):
        """False when the run is over. Parks while the budget is spent."""
        with self.cond:
            while (self.sent >= self.limit and extra_condition() and not self.finished
                   and not self.abort):
                generation = self.generation
                self.parked[generation] += 1
                self.cond.notify_all()
                self.cond.wait()
                self.parked[generation] -= 1
            return not (self.finished or self.abort)

    def wait_all_parked(self, server_alive):
        with self.cond:
            while self.parked[self.generation] < self.members and not self.abort:
                self.cond.wait(0.2)
                if not server_alive():
                    self.abort = True
            return not self.abort

    def release(self, new_limit=None, finish=False):
        with self.cond:
            if new_limit is not None:
                self.limit = new_limit
            self.finished = finish
            self.generation += 1
            self.cond.notify_all()

    def stop(self):
        with self.cond:
            self.abort = True
            self.cond.notify_all()


class Toggle:
    """soak-toggle's state as the admin thread switches it: an odd epoch means switching."""

    def __init__(self):
        self.lock = threading.Lock()
        self.epoch = 0
        self.on = False

    def snapshot(self):
        with self.lock:
            return self.epoch, self.on


# --------------------------------------------------------------------------------------------
# Checks of single answers


class Checker:
    def __init__(self, model, stats):
        self.model = model
        self.stats = stats

    @staticmethod
    def common_headers(response):
        request_id = response.headers.get("x-amzn-requestid", "")
        if not UUID.match(request_id):
            return "no x-amzn-RequestId UUID"
        if "date" not in response.headers:
            return "no Date header"
        if response.headers.get("content-type") != "application/json":
            return "Content-Type %r" % response.headers.get("content-type")
        return None

    def error_matches(self, response, status, error_type, message):
        if response.fault or response.status != status:
            return False
        header = response.headers.get("x-amzn-errortype", "")
        wanted = error_type + (VALIDATE_SUFFIX if error_type == "ValidationException" else "")
        if header != wanted or self.common_headers(response):
            return False
        try:
            body = json.loads(response.body)
        except ValueError:
            return False
        return body == {"message": message}

    def page_problem(self, response, job, status, ascending, ids, has_token):
        """None when `response` is exactly this page, else what is wrong."""
        if response.fault or response.status != 200:
            return "expected 200"
        problem = self.common_headers(response)
        if problem:
            return problem
        if "x-amzn-errortype" in response.headers:
            return "x-amzn-ErrorType on a 200"
        try:
            body = json.loads(response.body)
        except ValueError as error:
            return "body is not JSON: %s" % error
        items = body.get("items")
        if not isinstance(items, list):
            return "no items list"
        got = [item.get("runId") for item in items]
        if got != ids:
            return "run ids %s... expected %s..." % (got[:5], ids[:5])
        for item in items:
            if normalize(item) != job.items[item["runId"]]:
                return "item %r differs from the fixture %r" % (item, job.items[item["runId"]])
            if status is not None and item["status"] != status:
                return "status filter %s returned %s" % (status, item["status"])
        token = body.get("nextToken")
        if has_token and not (isinstance(token, str) and re.fullmatch(r"[A-Za-z0-9_-]+", token)):
            return "nextToken %r, expected one" % (token,)
        if not has_token and "nextToken" in body:
            return "nextToken on the last page"
        if set(body) - {"items", "nextToken"}:
            return "unexpected members %s" % sorted(set(body) - {"items", "nextToken"})
        return None

    def check(self, response, normal, scenario, describe, token_answer=None):
        """Checks `response` against the normal answer and the scenario; records it; returns
        the parsed page body (or None). `token_answer`: for ("token", ...) normal answers, either
        ("page", ids, has_token) or ("invalid",)."""
        def normal_outcome():
            kind = normal[0]
            if kind == "error":
                _, status, error_type, message = normal
                return ("error", status, error_type, message)
            job, status, ascending, size = normal[1:5]
            if kind == "token":
                if token_answer[0] == "invalid":
                    return ("error", 400, "ValidationException", INVALID_TOKEN)
                return ("page", job, status, ascending, token_answer[1], token_answer[2])
            ids = job.lists[(status, ascending)]
            return ("page", job, status, ascending, ids[:size], len(ids) > size)

        base = normal_outcome()
        acceptable = scenario if scenario is not None else [("normal",)]
        problems = []
        for outcome in acceptable:
            if outcome[0] in ("normal", "delay"):
                outcome = base
            if outcome[0] == "error":
                if self.error_matches(response, *outcome[1:]):
                    self.stats.record(response, outcome[2])
                    return None
                problems.append("expected %s %s %r" % outcome[1:])
            elif outcome[0] == "page":
                problem = self.page_problem(response, *outcome[1:])
                if problem is None:
                    self.stats.record(response, "ok")
                    return json.loads(response.body)
                problems.append("expected page: %s" % problem)
            elif outcome[0] == "fault":
                kind = outcome[1]
                if self.fault_matches(response, kind, base):
                    self.stats.record(response, "fault:" + kind)
                    return None
                problems.append("expected fault %s" % kind)
        self.stats.record(response, "unexpected")
        raise SoakFailure("%s: got %s; %s" % (describe, response.describe(),
                                              "; or ".join(problems)))

    def fault_matches(self, response, kind, base):
        if kind in ("reset", "close"):
            return response.fault == kind and response.status is None
        if kind == "empty":
            return (response.fault is None and response.status == 200 and response.body == b""
                    and response.headers.get("content-length") == "0"
                    and self.common_headers(response) is None)
        if kind == "malformed-json":
            if (response.fault is not None or response.status != 200
                    or self.common_headers(response)):
                return False
            try:
                json.loads(response.body)
            except ValueError:
                return True
            return False
        if kind == "truncate":
            # The real answer, cut to half its body after full headers.
            expected_status = base[1] if base[0] == "error" else 200
            length = int(response.headers.get("content-length", "-1"))
            return (response.fault == "truncate" and response.status == expected_status
                    and len(response.body) == length // 2 and self.common_headers(response) is None)
        return False


# --------------------------------------------------------------------------------------------
# Client workers


class Worker(threading.Thread):
    def __init__(self, index, soak):
        super().__init__(name="client-%d" % index, daemon=True)
        self.soak = soak
        self.rng = random.Random(soak.args.seed * 1000 + index)
        self.connection = Connection(soak.port)
        self.model = soak.model
        self.fixture = soak.fixture

    # Sending --------------------------------------------------------------------------------

    def send(self, target, key, method="GET", body=None):
        headers = authorization(key)
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.connection.request(method, target, headers, body)
        self.soak.phases.count()
        return response

    def exchange(self, domain, job, params, key, token_answer=None, describe=None):
        """Sends one ListJobRuns request and checks it; returns the page body or None."""
        target = run_target(domain, job, params)
        toggle_before = self.soak.toggle.snapshot()
        response = self.send(target, key)
        toggle_after = self.soak.toggle.snapshot()
        stable = toggle_before[0] == toggle_after[0] and toggle_before[0] % 2 == 0
        if not stable and key in ("AKIDSOAKTOGGLE", "AKIDSOAKTOGGLECLOSE"):
            with self.soak.stats.lock:
                self.soak.stats.ambiguous_toggle += 1
        scenario = Model.scenario(domain, job, params, key, toggle_before[1] if stable else None)
        normal = self.model.normal(domain, job, params, key)
        if scenario == [("delay",)] and not response.fault and response.elapsed < DELAY_MIN_SECONDS:
            raise SoakFailure("%s answered after %.4f s, before the injected delay"
                              % (target, response.elapsed))
        return self.soak.checker.check(response, normal, scenario,
                                       describe or "GET %s (key %r)" % (target, key), token_answer)

    # Choices ----------------------------------------------------------------------------------

    def pick_job(self, listing):
        jobs = [("dzd_soak01", "big-job", 3), ("dzd_soak01", "small-job", 4),
                ("dzd_soak01", "flaky-job", 2), ("dzd_soak01", "empty-job", 1),
                ("dzd-soak02", "other-job", 2), (self.fixture.private_domain, "team-job", 1)]
        if listing:
            jobs[0] = ("dzd_soak01", "big-job", 1)  # a deep listing is a hundred requests
        domain, job, _ = self.rng.choices(jobs, weights=[weight for _, _, weight in jobs])[0]
        return domain, job

    def pick_query(self, domain, job, small_pages):
        status = None
        if self.rng.random() < 0.6:
            status = self.rng.choice(STATUSES)
            if job == "flaky-job" and status == "FAILED":
                status = None  # FAILED runs of flaky-job are the job-targeted fault
        sort = self.rng.choice([None, "ASCENDING", "DESCENDING"])
        if self.rng.random() < 0.3:
            size = None
        elif small_pages:
            size = self.rng.randint(1, 50)
        else:
            size = self.rng.randint(25, 50)
        return status, sort, size

    @staticmethod
    def params(status, sort, size, token=None):
        params = []
        if status is not None:
            params.append(("status", status))
        if sort is not None:
            params.append(("sortOrder", sort))
        if size is not None:
            params.append(("maxResults", str(size)))
        if token is not None:
            params.append(("nextToken", token))
        return params

    def caller_for(self, domain):
        if domain == self.fixture.private_domain:
            return self.fixture.team_key
        return self.rng.choice(CLEAN_KEYS)

    # Tasks ------------------------------------------------------------------------------------

    def task_first_page(self):
        domain, job = self.pick_job(listing=False)
        status, sort, size = self.pick_query(domain, job, small_pages=True)
        key = self.caller_for(domain)
        if domain == self.fixture.private_domain and self.rng.random() < 0.3:
            key = self.rng.choice(CLEAN_KEYS)  # not on its list: AccessDeniedException
        self.exchange(domain, job, self.params(status, sort, size), key)

    def task_listing(self):
        domain, job_name = self.pick_job(listing=True)
        job = self.fixture.jobs[(domain, job_name)]
        small = job_name != "big-job"
        status, sort, size = self.pick_query(domain, job_name, small_pages=small)
        change_sizes = self.rng.random() < 0.2
        key = self.caller_for(domain)
        ascending = sort == "ASCENDING"
        expected = job.lists[(status, ascending)]
        seen = []
        tokens = set()
        token = None
        pages = 0
        while True:
            page_size = size if size is not None else 50
            params = self.params(status, sort, size, token)
            want = expected[len(seen):len(seen) + page_size]
            more = len(seen) + page_size < len(expected)
            if token is not None:
                if not want:
                    raise SoakFailure("listing %s/%s: a nextToken led past the end"
                                      % (domain, job_name))
                answer = ("page", want, more)
            else:
                answer = None
            describe = "listing %s/%s status=%s sortOrder=%s page %d (key %r)" % (
                domain, job_name, status, sort, pages + 1, key)
            body = self.exchange(domain, job_name, params, key, answer, describe)
            pages += 1
            ids = [item["runId"] for item in body["items"]]
            if token is not None:
                self.soak.remember_token(domain, job_name, status, sort, size, token, ids,
                                         "nextToken" in body)
            seen.extend(ids)
            token = body.get("nextToken")
            if token is None:
                break
            if token in tokens:
                raise SoakFailure("%s: nextToken repeated within one listing" % describe)
            tokens.add(token)
            if change_sizes:
                size = self.rng.randint(1 if small else 25, 50)
        if seen != expected:
            raise SoakFailure("listing %s/%s status=%s sortOrder=%s returned %d runs, expected %d"
                              % (domain, job_name, status, sort, len(seen), len(expected)))
        if len(set(seen)) != len(seen):
            raise SoakFailure("listing %s/%s returned a run twice" % (domain, job_name))
        with self.soak.stats.lock:
            self.soak.stats.listings["filtered" if status else "unfiltered"] += 1
            self.soak.stats.listings["pages"] += pages

    def task_invalid(self):
        rng = self.rng
        kind = rng.random()
        key = rng.choice(CLEAN_KEYS)
        if kind < 0.1:
            # Unknown operations: routing comes before faults, so even a fault key gets 404.
            key = rng.choice(CLEAN_KEYS + FAULT_KEYS)
            method, target = rng.choice([
                ("GET", "/v2/domains/dzd_soak01/jobs/big-job"),
                ("GET", "/v2/domains/dzd_soak01/jobs/big-job/runs/extra"),
                ("POST", "/v2/domains/dzd_soak01/jobs/big-job/runs"),
                ("DELETE", "/v2/domains/dzd_soak01/jobs/big-job/runs"),
                ("GET", "/v2/jobs"),
                ("GET", "/"),
            ])
            response = self.send(target, key, method, b"" if method == "POST" else None)
            self.soak.checker.check(
                response, ("error", 404, "UnknownOperationException", UNKNOWN_OPERATION),
                None, "%s %s (key %r)" % (method, target, key))
            return
        if kind < 0.13:
            # A request line over 8,192 bytes: 414 from the HTTP layer, before any scenario.
            token = "A" * rng.randint(8200, 9000)
            target = run_target("dzd_soak01", "small-job", [("nextToken", token)])
            response = self.send(target, key)
            self.soak.checker.check(response, ("error", 414, "RequestUriTooLong",
                                               "The request line is longer than 8192 bytes."),
                                    None, "GET <%d-byte target>" % len(target))
            return
        domain, job = self.pick_job(listing=False)
        status, sort, size = self.pick_query(domain, job, small_pages=True)
        params = {"status": status, "sortOrder": sort,
                  "maxResults": None if size is None else str(size)}
        mutations = rng.sample(["domain", "job", "status", "sortOrder", "maxResults", "nextToken",
                                "maxResultsType", "unknownDomain", "unknownJob"], rng.randint(1, 3))
        for mutation in mutations:
            if mutation == "domain":
                domain = rng.choice(["baddomain", "dzd", "dzd_", "dzd_" + "x" * 37, "DZD_soak01",
                                     "dzd_soak01%2Fx", "dzd%20soak01", ""])
            elif mutation == "job":
                job = rng.choice(["x" * 37, "big%2Fjob", "big.job", "", "big%20job"])
            elif mutation == "status":
                params["status"] = rng.choice(["success", "", "FAILED ", "Failed", "RUNNING"])
            elif mutation == "sortOrder":
                params["sortOrder"] = rng.choice(["asc", "", "DESC", "descending", "ASCENDING "])
            elif mutation == "maxResults":
                params["maxResults"] = rng.choice(["0", "51", "-3", "1000", "-2147483648",
                                                   "2147483647"])
            elif mutation == "maxResultsType":
                params["maxResults"] = rng.choice(["abc", "2.5", "", "1e3", " 5", "2147483648",
                                                   "0x10"])
            elif mutation == "nextToken":
                params["nextToken"] = ""
            elif mutation == "unknownDomain":
                domain = rng.choice(["dzd_nope", "dzd-unknown_1", "dzd_soak03"])
            elif mutation == "unknownJob":
                job = rng.choice(["nope-job", "big-job2", "BIG-JOB"])
        if rng.random() < 0.1:
            job = "big%2Djob"  # percent-decoded per label: the same as big-job
        listed = [(name, value) for name, value in params.items() if value is not None]
        rng.shuffle(listed)  # parameters in any order
        if rng.random() < 0.2:
            listed.append(("unknownParameter", "ignored"))
        if rng.random() < 0.2 and listed:
            listed.append((listed[0][0], "repeated-ignored"))  # the first wins
        self.exchange(domain, job, listed, self.caller_for(urllib.parse.unquote(domain)))

    def task_token(self):
        rng = self.rng
        entry = self.soak.pick_token(rng)
        if entry is None:
            self.task_first_page()
            return
        domain, job_name, status, sort, size, token, ids, more = entry
        job = self.fixture.jobs[(domain, job_name)]
        key = rng.choice(CLEAN_KEYS)
        kind = rng.randrange(8)
        if kind == 0:
            # Replay: tokens are stateless; the same page again, also after reloads.
            self.exchange(domain, job_name, self.params(status, sort, size, token), key,
                          ("page", ids, more))
            return
        if kind == 1 and sort in (None, "DESCENDING"):
            # The binding is the effective sort order: absent and DESCENDING are one.
            other = "DESCENDING" if sort is None else None
            self.exchange(domain, job_name, self.params(status, other, size, token), key,
                          ("page", ids, more))
            return
        if kind <= 2:
            # Another status, sort order, job or domain: refused.
            choice = rng.randrange(4)
            if choice == 0:
                status = rng.choice([None] + [s for s in STATUSES if s != status])
                if job_name == "flaky-job" and status == "FAILED":
                    status = None if entry[2] is not None else "SUCCESS"
            elif choice == 1:
                sort = "ASCENDING" if sort != "ASCENDING" else rng.choice([None, "DESCENDING"])
            elif choice == 2:
                candidates = [name for (d, name) in self.fixture.jobs
                              if d == domain and name != job_name]
                job_name = rng.choice(candidates) if candidates else job_name
                if job_name == "flaky-job" and status == "FAILED":
                    status = None
            else:
                domain, job_name = rng.choice([("dzd-soak02", "other-job"),
                                               ("dzd_soak01", "small-job")])
                if (domain, job_name) == (entry[0], entry[1]):
                    domain, job_name = "dzd_soak01", "empty-job"
            if (domain, job_name, status, sort == "ASCENDING") == (entry[0], entry[1], entry[2],
                                                                   entry[3] == "ASCENDING"):
                status = None if status else "SUCCESS"
            self.exchange(domain, job_name, self.params(status, sort, size, token), key,
                          ("invalid",))
            return
        if kind == 3:
            position = rng.randrange(len(token))
            replacement = rng.choice([c for c in TOKEN_ALPHABET if c != token[position]])
            forged = token[:position] + replacement + token[position + 1:]
        elif kind == 4:
            forged = token[:rng.randint(1, len(token) - 1)]
        elif kind == 5:
            forged = base64.urlsafe_b64encode(os.urandom(len(token) * 3 // 4)).decode().rstrip("=")
        elif kind == 6:
            forged = rng.choice(["abc!def", "%00", "token with spaces", "====", "A", "ü",
                                 token + "AA", "Bearer " + token])
        else:
            forged = "".join(rng.choice(TOKEN_ALPHABET) for _ in range(rng.randint(1, 400)))
        self.exchange(domain, job_name, self.params(status, sort, size, forged), key, ("invalid",))

    def task_fault(self):
        rng = self.rng
        kind = rng.random()
        if kind < 0.08:
            # A domain that a rule denies, whatever else the request says.
            domain = "dzd_soakdenied" + rng.choice(["", "-1", "_x", "-" + "y" * 40])
            job = rng.choice(["big-job", "any", "x" * 40])
            self.exchange(domain, job, self.params(*self.pick_query(domain, job, True)),
                          rng.choice(CLEAN_KEYS))
            return
        if kind < 0.16:
            # The job rule: FAILED runs of flaky-job, even with otherwise invalid parameters.
            params = [("status", "FAILED")]
            if rng.random() < 0.3:
                params.append(("maxResults", rng.choice(["0", "abc", "10"])))
            self.exchange("dzd_soak01", "flaky-job", params, rng.choice(CLEAN_KEYS))
            return
        key = rng.choice(FAULT_KEYS)
        domain, job = self.pick_job(listing=False)
        status, sort, size = self.pick_query(domain, job, True)
        params = self.params(status, sort, size)
        if rng.random() < 0.25:
            # Faults come before validation: invalid requests get them too.
            params.append(("maxResults", rng.choice(["0", "abc", "99"])))
            params.reverse()
        self.exchange(domain, job, params, key)

    def run(self):
        tasks = [(self.task_first_page, 25), (self.task_listing, 18), (self.task_invalid, 17),
                 (self.task_token, 15), (self.task_fault, 25)]
        functions = [task for task, _ in tasks]
        weights = [weight for _, weight in tasks]
        try:
            while self.soak.phases.wait_turn():
                task = self.rng.choices(functions, weights)[0]
                task()
                with self.soak.stats.lock:
                    self.soak.stats.tasks[task.__name__[len("task_"):]] += 1
        except SoakFailure as failure:
            self.soak.stats.fail(str(failure))
            self.soak.phases.stop()
        except Exception as error:  # a bug here must fail the run, not hang it
            self.soak.stats.fail("%s crashed: %r" % (self.name, error))
            self.soak.phases.stop()
        finally:
            self.connection.close()


# --------------------------------------------------------------------------------------------
# The admin thread


class Admin(threading.Thread):
    SEED_DOMAIN = "dzd_soakseed"
    SEED_JOB = "seeded-job"

    def __init__(self, soak):
        super().__init__(name="admin", daemon=True)
        self.soak = soak
        self.rng = random.Random(soak.args.seed)
        self.cycles = 0
        self.phase_cycles = 0
        self.first2_calls = 0
        self.first2_throttled = 0
        self.reloads = 0
        self.seeds = 0
        self.toggles = 0
        self.active = list(ALWAYS_ACTIVE)
        self.connection = Connection(soak.port)
        self.seed_runs = [{"runId": "seed-%03d" % i, "status": STATUSES[i % len(STATUSES)],
                           "createdAt": "2025-0%d-%02dT%02d:00:00Z"
                                        % (1 + i % 9, 1 + i % 28, i % 24)}
                          for i in range(75)]

    def call(self, method, target, body=None, key=None):
        """One admin or API call on the admin thread's keep-alive connection: the server serves
        a connection on one worker thread, so the large admin answers (the journal, seeding)
        stay on one thread instead of touching the stack and caches of every thread in turn."""
        headers = authorization(key) if key else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.connection.request(method, target, headers, body)
        if target.startswith("/_mock/"):
            with self.soak.stats.lock:
                self.soak.stats.admin_calls += 1
        else:
            self.soak.phases.count()
        if response.fault:
            raise SoakFailure("%s %s: %s" % (method, target, response.describe()))
        return response

    def json_call(self, method, target, body=None, status=200):
        response = self.call(method, target, None if body is None else json.dumps(body).encode())
        if response.status != status:
            raise SoakFailure("%s %s: expected %d, got %s"
                              % (method, target, status, response.describe()))
        try:
            return json.loads(response.body)
        except ValueError:
            raise SoakFailure("%s %s: body is not JSON: %r" % (method, target, response.body[:200]))

    def expect_health(self, seeded):
        health = self.json_call("GET", "/_mock/health")
        fixture = self.soak.fixture
        want = {"domains": len(fixture.domains) + seeded, "jobs": len(fixture.jobs) + seeded,
                "runs": fixture.total_runs() + (len(self.seed_runs) if seeded else 0)}
        got = {name: health.get(name) for name in want}
        reload_ok = health.get("lastReload", {}).get("ok") is True
        if health.get("status") != "ok" or got != want or not reload_ok:
            raise SoakFailure("health %r, expected status ok, %r, lastReload ok" % (health, want))
        if health.get("activeScenarios") != self.active:
            raise SoakFailure("health activeScenarios %r, expected %r"
                              % (health.get("activeScenarios"), self.active))

    def check_metrics(self):
        response = self.call("GET", "/_mock/metrics")
        text = response.body.decode()
        if response.status != 200 or "datazone_mock_requests_total" not in text:
            raise SoakFailure("metrics: %s" % response.describe())
        return parse_metrics(text)

    def check_scenarios(self):
        body = self.json_call("GET", "/_mock/scenarios")
        if body.get("active") != self.active:
            raise SoakFailure("scenarios active %r, expected %r"
                              % (body.get("active"), self.active))
        names = {scenario["name"]: scenario for scenario in body.get("scenarios", [])}
        bundled = ["throttle-then-succeed", "connection-reset", "truncated-body"]
        for name in list(SCENARIOS) + bundled:
            if name not in names:
                raise SoakFailure("scenario %s missing from /_mock/scenarios" % name)
            if names[name]["active"] != (name in self.active):
                raise SoakFailure("scenario %s active=%s" % (name, names[name]["active"]))
        # A bad name changes nothing.
        self.json_call("PUT", "/_mock/scenarios/active",
                       {"active": ["soak-errors", "no-such-scenario"]}, status=400)
        if self.json_call("GET", "/_mock/scenarios").get("active") != self.active:
            raise SoakFailure("a refused activation changed the active scenarios")

    def check_journal(self):
        size = self.soak.args.journal_size

        def unknown_operation(entry):  # routing comes before scenarios
            return entry["status"] == 404 and entry["errorType"] == "UnknownOperationException" \
                and entry["scenario"] is None

        for query, check in [
                ("accessKeyId=AKIDSOAKDENIED",
                 lambda e: e["accessKeyId"] == "AKIDSOAKDENIED" and (unknown_operation(e) or (
                     e["status"] == 403 and e["errorType"] == "AccessDeniedException"
                     and e["scenario"] == "soak-errors" and e["rule"] == 2))),
                ("status=429",
                 lambda e: e["status"] == 429 and e["errorType"] == "ThrottlingException"),
                ("errorType=InternalServerException",
                 lambda e: e["status"] in (500, 502)
                 and e["errorType"] == "InternalServerException"),
                ("accessKeyId=AKIDSOAKRESET",
                 lambda e: e["accessKeyId"] == "AKIDSOAKRESET" and (unknown_operation(e) or (
                     e["scenario"] == "soak-transport" and e["rule"] == 1)))]:
            entries = self.json_call("GET", "/_mock/requests?" + query).get("requests")
            if not isinstance(entries, list) or len(entries) > size:
                raise SoakFailure("journal ?%s: %d entries, journal size %d"
                                  % (query, len(entries), size))
            for entry in entries:
                if not check(entry):
                    raise SoakFailure("journal ?%s returned %r" % (query, entry))
        # Unfiltered, every cycle: the warm-up must have seen the largest admin answer.
        entries = self.json_call("GET", "/_mock/requests")["requests"]
        ids = [entry["id"] for entry in entries]
        if len(ids) > size or ids != sorted(ids) or len(set(ids)) != len(ids):
            raise SoakFailure("journal: %d entries (size %d), ids in order: %s"
                              % (len(ids), size, ids == sorted(ids)))
        if ids:
            since = ids[len(ids) // 2]
            later = self.json_call("GET", "/_mock/requests?since=%d" % since)["requests"]
            if any(entry["id"] <= since for entry in later):
                raise SoakFailure("journal ?since=%d returned an older entry" % since)

    def switch_toggle(self):
        toggle = self.soak.toggle
        wanted = not toggle.on
        active = ALWAYS_ACTIVE + (["soak-toggle"] if wanted else [])
        with toggle.lock:
            toggle.epoch += 1
        try:
            self.json_call("PUT", "/_mock/scenarios/active", {"active": active})
        finally:
            with toggle.lock:
                toggle.on = wanted
                toggle.epoch += 1
        self.active = active
        self.toggles += 1

    def first2(self):
        """calls: 1-2 on a key only this thread uses, never while a reload runs: exactly two."""
        response = self.call("GET", run_target("dzd_soak01", "small-job", [("maxResults", "1")]),
                             key="AKIDSOAKFIRST2")
        self.first2_calls += 1
        job = self.soak.fixture.jobs[("dzd_soak01", "small-job")]
        normal = ("page", job, None, False, 1)
        if self.first2_calls <= 2:
            scenario = [("error", 429, "ThrottlingException", "Rate exceeded")]
            self.first2_throttled += 1
        else:
            scenario = None
        self.soak.checker.check(response, normal, scenario, "first2 call %d" % self.first2_calls)

    def list_seeded(self, status, sort):
        runs = sorted(self.seed_runs,
                      key=lambda run: (millis(run["createdAt"]), run["runId"].encode()))
        ids = [run["runId"] for run in runs if status is None or run["status"] == status]
        if sort != "ASCENDING":
            ids.reverse()
        seen, token, pages = [], None, 0
        while True:
            params = Worker.params(status, sort, 7, token)
            response = self.call("GET", run_target(self.SEED_DOMAIN, self.SEED_JOB, params))
            if response.status != 200:
                raise SoakFailure("seeded listing: %s" % response.describe())
            self.soak.stats.record(response, "ok")
            body = json.loads(response.body)
            seen.extend(item["runId"] for item in body["items"])
            pages += 1
            token = body.get("nextToken")
            if token is None:
                break
        if seen != ids:
            raise SoakFailure("seeded listing status=%s sortOrder=%s: %s, expected %s"
                              % (status, sort, seen, ids))

    def seed(self):
        body = {"domains": {self.SEED_DOMAIN: {"jobs": {self.SEED_JOB: {"runs": self.seed_runs}}}}}
        self.json_call("POST", "/_mock/fixtures", body)
        self.seeds += 1
        self.expect_health(seeded=True)
        self.list_seeded(None, self.rng.choice([None, "ASCENDING", "DESCENDING"]))
        self.list_seeded(self.rng.choice(STATUSES), "ASCENDING")
        # The same runs again: refused as a whole, nothing applied.
        refused = self.json_call("POST", "/_mock/fixtures", body, status=400)
        if not refused.get("errors") or not refused.get("message"):
            raise SoakFailure("a repeated seed was refused without errors: %r" % refused)
        self.expect_health(seeded=True)

    def reload(self):
        """Rewrites fixture and scenario files unchanged, sends SIGHUP, waits until the seeded
        domain is gone (a reload drops seeded runs)."""
        self.soak.write_files()
        self.soak.process.send_signal(signal.SIGHUP)
        self.reloads += 1
        target = run_target(self.SEED_DOMAIN, self.SEED_JOB, [])
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        polls = 0
        while True:
            response = self.call("GET", target)
            if response.status == 404:
                self.soak.stats.record(response, "ResourceNotFoundException")
                break
            if response.status != 200:
                raise SoakFailure("seeded domain during a reload: %s" % response.describe())
            self.soak.stats.record(response, "ok")
            polls += 1
            if polls % 50 == 0:
                health = self.json_call("GET", "/_mock/health")
                if not health.get("lastReload", {}).get("ok"):
                    raise SoakFailure("SIGHUP: the reload failed: %r" % health.get("lastReload"))
            if time.monotonic() > deadline:
                raise SoakFailure("SIGHUP: the reload did not finish in %d s" % HANG_GUARD_SECONDS)
            time.sleep(0.01)
        self.expect_health(seeded=False)

    def cycle(self):
        self.expect_health(seeded=False)
        self.check_metrics()
        self.check_scenarios()
        self.check_journal()
        self.switch_toggle()
        self.first2()
        self.seed()
        self.reload()
        self.cycles += 1
        self.phase_cycles += 1

    def run(self):
        try:
            while self.soak.phases.wait_turn(lambda: self.phase_cycles >= 2):
                self.cycle()
                time.sleep(0.05)
        except SoakFailure as failure:
            self.soak.stats.fail("admin: %s" % failure)
            self.soak.phases.stop()
        except Exception as error:
            self.soak.stats.fail("admin crashed: %r" % error)
            self.soak.phases.stop()
        finally:
            self.connection.close()


def parse_metrics(text):
    outcomes = {}
    for line in text.splitlines():
        match = re.fullmatch(r'datazone_mock_requests_total\{outcome="([^"]*)"\} (\d+)', line)
        if match:
            outcomes[match.group(1)] = int(match.group(2))
    return outcomes


# --------------------------------------------------------------------------------------------
# The run


def proc_status(pid, field):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SoakFailure("no %s for pid %d" % (field, pid))


def vm_rss_kib(pid):
    return proc_status(pid, "VmRSS")


DIRECTORY_PREFIX = "datazone-mock-soak-"
OWNER_FILE = "soak.pid"  # the pid of the soak using the directory; removed by --keep


def remove_abandoned_directories():
    """Removes the temporary directories of soaks that were killed outright (SIGKILL, as a
    ctest time-out does): those whose soak.pid names no running process. A directory without
    that file (--keep, or not a soak's) is left alone, and so is one of a running soak."""
    parent = tempfile.gettempdir()
    for name in os.listdir(parent):
        directory = os.path.join(parent, name)
        if not name.startswith(DIRECTORY_PREFIX) or os.path.islink(directory):
            continue
        try:
            with open(os.path.join(directory, OWNER_FILE)) as handle:
                pid = int(handle.read())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not os.path.exists("/proc/%d" % pid):
            shutil.rmtree(directory, ignore_errors=True)


class Soak:
    def __init__(self, args):
        self.args = args
        self.fixture = Fixture(args.seed)
        self.model = Model(self.fixture)
        self.stats = Stats()
        self.checker = Checker(self.model, self.stats)
        self.toggle = Toggle()
        self.tokens = collections.deque(maxlen=2000)
        self.tokens_lock = threading.Lock()
        self.server = None
        self.process = None
        self.port = None
        self.phases = None
        self.fixture_text = self.fixture.yaml()
        # Removed by close(), pass or fail (unless --keep); main() calls it in `finally`. Only
        # SIGKILL (a ctest time-out) leaves it behind: the next soak removes it.
        remove_abandoned_directories()
        self.directory = tempfile.mkdtemp(prefix=DIRECTORY_PREFIX)
        self.fixture_path = os.path.join(self.directory, "fixtures", "soak.yaml")
        self.scenario_dir = os.path.join(self.directory, "scenarios")
        self.log_path = os.path.join(self.directory, "server.log")
        self.owner_path = os.path.join(self.directory, OWNER_FILE)
        try:
            with open(self.owner_path, "w") as handle:
                handle.write("%d\n" % os.getpid())
            os.makedirs(os.path.dirname(self.fixture_path))
            os.makedirs(self.scenario_dir)
            self.write_files()
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise

    def write_files(self):
        """Same bytes every time: a reload must serve exactly the same data."""
        with open(self.fixture_path, "w") as handle:
            handle.write(self.fixture_text)
        for name, text in SCENARIOS.items():
            with open(os.path.join(self.scenario_dir, name + ".yaml"), "w") as handle:
                handle.write(text)

    def remember_token(self, *entry):
        with self.tokens_lock:
            self.tokens.append(entry)

    def pick_token(self, rng):
        with self.tokens_lock:
            if not self.tokens:
                return None
            return self.tokens[rng.randrange(len(self.tokens))]

    def start(self):
        command = [self.args.binary, "--host", "127.0.0.1", "--port", "0",
                   "--seed", str(self.args.seed), "--fixtures", self.fixture_path,
                   "--scenarios", self.scenario_dir, "--journal-size", str(self.args.journal_size),
                   "--token-secret", "soak-secret"]
        for name in ALWAYS_ACTIVE:
            command += ["--scenario", name]
        environment = dict(os.environ)
        if self.args.malloc == "steady":
            environment["GLIBC_TUNABLES"] = STEADY_MALLOC
        # Dies with this process whatever ends it (server_process: PR_SET_PDEATHSIG), and is
        # killed by close() and by the signal handlers main() installs.
        self.server = server_process.ServerProcess(command, env=environment,
                                                   log_path=self.log_path, check=False)
        self.process = self.server.process
        line = self.server.line
        if not line.startswith(PREFIX + "http://127.0.0.1:"):
            self.server.kill()
            raise SoakFailure("unexpected first line %r; log: %s" % (line, self.read_log()[-2000:]))
        self.port = self.server.port

    def read_log(self):
        with open(self.log_path, errors="replace") as handle:
            return handle.read()

    def alive(self):
        return self.process.poll() is None

    def discover_generated(self):
        """Lists big-job once, ascending: its ids and times must be the generated ones; their
        statuses (drawn by the server from the weights) then define the filtered listings."""
        job = self.fixture.jobs[("dzd_soak01", "big-job")]
        explicit = {run["runId"]: run for run in job.explicit}
        connection = Connection(self.port)
        items, token = [], None
        while True:
            params = Worker.params(None, "ASCENDING", 50, token)
            response = connection.request("GET", run_target("dzd_soak01", "big-job", params))
            self.phases.count()
            if response.status != 200 or response.fault:
                raise SoakFailure("discovery listing: %s" % response.describe())
            self.stats.record(response, "ok")
            body = json.loads(response.body)
            items.extend(normalize(item) for item in body["items"])
            token = body.get("nextToken")
            if token is None:
                break
        connection.close()
        generated = []
        for item in items:
            if item["runId"] in explicit:
                continue
            match = re.fullmatch(r"gen-(\d{7})", item["runId"])
            if not match:
                raise SoakFailure("big-job has an unknown run %r" % item)
            number = int(match.group(1))
            if (item["createdAt"] != Fixture.BIG_START + (number - 1) * Fixture.BIG_EVERY
                    or item.get("createdBy") != "svc-generator"
                    or item.get("runMode") != "SCHEDULED"
                    or item["status"] not in Fixture.BIG_WEIGHTS or item["domainId"] != "dzd_soak01"
                    or item["jobId"] != "big-job" or item["jobType"] != "LINEAGE"):
                raise SoakFailure("generated run %r does not follow the generate spec" % item)
            generated.append(item)
        known = ["gen-%07d" % n for n in range(1, Fixture.BIG_COUNT + 1)]
        if sorted(item["runId"] for item in generated) != known:
            raise SoakFailure("big-job: the generated ids are not gen-0000001..gen-%07d"
                              % Fixture.BIG_COUNT)
        if {item["status"] for item in generated} != set(Fixture.BIG_WEIGHTS):
            raise SoakFailure("big-job: generated statuses %s, weights %s"
                              % (collections.Counter(i["status"] for i in generated),
                                 dict(Fixture.BIG_WEIGHTS)))
        job.finish(generated)
        if [item["runId"] for item in items] != job.lists[(None, True)]:
            raise SoakFailure("big-job ascending listing is not in (createdAt, runId) order")

    def run(self):
        args = self.args
        self.start()
        members = args.connections + 1
        self.phases = Phases(args.warmup, members)
        self.discover_generated()
        workers = [Worker(i, self) for i in range(args.connections)]
        admin = Admin(self)
        self.admin = admin
        rss_peak = [0]
        self.rss_trace = []  # (requests sent, VmRSS KiB), every 2 s
        monitor_stop = threading.Event()

        def monitor():
            ticks = 0
            while not monitor_stop.wait(0.25):
                if not self.alive():
                    self.stats.fail("the server died (exit code %s)" % self.process.returncode)
                    self.phases.stop()
                    return
                try:
                    rss = vm_rss_kib(self.process.pid)
                except (OSError, SoakFailure):
                    continue
                rss_peak[0] = max(rss_peak[0], rss)
                ticks += 1
                if ticks % 8 == 0:
                    self.rss_trace.append((self.phases.sent, rss))

        watcher = threading.Thread(target=monitor, daemon=True)
        watcher.start()
        started = time.monotonic()
        for thread in workers + [admin]:
            thread.start()

        # Warm-up, then everyone parks: read the resident memory of a warm, idle server.
        if not self.phases.wait_all_parked(self.alive):
            return self.finish(workers, admin, monitor_stop, started, None, None, rss_peak[0], None)
        time.sleep(0.5)
        rss_warm = vm_rss_kib(self.process.pid)
        self.threads = [proc_status(self.process.pid, "Threads")]
        warm_requests = self.phases.sent
        warm_done = time.monotonic()
        self.admin.phase_cycles = 0
        self.phases.release(new_limit=warm_requests + args.requests)

        if not self.phases.wait_all_parked(self.alive):
            return self.finish(workers, admin, monitor_stop, started, rss_warm, None, rss_peak[0],
                               None)
        measured_seconds = time.monotonic() - warm_done
        time.sleep(0.5)
        rss_end = vm_rss_kib(self.process.pid)
        self.threads.append(proc_status(self.process.pid, "Threads"))
        measured_requests = self.phases.sent - warm_requests
        return self.finish(workers, admin, monitor_stop, started, rss_warm, rss_end, rss_peak[0],
                           (measured_requests, measured_seconds, warm_requests))

    def finish(self, workers, admin, monitor_stop, started, rss_warm, rss_end, rss_peak, measured):
        self.phases.release(finish=True)
        for thread in workers + [admin]:
            thread.join(HANG_GUARD_SECONDS)
        monitor_stop.set()
        stats = self.stats
        metrics = None
        if self.alive() and not stats.failures:
            try:
                metrics = self.final_checks(rss_warm, rss_end, admin)
            except SoakFailure as failure:
                stats.fail(str(failure))
        exit_code = None
        if self.alive():
            try:
                exit_code = self.server.stop(signal.SIGTERM, HANG_GUARD_SECONDS)
            except subprocess.TimeoutExpired:  # stop() has killed it
                stats.fail("SIGTERM did not stop the server")
            if exit_code not in (0, None):
                stats.fail("the server exited with %d on SIGTERM" % exit_code)
        else:
            exit_code = self.process.returncode
            if not any("died" in failure for failure in stats.failures):
                stats.fail("the server died (exit code %s)" % exit_code)
        self.server.kill()  # reaps it and closes its pipe; nothing to kill any more
        self.report(rss_warm, rss_end, rss_peak, measured, admin, exit_code, metrics,
                    time.monotonic() - started)
        if stats.failures:
            print("\nSOAK FAILED: %d problem(s); the first ones:" % len(stats.failures))
            # A dead server explains everything after it: name it first.
            failures = sorted(stats.failures, key=lambda failure: "server died" not in failure)
            for failure in failures[:20]:
                print("  - " + failure)
            return 1
        print("\nSOAK PASSED")
        return 0

    def final_checks(self, rss_warm, rss_end, admin):
        # The server counted exactly what the clients saw.
        body = admin.call("GET", "/_mock/metrics").body.decode()
        metrics = parse_metrics(body)
        seen = {outcome: count for outcome, count in self.stats.outcomes.items() if count}
        if metrics != seen:
            keys = sorted(set(metrics) | set(seen))
            raise SoakFailure("server metrics differ from what clients saw: %s"
                              % ", ".join("%s server %s clients %s"
                                          % (k, metrics.get(k), seen.get(k))
                                          for k in keys if metrics.get(k) != seen.get(k)))
        entries = admin.json_call("GET", "/_mock/requests")["requests"]
        if len(entries) != self.args.journal_size:
            raise SoakFailure("journal holds %d entries, expected a full ring of %d"
                              % (len(entries), self.args.journal_size))
        if admin.first2_throttled != 2 or admin.first2_calls < 3:
            raise SoakFailure("calls: 1-2 throttled %d of %d calls"
                              % (admin.first2_throttled, admin.first2_calls))
        log = self.read_log()
        reloaded = log.count("datazone-mock: reloaded ")
        failed = "reload failed" in log
        if reloaded != admin.reloads or failed:
            raise SoakFailure("%d SIGHUPs, %d reloads logged%s"
                              % (admin.reloads, reloaded, ", and a failed one" if failed else ""))
        limit = rss_warm * 1.10
        if not self.args.no_memory_check and rss_end > limit:
            raise SoakFailure("resident memory grew from %d KiB after the warm-up to %d KiB after "
                              "the run (more than 10%%)" % (rss_warm, rss_end))
        return metrics

    def report(self, rss_warm, rss_end, rss_peak, measured, admin, exit_code, metrics, elapsed):
        stats = self.stats
        print("datazone-mock soak: %d connections, seed %d, journal size %d"
              % (self.args.connections, self.args.seed, self.args.journal_size))
        if measured:
            count, seconds, warm = measured
            print("requests: %d warm-up + %d measured = %d (besides %d admin calls)"
                  % (warm, count, warm + count, stats.admin_calls))
            print("requests per second (measured phase, printed only): %.0f"
                  % (count / seconds if seconds else 0))
        statuses = sorted(stats.by_status.items(), key=lambda kv: str(kv[0]))
        print("per status: %s" % ", ".join("%s: %d" % kv for kv in statuses))
        print("outcomes: %s" % ", ".join("%s: %d" % kv for kv in sorted(stats.outcomes.items())))
        faults = sorted(stats.transport.items())
        print("transport faults seen: %s" % (", ".join("%s: %d" % kv for kv in faults) or "none"))
        print("listings completed: %d unfiltered + %d filtered (%d pages)"
              % (stats.listings["unfiltered"], stats.listings["filtered"], stats.listings["pages"]))
        print("tasks: %s" % ", ".join("%s: %d" % kv for kv in sorted(stats.tasks.items())))
        print("admin: %d cycles, %d reloads (SIGHUP), %d seeds, %d scenario switches, "
              "%d toggle requests during a switch" % (admin.cycles, admin.reloads, admin.seeds,
                                                      admin.toggles, stats.ambiguous_toggle))
        if rss_warm is not None:
            change = "%+.1f%%" % ((rss_end - rss_warm) * 100.0 / rss_warm) if rss_end else "-"
            print("resident memory: %d KiB after warm-up, %s KiB after the run (%s), peak %d KiB"
                  % (rss_warm, rss_end if rss_end is not None else "-", change, rss_peak))
        if self.rss_trace:
            step = max(1, len(self.rss_trace) // 12)
            print("resident memory while running (requests: KiB): %s" % ", ".join(
                "%d: %d" % point for point in self.rss_trace[::step] + self.rss_trace[-1:]))
        threads = getattr(self, "threads", [])
        print("server threads: %s" % " after warm-up, ".join(map(str, threads)))
        print("server exit code: %s; wall time %.1f s" % (exit_code, elapsed))

    def close(self, failed):
        """Whatever happened: the server is killed if it still runs, the client threads are
        told to stop, the end of the server's log is printed on failure, and the temporary
        directory is removed (kept with --keep)."""
        if self.phases is not None:
            self.phases.stop()
        if self.server is not None:
            self.server.kill()
        if failed and os.path.exists(self.log_path):
            lines = self.read_log().splitlines()
            messages = [line for line in lines if not REQUEST_LOG_LINE.match(line)]
            print("\nthe server's log: %d lines; its last %d messages (not request lines):"
                  % (len(lines), min(len(messages), LOG_TAIL_LINES)))
            for line in messages[-LOG_TAIL_LINES:]:
                print("  | " + line)
            print("its last %d lines:" % min(len(lines), LOG_TAIL_REQUESTS))
            for line in lines[-LOG_TAIL_REQUESTS:]:
                print("  | " + line)
            if not self.args.keep:
                print("(--keep keeps the whole log)")
        if self.args.keep:
            os.unlink(self.owner_path)  # kept: not for the next soak to remove
            print("kept: %s (fixture, scenarios, server.log)" % self.directory)
        else:
            shutil.rmtree(self.directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200000, help="requests after the warm-up")
    parser.add_argument("--connections", type=int, default=64,
                        help="concurrent keep-alive connections")
    parser.add_argument("--warmup", type=int, default=None,
                        help="warm-up requests (default: 600 per connection or five journal sizes, "
                             "the larger)")
    parser.add_argument("--journal-size", type=int, default=1000,
                        help="the server's --journal-size")
    parser.add_argument("--seed", type=int, default=20261129,
                        help="the server's --seed and the mix's")
    parser.add_argument("--binary", help="the server (default: $DATAZONE_MOCK_BIN, else "
                                         "build/datazone-mock)",
                        default=os.environ.get("DATAZONE_MOCK_BIN",
                                               os.path.join(REPO, "build", "datazone-mock")))
    parser.add_argument("--malloc", choices=["steady", "default"], default="steady",
                        help="steady (default): the server runs with GLIBC_TUNABLES=%s, so "
                             "that its resident memory follows its live heap; default: glibc's "
                             "own settings (README.md, 'Resident memory')"
                             % STEADY_MALLOC.replace("%", "%%"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary files after a pass")
    parser.add_argument("--no-memory-check", action="store_true",
                        help="report resident memory but do not fail on its growth: under a "
                             "sanitizer the allocator and the shadow memory grow on their own")
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = max(600 * args.connections, 5 * args.journal_size)
    if args.warmup < args.journal_size:
        parser.error("--warmup must be at least --journal-size: the journal ring fills during "
                     "the warm-up")
    if args.connections < 1 or args.requests < 1:
        parser.error("--connections and --requests must be positive")
    # SIGTERM, SIGINT and SIGHUP kill the server at once and unwind through the `finally`
    # below; if this process is killed outright, the kernel kills the server (PDEATHSIG).
    server_process.exit_on_signals()
    soak = None
    code = 1
    try:
        soak = Soak(args)
        code = soak.run()
    except SoakFailure as failure:
        print("SOAK FAILED: %s" % failure)
    except server_process.Interrupted as interrupted:
        print("SOAK INTERRUPTED: %s" % interrupted)
        code = 128 + interrupted.signal_number
    except Exception:  # a bug in this script: fail, with the traceback, and clean up
        traceback.print_exc()
        print("SOAK FAILED: the soak itself crashed")
    finally:
        # A second signal must not cut the clean-up short (SIGKILL still works).
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
        if soak is not None:
            soak.close(failed=code != 0)
        sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
