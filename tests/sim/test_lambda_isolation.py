"""Learners' code cannot leave its execution environment: each way out that got through once is tried from a real
handler (the audit hook alone was bypassable: the learner's code can reach the worker's module and monkeypatch
what the hook calls), and the kernel's fence (workerjail: seccomp + Landlock) is tried with no hook at all."""

from __future__ import annotations

import ctypes
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from awsprep.sim import World, lambda_
from awsprep.sim.lambda_ import worker
from awsprep.sim.lambda_.procruntime import ProcessRuntime
from tests.sim.lambda_helpers import create, invoke, log_lines

ESCAPES = """
import os, sys

def lambda_handler(event, context):
    case, arg = event["case"], event.get("arg")
    me = sys.modules["__main__"]  # the worker itself
    if case == "clear-the-hooks-tables":
        getattr(me, "_BLOCKED", {}).clear(); me._READ.append("/"); me._WRITE.append("/")
        import subprocess
        return subprocess.run(["/bin/touch", arg]).returncode
    if case == "replace-the-hooks-helpers":
        me._inside = lambda *a: True
        import posixpath, builtins
        posixpath.normpath = lambda p: sys.path[0] + "/x"
        builtins.any = lambda it: True
        return open(arg).read()
    if case == "proc-self-root":
        return open("/proc/self/root" + arg).read()
    if case == "dir-fd-of-proc-self":
        fd = os.open("/proc/self", os.O_RDONLY)
        return os.read(os.open("root" + arg, os.O_RDONLY, dir_fd=fd), 100).decode()
    if case == "posixsubprocess":
        import _posixsubprocess
        r, w = os.pipe()
        args = [b"/bin/touch", arg.encode()]
        return _posixsubprocess.fork_exec(args, [b"/bin/touch"], True, (), None, None, -1, -1, -1, -1, -1, -1,
                                          r, w, True, False, 0, None, None, None, -1, None, False)
    if case == "udp-sendmsg":
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        return s.sendmsg([b"x"], [], 0, ("192.0.2.1", 9))
    if case == "write-to-the-reply-pipe":  # whatever fd it is: garbage, a huge length, a forged wrong shape
        import struct
        frame = {"garbage": b"{{{{", "huge": b"{", "list": b"[1]", "no-payload": b'{"op": "result"}'}[arg]
        size = 2**31 if arg == "huge" else len(frame)
        for fd in range(3, 1024):
            try:
                os.write(fd, struct.pack(">I", size) + frame)
            except OSError:
                pass
        return "written"
    return "ok"
"""


@pytest.fixture(scope="module")
def world():
    w = World(seed=5)
    runtime = ProcessRuntime(max_workers=1)
    lambda_.use_runtime(w, runtime)
    create(w, code=ESCAPES, Timeout=10)
    yield w
    w.close()


@pytest.mark.skipif(sys.platform != "linux", reason="the worker's paths and the kernel fence are Linux's")
@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("clear-the-hooks-tables", "PermissionError"),
        ("replace-the-hooks-helpers", "PermissionError"),
        ("proc-self-root", "PermissionError"),
        ("dir-fd-of-proc-self", "PermissionError"),
        ("posixsubprocess", "PermissionError"),
        ("udp-sendmsg", "OSError"),
    ],
)
def test_a_handler_cannot_get_out(world: World, tmp_path: Path, case: str, error: str) -> None:
    secret = Path(__file__)  # a file of the learner's machine outside every folder of the environment
    # A handler's /tmp is its own: a host path under /tmp is "not found" there, which proves nothing about the fence.
    if secret.is_relative_to("/tmp"):
        secret = Path("/etc/passwd")
    marker = tmp_path / "made-by-the-handler"
    arg = str(marker) if case in ("clear-the-hooks-tables", "posixsubprocess") else str(secret)
    out = invoke(world, payload={"case": case, "arg": arg})
    assert out.get("FunctionError") == "Unhandled", out["Payload"]
    assert out["Payload"]["errorType"] == error
    assert not marker.exists()
    assert invoke(world, payload={"case": "none"})["Payload"] == "ok"  # the environment is still usable


