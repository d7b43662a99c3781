"""The execution environment's runtime: run by `python -I -S worker.py` as a separate process, never imported.

It imports nothing from awsprep (the learner's code must not reach awsprep), only the standard library. The
parent (`procruntime.py`) speaks to it over two pipes with length-prefixed JSON frames; the learner's prints go
to fds 1 and 2, which are a third pipe the parent reads as the function's log. Protocol: sim/lambda_/README.md.

Before any learner code runs it sets its own resource limits, swaps the Lambda paths (/var/task, /opt, /tmp) for
the environment's own folders, and installs an audit hook that refuses processes, native code, the network and
files outside the environment (both in workerjail.py). Audit hooks cannot be removed once added.
"""

import contextlib
import io
import json
import os
import resource
import struct
import sys
import time
import traceback
from typing import Any

REQ_FD = 0  # frames from the parent (moved off fd 0 at start so input() in a handler sees EOF)
HEADER = struct.Struct(">I")
MB = 1024 * 1024


def _read_exact(fd: int, n: int) -> bytes:
    chunks: list[bytes] = []
    while n:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv(fd: int) -> Any:
    (size,) = HEADER.unpack(_read_exact(fd, HEADER.size))
    return json.loads(_read_exact(fd, size))


_REP = [-1]  # frames to the parent: the fd the first frame names


def _send(msg: dict[str, Any]) -> None:
    data = HEADER.pack(0) + json.dumps(msg).encode()
    view = memoryview(bytearray(data))
    HEADER.pack_into(view, 0, len(data) - HEADER.size)
    while view:
        view = view[os.write(_REP[0], view) :]


# ----- the Lambda file system: /var/task, /opt and /tmp are this environment's own folders -------------------------
_MAP: list[tuple[str, str]] = []  # (lambda prefix, real folder)
_READ: list[str] = []  # real folders (and files) the handler may read
_WRITE: list[str] = []  # real folders it may write


def _translate(path: Any) -> Any:
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, str):
        for prefix, real in _MAP:
            if path == prefix or path.startswith(prefix + "/"):
                return real + path[len(prefix) :]
    return path


def _wrap(fn: Any, nargs: int = 1) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        moved = [_translate(a) if i < nargs else a for i, a in enumerate(args)]
        return fn(*moved, **kwargs)

    wrapped.__name__ = getattr(fn, "__name__", "wrapped")
    wrapped.__doc__ = getattr(fn, "__doc__", None)
    return wrapped


def _install_paths() -> None:
    import builtins

    builtins.open = io.open = _wrap(io.open)
    for name in ("open", "stat", "lstat", "listdir", "scandir", "mkdir", "remove", "unlink", "rmdir", "chdir"):
        setattr(os, name, _wrap(getattr(os, name)))
    for name in ("access", "chmod", "utime", "truncate"):
        setattr(os, name, _wrap(getattr(os, name)))
    os.rename = _wrap(os.rename, 2)
    os.replace = _wrap(os.replace, 2)


# ----- limits -------------------------------------------------------------------------------------------------------
def _limit(name: str, value: int) -> None:
    kind = getattr(resource, name, None)
    if kind is None:
        return
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (value, value))


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set_limits(cfg: dict[str, Any]) -> None:
    # Memory: the function's MemorySize on top of what the bare interpreter already maps.
    _limit("RLIMIT_AS", _vm_size() + cfg["memory_mb"] * MB)
    _limit("RLIMIT_CPU", int(cfg["cpu_seconds"]))  # a net under the parent's own wall-clock timeout
    _limit("RLIMIT_NOFILE", 1024)  # Lambda's file-descriptor quota
    _limit("RLIMIT_FSIZE", cfg["tmp_mb"] * MB)  # no single file beyond the ephemeral storage
    _limit("RLIMIT_CORE", 0)
    # Where the kernel allows: the process may not start any other (fork bombs). Audit hooks refuse it too.
    if cfg.get("nproc") is not None:
        _limit("RLIMIT_NPROC", cfg["nproc"])


def _load_jail() -> Any:
    # workerjail sits beside this file (`python -I` does not put this folder on sys.path). It is loaded by path and
    # kept out of sys.modules, so no learner module named like it is shadowed.
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workerjail.py")
    spec = importlib.util.spec_from_file_location("_workerjail", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _die_with_parent() -> None:
    try:
        import ctypes  # before the hook: loading libc is refused afterwards

        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG = SIGKILL: the worker never outlives awsprep
    except (OSError, AttributeError, ImportError):
        pass


# ----- the context object (spec §6.6) -------------------------------------------------------------------------------
class Identity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class LambdaContext:
    def __init__(self, inv: dict[str, Any], static: dict[str, Any]) -> None:
        self.function_name = static["function_name"]
        self.function_version = inv["version"]
        self.invoked_function_arn = inv["invoked_arn"]
        self.memory_limit_in_mb = str(static["memory_mb"])
        self.aws_request_id = inv["request_id"]
        self.log_group_name = static["log_group"]
        self.log_stream_name = static["log_stream"]
        self.identity = Identity()
        self.client_context = inv.get("client_context")
        self._deadline = time.monotonic() + inv["remaining_ms"] / 1000.0

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn}])"
        )


