"""The README's copy-paste examples, run the way a reader runs them.

A fenced block is an example when the line before it (blank lines aside) is a marker:

    <!-- example: NAME expect: TEXT [expect: TEXT ...] -->   run it; stdout must contain each TEXT
    <!-- example: NAME not-run: REASON -->                    shown only, for the reason given

Each runnable example gets a freshly started datazone-mock (`--port 0`, otherwise its defaults).
The block is written for the default address, so `127.0.0.1:8484` (with or without `http://`)
is rewritten to the started server's port, and nothing else is changed. python blocks run with
python3, sh blocks with `bash -euo pipefail`, js blocks with node as an ES module that resolves
the pinned @aws-sdk/client-datazone from tests/contract/js/node_modules (`scripts/setup.sh
test` installs it). An example passes when it exits 0, prints every expected text, and at
least one ListJobRuns call of it reached the server.

The examples run without the caller's AWS settings: every AWS_* variable is removed and the
shared config and credentials files point at nothing, so an example that leans on credentials
or an endpoint it does not set itself fails here as it would for a reader.

Also checked: every example named in REQUIRED is there; every block in the "Use it from your
SDK" section, and every python or js block anywhere, carries a marker; markers are well formed.

DATAZONE_MOCK_BIN names the binary (default build/datazone-mock); DATAZONE_MOCK_README another
README to check (default the repository's).
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
import server_process  # noqa: E402

# A signal to the test run kills the server and unwinds (the example's folder goes too).
server_process.exit_on_signals()
README = os.environ.get("DATAZONE_MOCK_README", os.path.join(REPO, "README.md"))
BINARY = os.environ.get("DATAZONE_MOCK_BIN", os.path.join(REPO, "build", "datazone-mock"))
JS_MODULES = os.path.join(REPO, "tests", "contract", "js", "node_modules")

# The examples the README must keep, and whether each is run (not-run ones need a reason).
REQUIRED = {
    "boto3-endpoint-url": "run",
    "boto3-env": "run",
    "awscli": "run",
    "awscli-env": "run",
    "js": "run",
    "curl-sigv4": "run",
    "cpp-sdk": "not-run",
    "admin-seed": "run",
    "fault-throttle-retry": "run",
    "paginator-stress": "run",
    "per-caller": "run",
    "poll-loop": "run",
    "record": "run",
}
SDK_SECTION = "Use it from your SDK"

# Fence languages that can run, and how.
LANGUAGES = {
    "python": "python", "py": "python",
    "sh": "sh", "bash": "sh", "shell": "sh",
    "js": "js", "javascript": "js", "mjs": "js",
}
# Blocks in these languages are examples wherever they stand, so they must be marked.
ALWAYS_MARKED = {"python", "js"}

DEFAULT_ADDRESS = re.compile(r"(?<![\d.])127\.0\.0\.1:8484(?!\d)")
MARKER = re.compile(r"^\s*<!--\s*example:(?P<body>.*?)-->\s*$")
MARKER_BODY = re.compile(r"^\s*(?P<name>[a-z0-9][a-z0-9-]*)(?P<rest>.*)$", re.S)
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<lang>[^\s`]*)")


class Example:
    def __init__(self, name, line):
        self.name = name
        self.line = line  # of the marker, 1-based
        self.expect = []
        self.not_run = None
        self.language = None  # the fence's language as written
        self.code = None
        self.section = None

    @property
    def runner(self):
        return LANGUAGES.get((self.language or "").lower())


def parse_readme(text, required=None):
    """(examples, problems): the marked blocks of a README, and what is wrong with its markers."""
    required = REQUIRED if required is None else required
    lines = text.split("\n")
    examples, problems = [], []
    section = None
    seen_sdk_section = False
    pending = None  # a marker waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = MARKER.match(line)
        fence = FENCE.match(line)
        if marker:
            if pending:
                problems.append("line %d: marker '%s' is not followed by a code block"
                                % (pending.line, pending.name))
            pending = parse_marker(marker.group("body"), i + 1, problems)
        elif fence:
            close = re.compile(r"^ {0,3}%s%s*\s*$" % (re.escape(fence.group("fence")),
                                                       re.escape(fence.group("fence")[0])))
            end = i + 1
            while end < len(lines) and not close.match(lines[end]):
                end += 1
            if end == len(lines):
                problems.append("line %d: code block is never closed" % (i + 1))
            language = fence.group("lang")
            code = "\n".join(lines[i + 1:end]) + "\n"
            kind = LANGUAGES.get(language.lower())
            if pending:
                pending.language, pending.code, pending.section = language, code, section
                examples.append(pending)
                pending = None
            elif section == SDK_SECTION:
                problems.append("line %d: a %s block in '%s' without an example marker "
                                "(mark it, or mark it not-run with a reason)"
                                % (i + 1, language or "plain", SDK_SECTION))
            elif kind in ALWAYS_MARKED:
                problems.append("line %d: a %s block without an example marker (every python "
                                "and js block is an example)" % (i + 1, language))
            i = end
        elif line.strip():
            if pending:
                problems.append("line %d: marker '%s' is not followed by a code block"
                                % (pending.line, pending.name))
                pending = None
            if line.startswith("## "):
                section = line[3:].strip()
                seen_sdk_section = seen_sdk_section or section == SDK_SECTION
        i += 1
    if pending:
        problems.append("line %d: marker '%s' is not followed by a code block"
                        % (pending.line, pending.name))

    if not seen_sdk_section:
        problems.append("no '## %s' section" % SDK_SECTION)
    names = {}
    for example in examples:
        if example.name in names:
            problems.append("line %d: example '%s' is already marked at line %d"
                            % (example.line, example.name, names[example.name]))
        names.setdefault(example.name, example.line)
        if example.not_run is None:
            if example.runner is None:
                problems.append("line %d: example '%s' is a '%s' block, which cannot be run "
                                "(python, sh or js; or mark it not-run)"
                                % (example.line, example.name, example.language))
            elif not DEFAULT_ADDRESS.search(example.code):
                problems.append("line %d: example '%s' does not use the default address "
                                "127.0.0.1:8484" % (example.line, example.name))
    by_name = {example.name: example for example in examples}
    for name, how in sorted(required.items()):
        example = by_name.get(name)
        if example is None:
            problems.append("required example '%s' is missing" % name)
        elif how == "run" and example.not_run is not None:
            problems.append("line %d: required example '%s' must be run, not marked not-run"
                            % (example.line, name))
    return examples, problems


def parse_marker(body, line, problems):
    match = MARKER_BODY.match(body)
    if not match:
        problems.append("line %d: an example marker needs a name of [a-z0-9-]" % line)
        return Example("?", line)
    example = Example(match.group("name"), line)
    rest = match.group("rest").strip()
    if rest.startswith("not-run:"):
        example.not_run = rest[len("not-run:"):].strip()
        if not example.not_run:
            problems.append("line %d: example '%s' is not-run without a reason"
                            % (line, example.name))
        return example
    parts = re.split(r"(?:^|\s+)expect:\s+", rest)
    if not rest or parts[0].strip():
        problems.append("line %d: example '%s' needs 'expect: TEXT' (what it prints) or "
                        "'not-run: REASON'" % (line, example.name))
    example.expect = [part.strip() for part in parts[1:] if part.strip()]
    return example


def rewrite_address(code, port):
    """The block as written for 127.0.0.1:8484, pointed at `port`; nothing else changes."""
    return DEFAULT_ADDRESS.sub("127.0.0.1:%d" % port, code)


def client_environment(work):
    """The environment examples run in: no AWS settings of the caller, no proxy for the mock."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("DATAZONE_MOCK_")}
    env["AWS_CONFIG_FILE"] = os.path.join(work, "no-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(work, "no-aws-credentials")
    env["AWS_EC2_METADATA_DISABLED"] = "true"  # fail fast, not after metadata time-outs
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = ",".join(filter(None, [env.get(name), "127.0.0.1", "localhost"]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class MockServer(server_process.ServerProcess):
    """datazone-mock with its defaults but a free port; the request log goes to a file in
    `work`. Killed if it hangs on stop(), and dies with this process in any case."""

    def __init__(self, work):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATAZONE_MOCK_")}
        super().__init__([BINARY, "--port", "0"], env=env,
                         log_path=os.path.join(work, "datazone-mock.log"))
        if not self.endpoint.startswith("http://127.0.0.1:"):
            self.kill()
            raise RuntimeError("unexpected first line %r; log: %s" % (self.line, self.stderr))


def command_for(example, work):
    """Writes the (rewritten) example where it can run; returns the command line."""
    runner = example.runner
    if runner == "python":
        path = os.path.join(work, "example.py")
        command = ["python3", path]
    elif runner == "sh":
        path = os.path.join(work, "example.sh")
        command = ["bash", "-euo", "pipefail", path]
    else:
        # An ES module resolves bare imports from node_modules beside it (NODE_PATH does not
        # apply to import), so the module gets a directory of its own with a link to the pinned
        # SDK: nothing is written into the repository.
        if not os.path.isdir(os.path.join(JS_MODULES, "@aws-sdk", "client-datazone")):
            raise AssertionError("%s has no @aws-sdk/client-datazone: run scripts/setup.sh test "
                                 "(npm ci in tests/contract/js)" % JS_MODULES)
        directory = os.path.join(work, "js")
        os.mkdir(directory)
        os.symlink(JS_MODULES, os.path.join(directory, "node_modules"))
        path = os.path.join(directory, "example.mjs")
        command = ["node", path]
    return path, command


def run_example(test, example):
    with tempfile.TemporaryDirectory(prefix="datazone-mock-readme-") as work:
        # An example that starts a datazone-mock of its own does so as a reader at the
        # repository's root would: build/datazone-mock.
        os.mkdir(os.path.join(work, "build"))
        os.symlink(os.path.abspath(BINARY), os.path.join(work, "build", "datazone-mock"))
        server = MockServer(work)
        try:
            code = rewrite_address(example.code, server.port)
            path, command = command_for(example, work)
            with open(path, "w") as handle:
                handle.write(code)
            result = subprocess.run(command, cwd=work, env=client_environment(work),
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                    timeout=120)
            log = server.read_log()
        finally:
            stopped = server.stop()
        detail = ("\n--- example '%s' (README line %d), as run:\n%s--- stdout:\n%s--- stderr:\n%s"
                  "--- server log:\n%s" % (example.name, example.line, code, result.stdout,
                                           result.stderr, log))
        test.assertEqual(result.returncode, 0, "the example failed" + detail)
        for text in example.expect:
            test.assertIn(text, result.stdout, "the example did not print %r" % text + detail)
        test.assertRegex(log, r"(?m)^\S+ GET /v2/domains/",
                         "no ListJobRuns call of the example reached the server" + detail)
        test.assertEqual(stopped, 0, "datazone-mock did not stop cleanly" + detail)


def load_readme():
    with open(README, encoding="utf-8") as handle:
        return parse_readme(handle.read())


class ReadmeMarkersTest(unittest.TestCase):
    def test_markers_are_complete_and_well_formed(self):
        examples, problems = load_readme()
        self.assertEqual(problems, [], "README.md example markers:\n  " + "\n  ".join(problems))
        self.assertTrue(any(e.not_run is None for e in examples))


class ReadmeExamplesTest(unittest.TestCase):
    """One test per runnable example, added below from the README."""


def _add_example_tests():
    try:
        examples, _ = load_readme()
    except OSError:
        return  # ReadmeMarkersTest reports the missing file
    for example in examples:
        if example.not_run is not None or example.runner is None:
            continue
        name = "test_" + example.name.replace("-", "_")

        def test(self, example=example):
            run_example(self, example)

        test.__doc__ = "README example '%s' (line %d)" % (example.name, example.line)
        setattr(ReadmeExamplesTest, name, test)


_add_example_tests()


class CheckerTest(unittest.TestCase):
    """The checks above catch what they are meant to catch."""

    SDK = "## %s\n\n" % SDK_SECTION

    def problems(self, text, required=None):
        return parse_readme(text, required={} if required is None else required)[1]

    def test_a_marked_example_is_parsed(self):
        examples, problems = parse_readme(
            self.SDK + "<!-- example: a expect: x 1 expect: y -->\n\n```python\n"
            "print('http://127.0.0.1:8484')\n```\n", required={"a": "run"})
        self.assertEqual(problems, [])
        self.assertEqual(examples[0].expect, ["x 1", "y"])
        self.assertEqual(examples[0].runner, "python")
        self.assertEqual(examples[0].section, SDK_SECTION)

    def test_a_missing_required_example_fails(self):
        self.assertIn("required example 'b' is missing",
                      self.problems(self.SDK, required={"b": "run"}))

    def test_a_required_example_marked_not_run_fails(self):
        problems = self.problems(self.SDK + "<!-- example: b not-run: reasons -->\n```sh\n:\n```\n",
                                 required={"b": "run"})
        self.assertTrue(any("must be run" in p for p in problems), problems)

    def test_an_unmarked_block_in_the_sdk_section_fails(self):
        problems = self.problems(self.SDK + "```sh\naws datazone list-job-runs\n```\n")
        self.assertTrue(any("without an example marker" in p for p in problems), problems)

    def test_an_unmarked_python_or_js_block_anywhere_fails(self):
        for language in ("python", "js"):
            problems = self.problems(self.SDK + "## Other\n\n```%s\nx\n```\n" % language)
            self.assertTrue(any("without an example marker" in p for p in problems), problems)

    def test_an_unmarked_sh_block_outside_the_sdk_section_is_fine(self):
        self.assertEqual(self.problems(self.SDK + "## Other\n\n```sh\nmake\n```\n"), [])

    def test_a_marker_needs_an_expectation_or_a_reason(self):
        for marker in ("<!-- example: c -->", "<!-- example: c not-run: -->",
                       "<!-- example: c expect: -->", "<!-- example: c prints: x -->"):
            problems = self.problems(self.SDK + marker + "\n```sh\n127.0.0.1:8484\n```\n")
            self.assertTrue(problems, marker)

    def test_a_marker_without_its_block_fails(self):
        problems = self.problems(self.SDK + "<!-- example: d expect: x -->\nSome text.\n")
        self.assertTrue(any("not followed by a code block" in p for p in problems), problems)

    def test_a_runnable_block_must_use_the_default_address(self):
        problems = self.problems(self.SDK + "<!-- example: e expect: x -->\n```sh\n"
                                 "curl http://localhost:9999/\n```\n")
        self.assertTrue(any("default address" in p for p in problems), problems)

    def test_a_runnable_block_must_be_in_a_runnable_language(self):
        problems = self.problems(self.SDK + "<!-- example: f expect: x -->\n```cpp\n"
                                 "// 127.0.0.1:8484\n```\n")
        self.assertTrue(any("cannot be run" in p for p in problems), problems)

    def test_names_are_unique(self):
        block = "<!-- example: g expect: x -->\n```sh\necho 127.0.0.1:8484\n```\n"
        problems = self.problems(self.SDK + block + block)
        self.assertTrue(any("already marked" in p for p in problems), problems)

    def test_the_sdk_section_must_exist(self):
        self.assertIn("no '## %s' section" % SDK_SECTION, self.problems("# Title\n"))

    def test_only_the_default_address_is_rewritten(self):
        self.assertEqual(
            rewrite_address("http://127.0.0.1:8484/x 127.0.0.1:8484 127.0.0.1:84840 "
                            "localhost:8484 10.127.0.0.1:8484", 4321),
            "http://127.0.0.1:4321/x 127.0.0.1:4321 127.0.0.1:84840 localhost:8484 "
            "10.127.0.0.1:8484")


if __name__ == "__main__":
    unittest.main()
