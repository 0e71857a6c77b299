"""Servers started by Python tests, made so that they never outlive the test.

Shared by the contract tests (tests/contract/python/mock_process.py), the CLI tests
(tests/http/test_cli.py), the README examples (tests/docs), the package tests and the soak
(tests/soak/soak.py). Python 3 standard library only (the soak needs nothing else).

A server started here
  - gets SIGKILL from the kernel when the thread that started it ends, whatever ends it
    (an exception, a signal, SIGKILL, a ctest time-out): PR_SET_PDEATHSIG, set in the child
    between fork and exec. Start servers from a thread that lives as long as they should (the
    main thread, in every test here);
  - is killed when the interpreter exits (atexit), and by stop() when it does not exit in time;
  - has its stderr (the request log) in a file, read without disturbing the server's writes.

exit_on_signals() turns SIGTERM, SIGINT and SIGHUP into an Interrupted exception (a
KeyboardInterrupt, which unittest does not swallow) after killing every server, so that
`finally` blocks and context managers still remove their temporary files.
"""

import atexit
import ctypes
import os
import signal
import subprocess
import tempfile
import threading

PREFIX = "datazone-mock listening on "
START_TIMEOUT = 60.0  # seconds to the first line; the bundled fixtures load in well under one
STOP_TIMEOUT = 20.0   # seconds from SIGTERM to exit (the server drains for up to 10 s)

_PR_SET_PDEATHSIG = 1
# Looked up now, in the parent: the child calls it between fork and exec, where loading a
# library (and taking the locks that needs) could deadlock.
_prctl = ctypes.CDLL(None, use_errno=True).prctl
_prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
_prctl.restype = ctypes.c_int

_live = set()  # started and not yet reaped
_live_lock = threading.Lock()


def _die_with_parent(parent_pid):
    def preexec():
        if _prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            os._exit(126)
        # The parent may have died before prctl: then no signal is coming. Do not run.
        if os.getppid() != parent_pid:
            os._exit(126)
    return preexec


def popen(argv, **kwargs):
    """subprocess.Popen(argv, **kwargs) for a process that dies with this one (see above)."""
    if "preexec_fn" in kwargs:
        raise TypeError("popen() sets preexec_fn itself")
    process = subprocess.Popen(argv, preexec_fn=_die_with_parent(os.getpid()), **kwargs)
    with _live_lock:
        _live.add(process)
    return process


def _forget(process):
    with _live_lock:
        _live.discard(process)


def kill(process):
    """SIGKILL (if still running) and reap; returns the exit code."""
    if process.poll() is None:
        try:
            process.kill()
        except ProcessLookupError:
            pass
    code = process.wait()
    _forget(process)
    return code


def kill_all():
    """Kills every server started here that still runs (atexit, signals)."""
    with _live_lock:
        processes = list(_live)
    for process in processes:
        try:
            kill(process)
        except Exception:  # noqa: BLE001 - best effort at exit; the kernel's SIGKILL follows
            pass


atexit.register(kill_all)


def stop(process, signal_number=signal.SIGTERM, timeout=STOP_TIMEOUT):
    """Sends `signal_number` (if the process still runs) and returns its exit code. A process
    still running after `timeout` seconds, or when anything interrupts the wait, is killed and
    the exception (subprocess.TimeoutExpired, ...) raised: a hung server never stays behind."""
    try:
        if process.poll() is None:
            process.send_signal(signal_number)
        code = process.wait(timeout=timeout)
    except BaseException:
        kill(process)
        raise
    _forget(process)
    return code


def read_first_line(process, timeout=START_TIMEOUT):
    """The first line of the process's stdout (stripped; "" at EOF). A process that prints
    nothing for `timeout` seconds is killed (the read then ends at EOF)."""
    lines = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()),
                              daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        kill(process)
        reader.join()
    return lines[0].strip() if lines else ""


def read_file(handle):
    """Everything written to `handle`'s file so far. With os.pread, so the file offset the
    server shares with this handle (its stderr) does not move under its writes."""
    chunks = []
    offset = 0
    while True:
        chunk = os.pread(handle.fileno(), 1 << 20, offset)
        if not chunk:
            return b"".join(chunks).decode("utf-8", errors="replace")
        chunks.append(chunk)
        offset += len(chunk)


class ServerProcess:
    """A started datazone-mock. `line` is its first stdout line; `endpoint` and `port` what the
    line names (None when it names nothing). Its stderr goes to `log_path`, or to an anonymous
    temporary file; read_log() reads it at any time, stop() sets `stderr` and `code`.

    With check=True (the default) a server whose first line names no endpoint is killed and
    RuntimeError raised, with its stderr. A context manager: leaving the block stops the server
    (SIGTERM, then SIGKILL after `STOP_TIMEOUT`) unless stop() already did.
    """

    def __init__(self, argv, env=None, cwd=None, log_path=None, check=True,
                 start_timeout=START_TIMEOUT):
        self.argv = list(argv)
        self.log_path = log_path
        self.log = open(log_path, "w+") if log_path else tempfile.TemporaryFile(mode="w+")
        self.code = None
        self.stderr = None
        try:
            self.process = popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=self.log, text=True, env=env, cwd=cwd)
        except BaseException:
            self.log.close()
            raise
        try:
            self.line = read_first_line(self.process, start_timeout)
        except BaseException:
            self.kill()
            raise
        self.endpoint = self.line[len(PREFIX):] if self.line.startswith(PREFIX) else None
        self.port = int(self.endpoint.rsplit(":", 1)[1]) if self.endpoint else None
        if check and self.endpoint is None:
            self.kill()
            raise RuntimeError("%s: unexpected first line %r (exit code %s); stderr:\n%s"
                               % (self.argv[0], self.line, self.code, self.stderr))

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def read_log(self):
        """The server's stderr so far."""
        if self.log.closed:
            return self.stderr
        return read_file(self.log)

    def _finish(self, code):
        self.code = code
        if self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()
        if not self.log.closed:
            self.stderr = read_file(self.log)
            self.log.close()
        return code

    def stop(self, signal_number=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Signals the server and returns its exit code; see stop() above. Idempotent."""
        if self.log.closed:
            return self.code
        try:
            code = stop(self.process, signal_number, timeout)
        except BaseException:
            self._finish(self.process.returncode)
            raise
        return self._finish(code)

    def kill(self):
        """SIGKILL and reap; returns the exit code. Idempotent."""
        if self.log.closed:
            return self.code
        return self._finish(kill(self.process))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread by exit_on_signals(); `signal_number` says which signal."""

    def __init__(self, signal_number):
        super().__init__("interrupted by %s" % signal.Signals(signal_number).name)
        self.signal_number = signal_number


def exit_on_signals(signals=(signal.SIGTERM, signal.SIGINT, signal.SIGHUP)):
    """From now on these signals kill every server started here at once, then raise Interrupted
    in the main thread, so that `finally` blocks and context managers clean up. Call it from
    the main thread."""
    def handler(signal_number, frame):
        kill_all()
        raise Interrupted(signal_number)
    for signal_number in signals:
        signal.signal(signal_number, handler)