@pytest.mark.parametrize("frame", ["garbage", "huge", "list", "no-payload"])
def test_what_a_handler_writes_to_the_workers_pipes_cannot_break_awsprep(world: World, frame: str) -> None:
    out = invoke(world, payload={"case": "write-to-the-reply-pipe", "arg": frame})
    # awsprep no longer trusts that environment: it is killed, as a runtime that broke the Runtime API
    assert out["FunctionError"] == "Unhandled" and out["Payload"]["errorType"] == "Runtime.ExitError"
    assert invoke(world, payload={"case": "none"})["Payload"] == "ok"


JAIL_PROBE = r"""
import json, os, sys, importlib.util
spec = importlib.util.spec_from_file_location("_workerjail", sys.argv[1])
jail = importlib.util.module_from_spec(spec); spec.loader.exec_module(jail)
stdlib = os.path.dirname(os.__file__)
done = jail.confine([stdlib, "/usr/lib", "/lib"], [sys.argv[2]], ["/dev/null"])
out = {"done": done}
def attempt(name, fn):
    try:
        fn(); out[name] = "ALLOWED"
    except OSError as e:
        out[name] = e.errno
import socket, _posixsubprocess, threading
attempt("fork", os.fork)
attempt("exec", lambda: _posixsubprocess.fork_exec([b"/bin/true"], [b"/bin/true"], True, (), None, None,
        -1, -1, -1, -1, -1, -1, *os.pipe(), True, False, 0, None, None, None, -1, None, False))
attempt("socket", socket.socket)
attempt("read-outside", lambda: open(sys.argv[3]).read())
attempt("write-outside", lambda: open(sys.argv[3] + ".new", "w"))
attempt("signal-parent", lambda: os.kill(os.getppid(), 0))
attempt("write-own-tmp", lambda: open(os.path.join(sys.argv[2], "ok"), "w").write("x"))
t = threading.Thread(target=lambda: out.__setitem__("thread", "ran")); t.start(); t.join()
print(json.dumps(out))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="seccomp and Landlock are Linux's")
def test_the_kernel_fence_holds_without_the_audit_hook(tmp_path: Path) -> None:
    jail = Path(worker.__file__).with_name("workerjail.py")
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    run = subprocess.run(
        [sys.executable, "-I", "-S", "-c", JAIL_PROBE, str(jail), str(own_tmp), str(secret)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    out = json.loads(run.stdout)
    if platform.machine().lower() in ("x86_64", "amd64", "aarch64", "arm64"):
        assert out["done"]["seccomp"] is True
        for name in ("fork", "exec", "socket", "signal-parent"):
            assert out[name] != "ALLOWED", name
    if out["done"]["landlock"]:
        assert out["read-outside"] != "ALLOWED" and out["write-outside"] != "ALLOWED"
    assert out["write-own-tmp"] == "ALLOWED" and out["thread"] == "ran"
    assert not (tmp_path / "secret.txt.new").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/status is Linux's")
def test_max_memory_used_is_the_environments_own_not_awsprep_s() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # awsprep's own process grows well past a trivial handler's need
    ballast[::4096] = b"x" * len(ballast[::4096])
    w = World(seed=7)
    lambda_.use_runtime(w, ProcessRuntime(max_workers=1))
    try:
        create(w, code="def lambda_handler(e, c):\n    return 1\n")
        assert invoke(w)["Payload"] == 1
        report = [line for line in log_lines(w) if line.startswith("REPORT")]
        used = int(report[-1].split("Max Memory Used: ")[1].split(" MB")[0])
        assert used < 200, report[-1]
    finally:
        del ballast
        w.close()


@pytest.mark.skipif(sys.platform != "linux", reason="seccomp and Landlock are Linux's")
def test_real_workers_run_inside_the_kernel_fence() -> None:
    w = World(seed=6)
    runtime = ProcessRuntime(max_workers=1)
    lambda_.use_runtime(w, runtime)
    try:
        create(w, code="def lambda_handler(e, c):\n    return 1\n")
        assert invoke(w)["Payload"] == 1
        (jail,) = runtime.confinement()
        if platform.machine().lower() in ("x86_64", "amd64", "aarch64", "arm64"):
            assert jail["seccomp"] is True
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        abi = libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(VERSION): this kernel's ABI, or -1
        assert jail["landlock"] == max(abi, 0)
    finally:
        w.close()
