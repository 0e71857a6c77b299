#!/usr/bin/env python3
"""The Dockerfile, checked without a Docker engine.

What an image build would get wrong is checked against the sources and the built binary: the
build stage runs scripts/build-release.sh (what CI runs), the runtime stage installs exactly the
packages that own the shared libraries `ldd` lists for the binary, the image runs as a non-root
user on port 8484 of every interface, and its HEALTHCHECK command, run here against a real
server, succeeds on a live one and fails without one.

    DATAZONE_MOCK_BIN=build/datazone-mock python3 tests/package/dockerfile_test.py
"""

import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.abspath(
    os.environ.get("DATAZONE_MOCK_BIN", os.path.join(ROOT, "build-release", "datazone-mock")))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import server_process  # noqa: E402

PREFIX = server_process.PREFIX
# A signal to the test run kills its servers and unwinds; they die with it in any case.
server_process.exit_on_signals()
# Present in every Debian image (Essential), so the Dockerfile need not name it.
IN_EVERY_IMAGE = {"libc6"}
# Runtimes a sanitized test build links; the image's Release build does not.
SANITIZER_RUNTIME = re.compile(r"^lib(asan|ubsan|tsan|lsan|hwasan)\d*$")


def parse_dockerfile(path):
    """[(stage index, INSTRUCTION, arguments)], continuation lines joined, comments dropped."""
    instructions = []
    stage = -1
    pending = ""
    with open(path, encoding="utf-8") as file:
        for raw in file:
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if pending and line.lstrip().startswith("#"):
                continue  # a comment inside a continued instruction
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            text = (pending + line).strip()
            pending = ""
            keyword, _, arguments = text.partition(" ")
            keyword = keyword.upper()
            if keyword == "FROM":
                stage += 1
            instructions.append((stage, keyword, arguments.strip()))
    return instructions


def packages_of_shared_libraries(binary):
    """The Debian packages owning the libraries `ldd` resolves for binary."""
    output = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libraries = {}  # path -> the names dpkg may know it by
    for line in output.splitlines():
        match = re.search(r"(\S+) => (/\S+)", line) or re.match(r"\s*(/\S+)", line)
        if not match:
            continue  # linux-vdso has no file
        path = match.group(match.lastindex)
        names = {path, os.path.realpath(path)}
        # Debian 12 is merged-/usr: dpkg knows a file under the name its package ships it with.
        names |= {n[len("/usr"):] if n.startswith("/usr/") else "/usr" + n for n in names}
        libraries[path] = names
    # One query for all (a missing name only makes the exit status non-zero).
    every_name = sorted(set().union(*libraries.values()))
    result = subprocess.run(["dpkg-query", "-S", *every_name], capture_output=True, text=True)
    owner = {}
    for line in result.stdout.splitlines():
        package, _, path = line.partition(": ")
        owner[path.strip()] = package.split(":", 1)[0]
    packages = {}
    for path, names in libraries.items():
        owners = {owner[name] for name in names if name in owner}
        if not owners:
            raise AssertionError(f"no Debian package owns {path} (from ldd {binary})")
        for package in owners:
            packages.setdefault(package, []).append(os.path.basename(path))
    return packages


class DockerfileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.instructions = parse_dockerfile(os.path.join(ROOT, "Dockerfile"))
        cls.stages = max(stage for stage, _, _ in cls.instructions) + 1
        cls.runtime = [(k, a) for s, k, a in cls.instructions if s == cls.stages - 1]
        cls.build = [(k, a) for s, k, a in cls.instructions if s < cls.stages - 1]

    def runtime_values(self, keyword):
        return [arguments for k, arguments in self.runtime if k == keyword]

    def test_two_stages_on_debian_12_slim(self):
        froms = [a for _, k, a in self.instructions if k == "FROM"]
        self.assertEqual(len(froms), 2, froms)
        for arguments in froms:
            self.assertEqual(arguments.split()[0], "debian:bookworm-slim", arguments)

    def test_build_stage_runs_the_release_build_script(self):
        runs = [a for k, a in self.build if k == "RUN"]
        self.assertTrue(any(re.search(r"(^|[\s;&|])bash scripts/build-release\.sh(\s|$)", a)
                            for a in runs), runs)
        self.assertTrue(os.access(os.path.join(ROOT, "scripts", "build-release.sh"), os.R_OK))

    def test_runtime_installs_exactly_the_libraries_the_binary_needs(self):
        installs = [a for a in self.runtime_values("RUN") if "apt-get install" in a]
        self.assertEqual(len(installs), 1, installs)
        command = installs[0].split("apt-get install", 1)[1].split("&&", 1)[0]
        listed = {word for word in command.split() if not word.startswith("-")}
        needed = {package: libraries
                  for package, libraries in packages_of_shared_libraries(BINARY).items()
                  if not SANITIZER_RUNTIME.match(package)}
        missing = set(needed) - listed - IN_EVERY_IMAGE
        self.assertFalse(missing, "the image would lack "
                         + ", ".join(f"{p} ({', '.join(needed[p])})" for p in sorted(missing)))
        extra = listed - set(needed)
        self.assertFalse(extra, f"installed but not needed by the binary: {sorted(extra)}")

    def test_runtime_copies_the_binary_from_the_build_stage(self):
        copies = self.runtime_values("COPY")
        self.assertTrue(any(a.startswith("--from=build ") and
                            a.split()[-1] == "/usr/local/bin/datazone-mock" for a in copies), copies)

    def test_runs_as_a_non_root_user(self):
        users = self.runtime_values("USER")
        self.assertTrue(users, "no USER in the runtime stage")
        user = users[-1].split(":")[0]
        self.assertNotIn(user, ("root", "0"))

    def test_listens_on_every_interface_on_8484(self):
        environment = " ".join(self.runtime_values("ENV"))
        self.assertRegex(environment, r"(^|\s)DATAZONE_MOCK_HOST=0\.0\.0\.0(\s|$)")
        self.assertIn("8484", " ".join(self.runtime_values("EXPOSE")).split())
        self.assertEqual(json.loads(self.runtime_values("ENTRYPOINT")[-1]), ["datazone-mock"])

    def health_command(self):
        checks = self.runtime_values("HEALTHCHECK")
        self.assertEqual(len(checks), 1, checks)
        _, _, command = checks[0].partition(" CMD ")
        self.assertTrue(command, checks[0])
        argv = json.loads(command)
        self.assertIn(argv[0], ("bash", "sh"), "the health check must need nothing but the image")
        return argv

    def test_health_check_passes_on_a_live_server_and_fails_without_one(self):
        argv = self.health_command()
        with tempfile.TemporaryDirectory() as empty, server_process.ServerProcess(
                [BINARY, "--port", "0"], cwd=empty, check=False) as server:
            self.assertTrue(server.line.startswith(PREFIX), server.line)
            port = str(server.port)
            environment = dict(os.environ, DATAZONE_MOCK_PORT=port)
            result = subprocess.run(argv, env=environment, timeout=30, capture_output=True)
            self.assertEqual(result.returncode, 0, result)
            self.assertEqual(server.stop(timeout=30), 0, server.stderr)
        # The same port, nothing listening any more.
        result = subprocess.run(argv, env=environment, timeout=30, capture_output=True)
        self.assertNotEqual(result.returncode, 0)

    def test_stops_on_sigterm_as_process_1(self):
        """In a container the server is PID 1, which only gets signals it does not leave at
        their default action; docker stop must still drain and exit 0."""
        unshare = shutil.which("unshare")
        if os.geteuid() != 0 or not unshare:
            self.skipTest("needs root and unshare for a PID namespace")
        probe = subprocess.run([unshare, "--pid", "--fork", "true"], capture_output=True)
        if probe.returncode != 0:
            self.skipTest("no PID namespaces here: " + probe.stderr.decode().strip())
        # unshare dies with this process (and the server with unshare: --kill-child).
        process = server_process.popen([unshare, "--pid", "--fork", "--kill-child=SIGKILL",
                                        BINARY, "--port", "0"],
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertTrue(process.stdout.readline().startswith(PREFIX))
            children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                      text=True, check=True).stdout.split()
            self.assertEqual(len(children), 1, children)
            os.kill(int(children[0]), signal.SIGTERM)  # the server, PID 1 of its namespace
            self.assertEqual(process.wait(timeout=30), 0)
        finally:
            server_process.kill(process)
            process.stdout.close()

    def test_build_context_keeps_the_sources_and_drops_build_trees(self):
        with open(os.path.join(ROOT, ".dockerignore"), encoding="utf-8") as file:
            patterns = [line.strip() for line in file
                        if line.strip() and not line.startswith("#")]
        self.assertFalse([p for p in patterns if p.startswith("!")], "negations are not checked")

        def ignored(path):
            parts = path.split("/")
            prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
            for pattern in patterns:
                pattern = pattern.rstrip("/")
                for prefix in prefixes:
                    if fnmatch.fnmatchcase(prefix, pattern):
                        return True
                    if pattern.startswith("**/") and any(
                            fnmatch.fnmatchcase(part, pattern[3:]) for part in prefix.split("/")):
                        return True
            return False

        for path in ("build", "build-release", "build-pkg/datazone-mock", ".git/HEAD",
                     "tests/contract/js/node_modules/x", "examples/node/node_modules/x"):
            self.assertTrue(ignored(path), f"{path} would be sent to the image build")
        # Everything a Release build reads.
        needed = ["CMakeLists.txt", "scripts/build-release.sh", "scripts/setup.sh"]
        for directory in ("mock_server", "fixtures", "scenarios", "cmake", "docs"):
            for base, _, files in os.walk(os.path.join(ROOT, directory)):
                needed += [os.path.relpath(os.path.join(base, f), ROOT) for f in files]
        kept_out = [path for path in needed if ignored(path)]
        self.assertFalse(kept_out, f"the build needs these: {kept_out}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
