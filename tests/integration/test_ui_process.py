"""`policy-wh ui` stops on one SIGTERM or one Ctrl-C (SIGINT), and takes dagster dev's whole process group along.

Each case starts the real command (dagster dev: webserver, daemon, code server) on a free port with every path
in tmp_path — with SIGINT ignored, as a script or make started without job control hands it over — waits until the webserver answers /server_info, sends ONE signal to policy-wh and then checks that
policy-wh and every process it started are gone (by pid and by process group). Linux only (it reads /proc).
About a minute per case on a 2-core machine, almost all of it dagster dev starting up.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180       # dagster dev on a busy 2-core machine needs about 60 s
STOP_SECONDS = 40           # policy-wh waits 10 s for a clean shutdown, then kills the group

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a live process, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[2])


def _descendants(root: int) -> dict[int, int]:
    """pid → process group of every live descendant of ``root``."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := _stat(int(entry.name))) is not None:
            table[int(entry.name)] = info
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (_, ppid, pgid) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = pgid
                frontier.append(pid)
    return found


def _gone(pid: int) -> bool:
    info = _stat(pid)
    return info is None or info[0] in ("Z", "X")    # a zombie has exited; only its parent's wait is missing


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    # killpg also reaches zombies: the group is gone when every member has exited
    return all(_gone(pid) for pid in _group_members(pgid))


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := _stat(int(entry.name))) is not None and info[2] == pgid:
            members.append(int(entry.name))
    return members


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_policy_wh_ui_stops_with_its_process_group_on_one_signal(tmp_path, signum):
    data = tmp_path / "data"
    env = dict(os.environ)
    env.update({
        "POLICY_WH_DATA": str(data),
        "POLICY_WH_DB": str(data / "warehouse.duckdb"),
        "POLICY_WH_PUBLISHED": str(data / "published" / "warehouse.duckdb"),
        "POLICY_WH_INBOX": str(data / "inbox"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        # the code under test, also for dagster dev's own processes
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    port = _free_port()
    log_path = tmp_path / "ui.log"
    # As `make ui` started from a script or a shell without job control: SIGINT arrives ignored (SIG_IGN is
    # inherited through exec). Python then installs no Ctrl-C handler and dagster dev gives SIGTERM the same
    # (ignoring) handler — so the exec'ed dagster dev of old stopped on neither signal.
    command = ["/bin/sh", "-c", 'trap "" INT; exec "$0" "$@"',
               str(Path(sys.executable).with_name("policy-wh")), "ui", "--port", str(port)]
    with open(log_path, "wb") as log:
        # its own session, so the signal below is the only one it gets
        ui = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    seen: dict[int, int] = {}
    try:
        def up() -> bool:
            assert ui.poll() is None, f"policy-wh ui exited early:\n{log_path.read_text(errors='replace')[-4000:]}"
            return _answers(port)

        assert _wait_until(up, STARTUP_SECONDS), f"no /server_info on port {port}:\n" \
                                                f"{log_path.read_text(errors='replace')[-4000:]}"
        seen = _descendants(ui.pid)
        groups = set(seen.values())
        ui_group = os.getpgid(ui.pid)
        assert len(seen) >= 4, seen     # dagster dev, the webserver, the daemon and the code server (at least)

        ui.send_signal(signum)
        try:
            code = ui.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"policy-wh ui still running {STOP_SECONDS} s after {signum.name}")
        assert code == 128 + signum
        left = [pid for pid in seen if not _wait_until(lambda pid=pid: _gone(pid), 10)]
        assert left == [], f"still running after {signum.name}: {left}"
        for pgid in groups:     # os.killpg(pgid, 0) raises ProcessLookupError (or only zombies are left)
            assert _wait_until(lambda: _group_gone(pgid), 10), f"process group {pgid}: {_group_members(pgid)}"
        assert not _answers(port)
        # dagster dev ran in a process group of its own (the terminal's Ctrl-C reaches policy-wh, which forwards it)
        assert ui_group not in groups and len(groups) == 1, (ui.pid, seen)
    finally:
        # never leave a UI behind, even when an assertion failed: only the groups this test started
        for pgid in {*seen.values(), ui.pid}:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if ui.poll() is None:
            ui.kill()
            ui.wait()
