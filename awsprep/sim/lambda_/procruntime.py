"""The real runtime: each execution environment is a separate `python -I -S worker.py` process.

Its folder holds `task/` (the unzipped package, the handler's /var/task), `opt/` (the layers, extracted in order:
/opt) and `tmp/` (/tmp). The process gets only the environment the simulator builds (nothing of the learner's
shell, simulated credentials only), limits itself before user code runs (worker.py), and is killed on timeout,
crash, out-of-memory, stop and close. Every runtime is closed at interpreter exit, so no worker outlives awsprep.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import weakref
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from awsprep.sim.lambda_.runtime import EnvSpec, InitResult, InvokeRequest, InvokeResult

WORKER = str(Path(__file__).with_name("worker.py"))
HEADER = struct.Struct(">I")
INIT_LIMIT_S = 10.0  # Lambda's INIT phase limit for on-demand functions (spec §6.5)
LOG_CAP = 256 * 1024  # bytes of one invocation's output kept (a CloudWatch Logs event is at most 256 KB)
UNZIPPED_CAP = 250 * 1024 * 1024  # function plus layers, unzipped (spec §1.4)
_ALL: weakref.WeakSet[ProcessRuntime] = weakref.WeakSet()
_DROPPED: dict[int, int] = {}  # log fd -> bytes of output beyond LOG_CAP in the current phase


class PackageError(Exception):
    """A deployment package that cannot be extracted safely."""


def pool_size() -> int:
    """Real environments at once: a few per core, at least 2, at most 6 (the rest of a burst is modelled)."""
    return max(2, min(6, 2 * (os.cpu_count() or 1)))


def _available_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 4096


def extract(data: bytes, dest: Path, budget: list[int]) -> None:
    """Unzip a package into `dest`: no absolute paths, no `..`, no links, within the unzipped size budget."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise PackageError(str(exc)) from None
    for info in members:
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts:
            raise PackageError(f"unsafe path in package: {info.filename}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            continue  # a symbolic link: not followed, not created
        budget[0] -= info.file_size
        if budget[0] < 0:
            raise PackageError("unzipped size must be smaller than 262144000 bytes")
        target = dest.joinpath(*name.parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out)


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    req: int  # we write frames here
    rep: int  # we read frames here
    log: int  # the handler's stdout and stderr
    folder: Path
    spec: EnvSpec
    buffer: bytearray = field(default_factory=bytearray)
    jail: dict[str, Any] = field(default_factory=dict)  # what the kernel enforces on it (workerjail.confine)


class ProcessRuntime:
    """Execution environments as real processes, at most `max_workers` at once and within the machine's memory."""

    def __init__(self, max_workers: int | None = None) -> None:
        self.max_workers = max_workers or pool_size()
        self._root: Path | None = None
        self._workers: dict[str, _Worker] = {}
        _ALL.add(self)

    # ----- the port ----------------------------------------------------------------------------------------------
    def has_room(self, memory_mb: int) -> bool:
        if not self._workers:
            return True  # one environment always runs for real
        if len(self._workers) >= self.max_workers:
            return False
        reserved = sum(w.spec.memory_mb for w in self._workers.values())
        return reserved + memory_mb <= _available_mb() // 2

    def live(self) -> int:
        return len(self._workers)

    def start(self, spec: EnvSpec) -> InitResult:
        folder = self._folder(spec.env_id)
        task, opt, tmp = folder / "task", folder / "opt", folder / "tmp"
        for d in (task, opt, tmp):
            d.mkdir(parents=True)
        budget = [UNZIPPED_CAP]
        try:
            extract(spec.code, task, budget)
            for layer in spec.layers:
                extract(layer, opt, budget)
        except PackageError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            error = {"errorMessage": f"Could not unzip the package: {exc}", "errorType": "Runtime.InvalidPackage"}
            return InitResult(False, 0.0, error, status="error")
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        log_r, log_w = os.pipe()
        env = dict(spec.environment)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", WORKER],
                cwd=task,
                env=env,
                stdin=req_r,
                stdout=log_w,
                stderr=log_w,
                pass_fds=(rep_w,),
                start_new_session=True,
                close_fds=True,
            )
        finally:
            for fd in (req_r, rep_w, log_w):
                os.close(fd)
        os.set_blocking(log_r, False)
        worker = _Worker(proc, req_w, rep_r, log_r, folder, spec)
        self._workers[spec.env_id] = worker
        version = spec.runtime.removeprefix("python")
        site = str(opt / "python" / "lib" / f"python{version}" / "site-packages")
        cfg = {
            "reply_fd": rep_w,
            "handler": spec.handler,
            "task_root": str(task),
            "opt_root": str(opt),
            "tmp_root": str(tmp),
            "layer_paths": [site, str(opt / "python")],
            "memory_mb": spec.memory_mb,
            "cpu_seconds": 3600,
            "tmp_mb": spec.ephemeral_mb,
            "function_name": spec.function_name,
            "log_group": spec.log_group,
            "log_stream": spec.log_stream,
        }
        started = time.perf_counter()
        self._send(worker, cfg)
        reply, log = self._wait(worker, started + INIT_LIMIT_S)
        log_text = self._text(worker, log)
        if reply is None:
            status = "crash" if _exited(worker.proc) else "timeout"
            self.stop(spec.env_id)
            return InitResult(False, (time.perf_counter() - started) * 1000, None, log_text, status=status)
        memory = int(reply.get("max_rss_kb", 0)) // 1024
        if reply["op"] == "ready":
            worker.jail = dict(reply.get("jail") or {})
            return InitResult(True, float(reply["init_ms"]), None, log_text, memory)
        self.stop(spec.env_id)
        status = "oom" if reply["op"] == "oom" else "error"
        return InitResult(
            False, float(reply.get("init_ms", 0.0)), self._paths(worker, reply.get("error")), log_text, memory, status
        )

    def invoke(self, env_id: str, request: InvokeRequest) -> InvokeResult:
        worker = self._workers[env_id]
        started = time.perf_counter()
        self._send(
            worker,
            {
                "op": "invoke",
                "request_id": request.request_id,
                "event": request.event,
                "version": request.version,
                "invoked_arn": request.invoked_arn,
                "remaining_ms": request.remaining_ms,
                "client_context": request.client_context,
            },
        )
        reply, log = self._wait(worker, started + request.remaining_ms / 1000.0)
        elapsed = (time.perf_counter() - started) * 1000
        text = self._text(worker, log)
        if reply is None:
            timed_out = not _exited(worker.proc)
            code = self._stop(env_id)
            if timed_out:
                return InvokeResult("timeout", "", float(request.remaining_ms), worker.spec.memory_mb, text, False)
            return InvokeResult("crash", _exit_reason(code), elapsed, worker.spec.memory_mb, text, False)
        memory = int(reply.get("max_rss_kb", 0)) // 1024
        duration = float(reply.get("duration_ms", elapsed))
        op = reply["op"]
        if op == "result":
            return InvokeResult("ok", reply["payload"], duration, memory, text)
        if op == "error":
            error = self._paths(worker, reply["error"]) or {}
            error["requestId"] = request.request_id
            return InvokeResult("error", json.dumps(error), duration, memory, text)
        self.stop(env_id)
        if op == "oom":
            return InvokeResult("oom", "", duration, worker.spec.memory_mb, text, False)
        return InvokeResult("crash", f"exit status {reply.get('code', 1)}", duration, memory, text, False)

    def stop(self, env_id: str) -> None:
        self._stop(env_id)

    def _stop(self, env_id: str) -> int | None:
        worker = self._workers.pop(env_id, None)
        if worker is None:
            return None
        code = _kill(worker.proc)
        for fd in (worker.req, worker.rep, worker.log):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(worker.folder, ignore_errors=True)
        return code

    def close(self) -> None:
        for env_id in list(self._workers):
            self.stop(env_id)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def pids(self) -> list[int]:
        """Process ids of the running workers (tests check none is left behind)."""
        return [w.proc.pid for w in self._workers.values()]

    # ----- the wire ----------------------------------------------------------------------------------------------
    def confinement(self) -> list[dict[str, Any]]:
        """What the kernel enforces on each live worker ({"seccomp": bool, "landlock": ABI}, README)."""
        return [dict(w.jail) for w in self._workers.values()]

    def _folder(self, env_id: str) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="awsprep-lambda-"))
        return self._root / env_id

    def _send(self, worker: _Worker, msg: dict[str, Any]) -> None:
        data = json.dumps(msg).encode()
        try:
            os.write(worker.req, HEADER.pack(len(data)))
            view = memoryview(data)
            while view:
                view = view[os.write(worker.req, view) :]
        except (BrokenPipeError, OSError):
            pass  # the worker is gone: _wait sees its pipe close

    def _wait(self, worker: _Worker, deadline: float) -> tuple[dict[str, Any] | None, bytearray]:
        """Read the reply frame (None on timeout or a dead worker) and, meanwhile, the log (bounded)."""
        log = bytearray()
        sel = selectors.DefaultSelector()
        sel.register(worker.rep, selectors.EVENT_READ, "rep")
        sel.register(worker.log, selectors.EVENT_READ, "log")
        try:
            while True:
                try:
                    frame = _frame(worker.buffer)
                except ValueError:  # the learner's code wrote to the reply pipe: the environment is not trusted
                    _kill(worker.proc)
                    _drain(worker.log, log)
                    return None, log
                if frame is not None:
                    _drain(worker.log, log)
                    return frame, log
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None, log
                for key, _ in sel.select(left):
                    if key.data == "log":
                        _drain(worker.log, log)
                        continue
                    chunk = os.read(worker.rep, 1 << 20)
                    if not chunk:
                        _drain(worker.log, log)
                        return None, log
                    worker.buffer += chunk
        finally:
            sel.close()

    def _text(self, worker: _Worker, log: bytearray) -> str:
        text = bytes(log).decode("utf-8", "replace")
        dropped = _DROPPED.pop(worker.log, 0)
        if dropped:
            text += f"\n[awsprep: {dropped} more bytes of output were dropped]\n"
        return _lambda_paths(worker.folder, text)

    def _paths(self, worker: _Worker, error: Any) -> dict[str, Any] | None:
        if not isinstance(error, dict):
            return None
        out: dict[str, Any] = json.loads(_lambda_paths(worker.folder, json.dumps(error)))
        return out