# ----- INIT and INVOKE, as the AWS Python runtime reports their errors ---------------------------------------------
def _error(kind: str, message: str, trace: list[str] | None = None) -> dict[str, Any]:
    return {"errorMessage": message, "errorType": kind, "requestId": "", "stackTrace": trace or []}


def _user_trace(exc: BaseException) -> list[str]:
    # Only the learner's own frames (under /var/task or /opt), as the AWS runtime shows them.
    roots = [real + "/" for _, real in _MAP[:2]]
    frames = traceback.extract_tb(exc.__traceback__)
    return traceback.format_list([f for f in frames if any(f.filename.startswith(r) for r in roots)])


def _load_handler(handler: str) -> tuple[Any, Any]:
    import importlib

    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        return None, _error("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}")
    if modname.split(".")[0] in sys.builtin_module_names:
        return None, _error(
            "Runtime.BuiltInModuleConflict", f"Cannot use built-in module {modname} as a handler module"
        )
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        return None, _error("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}")
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n    {e.text}']
        return None, _error("Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}", trace)
    except MemoryError:
        return None, "oom"
    except BaseException as e:  # code outside the handler raised: Lambda reports it as an init error
        return None, _error(type(e).__name__, str(e), _user_trace(e))
    fn = getattr(module, fname, None)
    if fn is None:
        return None, _error("Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'")
    return fn, None


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _usage() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _serve(cfg: dict[str, Any]) -> None:
    t0 = time.perf_counter()
    fn, err = _load_handler(cfg["handler"])
    init_ms = (time.perf_counter() - t0) * 1000
    _flush()
    if err == "oom":
        _send({"op": "oom", "init_ms": init_ms, "max_rss_kb": _usage()})
        return
    if err is not None:
        _send({"op": "init_error", "error": err, "init_ms": init_ms, "max_rss_kb": _usage()})
        return
    _send({"op": "ready", "init_ms": init_ms, "max_rss_kb": _usage(), "jail": cfg.get("jail")})
    while True:
        try:
            inv = _recv(_REQ[0])
        except EOFError:
            return
        if inv.get("op") != "invoke":
            return
        ctx = LambdaContext(inv, cfg)
        event = json.loads(inv["event"])
        t0 = time.perf_counter()
        reply: dict[str, Any] = {"op": "result"}
        try:
            result = fn(event, ctx)
            try:
                reply["payload"] = json.dumps(result)
            except (TypeError, ValueError) as e:
                reply = {"op": "error", "error": _error("Runtime.MarshalError", f"Unable to marshal response: {e}")}
        except MemoryError:
            reply = {"op": "oom"}
        except SystemExit as e:
            _flush()
            reply = {"op": "exit", "code": e.code if isinstance(e.code, int) else 1}
        except BaseException as e:
            try:
                message = str(e)
            except Exception:
                message = ""
            reply = {"op": "error", "error": _error(type(e).__name__, message, _user_trace(e))}
        reply["duration_ms"] = (time.perf_counter() - t0) * 1000
        reply["max_rss_kb"] = _usage()
        _flush()
        _send(reply)
        if reply["op"] in ("oom", "exit"):
            return


_REQ = [REQ_FD]


def main() -> None:
    _REQ[0] = os.dup(REQ_FD)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    cfg = _recv(_REQ[0])
    _REP[0] = cfg["reply_fd"]
    _die_with_parent()
    _set_limits(cfg)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
    task, opt, tmp = cfg["task_root"], cfg["opt_root"], cfg["tmp_root"]
    _MAP[:] = [("/var/task", task), ("/opt", opt), ("/tmp", tmp)]
    stdlib = [os.path.dirname(os.__file__)]  # the standard library (lib-dynload is inside it)
    own = [f"/proc/self/{name}" for name in ("status", "statm", "stat", "limits")]  # not /proc/self/root, fd …
    _READ[:] = [task, opt, tmp, *stdlib, *own, "/dev/urandom", "/dev/random", "/etc/localtime", "/usr/share/zoneinfo"]
    _WRITE[:] = [tmp]
    sys.path[:0] = [task, *cfg["layer_paths"]]
    sys.argv = ["/var/runtime/bootstrap.py"]
    # The kernel's fence (the native libraries a later import loads stay readable to it), before the Lambda paths
    # are mapped (the real folders may themselves lie under /tmp), then the hook.
    libs = ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", os.path.join(sys.base_prefix, "lib")]
    jail = _load_jail()
    cfg["jail"] = jail.confine(_READ + libs + ["/etc/ld.so.cache"], _WRITE, ["/dev/null"])
    _install_paths()
    sys.addaudithook(jail.make_hook(tuple(_READ), tuple(_WRITE)))
    _serve(cfg)


if __name__ == "__main__":
    main()
