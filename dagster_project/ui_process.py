"""Run ``dagster dev`` as a supervised child that stops, with everything it started, on one Ctrl-C or SIGTERM.

Why this module: ``policy-wh ui`` used to ``exec`` ``dagster dev``. Started from ``make``, a script or a shell
without job control, a process may inherit SIGINT as *ignored* (a background job's SIGINT is SIG_IGN); Python
then installs no KeyboardInterrupt handler, and ``dagster dev`` maps SIGTERM onto SIGINT's handler — so
neither Ctrl-C nor SIGTERM stopped it, only SIGKILL, which leaves the webserver, the daemon and the code
server behind.

Now ``policy-wh ui`` stays the parent. It installs its own handlers for SIGINT, SIGTERM and SIGHUP *before*
starting the child (a caught signal is reset to the default in the new program, an ignored one would be
inherited), starts ``dagster dev`` in a session and process group of its own, and on the first stop signal
sends SIGINT to that whole group — what a terminal's Ctrl-C does to a ``dagster dev`` in the foreground, so
the webserver, the daemon, the code server and any run they started shut down the way Dagster intends. If the
group is not gone after :data:`GRACE_SECONDS` (or a second stop signal arrives) the group is killed. It also
becomes the "child subreaper" of its descendants on Linux, so a process ``dagster dev`` leaves behind is
reaped here, not left a zombie, and the group can be waited for.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Callable, Sequence

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# After the first stop signal, how long dagster dev and its group may take to shut down before SIGKILL.
GRACE_SECONDS = 10.0
# After dagster dev itself exited: how long what is left of its group gets after SIGTERM, before SIGKILL.
STRAGGLER_SECONDS = 3.0
_POLL_SECONDS = 0.1
_PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    """Linux: orphaned descendants are re-parented to this process (which reaps them) instead of init."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans() -> None:
    """Collect the exit status of any descendant re-parented to us (only after our own child was waited for)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def group_alive(pgid: int) -> bool:
    """Whether any process of the process group still exists."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:       # pragma: no cover - a process we may not signal
        return True
    return True


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_group_gone(pgid: int, seconds: float, reap: bool) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if reap:
            _reap_orphans()
        if not group_alive(pgid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_SECONDS)


def run_supervised(command: Sequence[str], *, cwd: str | os.PathLike | None = None, env: dict[str, str] | None = None,
                   grace_seconds: float = GRACE_SECONDS, say: Callable[[str], None] | None = None,
                   name: str = "dagster dev") -> int:
    """Run ``command`` in a new session; stop its whole process group on SIGINT / SIGTERM / SIGHUP.

    ``name`` is what the stop messages call the command (``policy-wh dashboard`` passes ``streamlit``).

    Returns the command's exit code, or 128 + the signal number when it was stopped by a signal (130 for
    Ctrl-C, 143 for SIGTERM), once no process of the group is left.
    """
    say = say or (lambda text: print(text, file=sys.stderr, flush=True))
    received: list[int] = []
    child: list[subprocess.Popen] = []

    forwarded: list[int] = []

    def forward(pgid: int) -> None:
        if not forwarded:
            forwarded.append(signal.SIGINT)
            _signal_group(pgid, signal.SIGINT)
        elif len(received) > 1:         # asked again: stop waiting
            _signal_group(pgid, signal.SIGKILL)

    def on_signal(signum: int, frame) -> None:
        received.append(signum)
        if child:                       # else run_supervised forwards it right after the start
            forward(child[0].pid)

    previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    reaper = _become_subreaper()
    try:
        process = subprocess.Popen(list(command), cwd=cwd, env=env, start_new_session=True)
        child.append(process)
        pgid = process.pid              # the session leader leads its own process group
        if received and not forwarded:
            forward(pgid)
        deadline: float | None = None
        while True:
            try:
                code = process.wait(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
            if received and deadline is None:
                deadline = time.monotonic() + grace_seconds
                say(f"stopping {name} (process group {pgid}) …")
            if deadline is not None and time.monotonic() > deadline:
                say(f"{name} did not stop within {grace_seconds:.0f} s: killing process group {pgid}")
                _signal_group(pgid, signal.SIGKILL)
                deadline = float("inf")
        # dagster dev is gone; whatever it started and did not stop goes now
        if not _wait_group_gone(pgid, 0.5 if not received else 1.0, reaper):
            _signal_group(pgid, signal.SIGTERM)
            if not _wait_group_gone(pgid, STRAGGLER_SECONDS, reaper):
                _signal_group(pgid, signal.SIGKILL)
                _wait_group_gone(pgid, STRAGGLER_SECONDS, reaper)
    finally:
        if child and child[0].poll() is None:       # an error in this function: never leave the group running
            _signal_group(child[0].pid, signal.SIGKILL)
            child[0].wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        return 128 + received[0]
    return code if code >= 0 else 128 - code