def _lambda_paths(folder: Path, text: str) -> str:
    """Show the environment's folders as Lambda names them (/var/task, /opt, /tmp), never the host's paths."""
    for sub, shown in (("task", "/var/task"), ("opt", "/opt"), ("tmp", "/tmp")):
        text = text.replace(str(folder / sub), shown)
    return text


MAX_FRAME = 64 * 1024 * 1024  # far above a 6 MB response, JSON-escaped
_NUMBERS = ("init_ms", "duration_ms", "max_rss_kb")
_SHAPES = {"result": ("payload", str), "error": ("error", dict), "init_error": ("error", dict), "exit": ("code", int)}


def _frame(buffer: bytearray) -> dict[str, Any] | None:
    """The next reply frame, or None while it is incomplete. ValueError when it is not one the worker sends:
    the handler can write to the pipe too, and nothing it writes may break awsprep."""
    if len(buffer) < HEADER.size:
        return None
    (size,) = HEADER.unpack_from(buffer)
    if size > MAX_FRAME:
        raise ValueError("frame too large")
    if len(buffer) < HEADER.size + size:
        return None
    body = bytes(buffer[HEADER.size : HEADER.size + size])
    del buffer[: HEADER.size + size]
    msg = json.loads(body)  # JSONDecodeError is a ValueError
    if not isinstance(msg, dict) or msg.get("op") not in ("ready", "oom", *_SHAPES):
        raise ValueError("not a reply")
    if any(not isinstance(msg.get(k, 0), (int, float)) or isinstance(msg.get(k), bool) for k in _NUMBERS):
        raise ValueError("not a reply")
    key, kind = _SHAPES.get(msg["op"], ("op", str))
    if not isinstance(msg.get(key), kind):
        raise ValueError("not a reply")
    return msg


def _drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            return
        if not chunk:
            return
        room = LOG_CAP - len(into)
        if room > 0:
            into += chunk[:room]
        if len(chunk) > room:
            _DROPPED[fd] = _DROPPED.get(fd, 0) + len(chunk) - max(room, 0)


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the worker ended by itself (its pipe closes just before the kernel reports the exit)."""
    try:
        proc.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        return False
    return True


def _kill(proc: subprocess.Popen[bytes]) -> int | None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        name = {signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault", signal.SIGABRT: "aborted"}
        return f"signal: {name.get(signal.Signals(-code), signal.Signals(-code).name.lower())}"
    return f"exit status {code if code is not None else 1}"


@atexit.register
def _close_all() -> None:
    for runtime in list(_ALL):
        runtime.close()
