"""Kernel-enforced confinement of an execution environment (Linux): imported only by `worker.py`, in the worker.

The worker's audit hook gives the learner AWS-like errors, but it lives in the same interpreter as the learner's
code, which can reach the worker's module, monkeypatch what the hook calls or call `_posixsubprocess` and file
descriptors directly. So the kernel enforces the limits that matter, whatever the code does in its own process:
- seccomp (x86_64, aarch64): no new processes or programs (fork, vfork, clone without CLONE_THREAD, execve),
  no sockets, no ptrace or reading other processes' memory, no signals to any other process, no io_uring (which
  would bypass seccomp), no links, namespaces, mounts, BPF or kernel keys;
- Landlock (Linux >= 5.13, unprivileged): the files it may read (its folders, the standard library and the
  shared libraries it loads) and the one folder it may write (its /tmp); no TCP (ABI >= 4); no signals or
  abstract sockets outside itself (ABI >= 6).
Both need `no_new_privs`, which also keeps setuid programs from gaining anything. Where the kernel offers neither
(macOS, old kernels), the audit hook (`make_hook`) is the only fence; `confine()` says what it could set.
"""

import ctypes
import errno
import os
import platform
import struct
from typing import Any

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
CLONE_THREAD = 0x00010000


def _ret_errno(code: int) -> int:
    return 0x00050000 | code


def _table(pairs: str) -> dict[str, int]:
    words = pairs.split()
    return {name: int(nr) for name, nr in zip(words[::2], words[1::2], strict=True)}


# (audit arch, syscalls refused with EPERM, clone, clone3, kill family) per machine. Numbers: asm/unistd_64.h and
# asm-generic/unistd.h.
_X86_64 = (
    0xC000003E,
    _table(
        "fork 57 vfork 58 execve 59 execveat 322 socket 41 ptrace 101 process_vm_readv 310 process_vm_writev 311 "
        "pidfd_open 434 pidfd_send_signal 424 pidfd_getfd 438 io_uring_setup 425 userfaultfd 323 unshare 272 "
        "setns 308 mount 165 umount2 166 pivot_root 155 chroot 161 bpf 321 perf_event_open 298 keyctl 250 "
        "add_key 248 request_key 249 open_by_handle_at 304 name_to_handle_at 303 mknod 133 mknodat 259 link 86 "
        "linkat 265 symlink 88 symlinkat 266 rt_sigqueueinfo 129 rt_tgsigqueueinfo 297 init_module 175 "
        "finit_module 313 kexec_load 246"
    ),
    56,
    435,
    (62, 200, 234),
)
_AARCH64 = (
    0xC00000B7,
    _table(
        "execve 221 execveat 281 socket 198 ptrace 117 process_vm_readv 270 process_vm_writev 271 pidfd_open 434 "
        "pidfd_send_signal 424 pidfd_getfd 438 io_uring_setup 425 userfaultfd 282 unshare 97 setns 268 mount 40 "
        "umount2 39 pivot_root 41 chroot 51 bpf 280 perf_event_open 241 keyctl 219 add_key 217 request_key 218 "
        "open_by_handle_at 265 name_to_handle_at 264 mknodat 33 linkat 37 symlinkat 36 rt_sigqueueinfo 138 "
        "rt_tgsigqueueinfo 240 init_module 105 finit_module 273 kexec_load 104"
    ),
    220,
    435,
    (129, 130, 131),
)


def _stmt(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


LD_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06


def seccomp_program(machine: str, pid: int) -> bytes | None:
    """The BPF filter for this machine, or None where it has no table."""
    table = {"x86_64": _X86_64, "amd64": _X86_64, "aarch64": _AARCH64, "arm64": _AARCH64}.get(machine.lower())
    if table is None:
        return None
    arch, refused, clone, clone3, kills = table
    eperm = _ret_errno(errno.EPERM)
    prog = [_stmt(LD_ABS, 4), _stmt(JEQ, arch, 1, 0), _stmt(RET, RET_KILL_PROCESS), _stmt(LD_ABS, 0)]
    if arch == _X86_64[0]:  # the x32 ABI shares the arch value: its numbers have bit 30 set
        prog += [_stmt(JGE, 0x40000000, 0, 1), _stmt(RET, eperm)]
    for nr in sorted(refused.values()):
        prog += [_stmt(JEQ, nr, 0, 1), _stmt(RET, eperm)]
    # clone3 cannot be filtered by flags (they are behind a pointer): ENOSYS makes glibc fall back to clone.
    prog += [_stmt(JEQ, clone3, 0, 1), _stmt(RET, _ret_errno(errno.ENOSYS))]
    # clone: threads (CLONE_THREAD) only.
    prog += [_stmt(JEQ, clone, 0, 4), _stmt(LD_ABS, 16), _stmt(JSET, CLONE_THREAD, 0, 1), _stmt(RET, RET_ALLOW)]
    prog += [_stmt(RET, eperm)]
    # kill, tkill, tgkill: only this process itself (its first argument).
    for nr in kills:
        prog += [_stmt(JEQ, nr, 0, 4), _stmt(LD_ABS, 16), _stmt(JEQ, pid, 0, 1), _stmt(RET, RET_ALLOW)]
        prog += [_stmt(RET, eperm)]
    prog.append(_stmt(RET, RET_ALLOW))
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


# ----- the audit hook: the Python-level fence, with AWS-like messages -------------------------------------------------
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_BLOCKED = {
    "os.system": "running programs",
    "os.exec": "running programs",
    "os.posix_spawn": "running programs",
    "os.spawn": "running programs",
    "os.fork": "starting processes",
    "os.forkpty": "starting processes",
    "subprocess.Popen": "running programs",
    "ctypes.dlopen": "loading native code",
    "ctypes.dlsym": "loading native code",
    "ctypes.cdata": "loading native code",
    "os.symlink": "making links",
    "os.link": "making links",
    "resource.setrlimit": "changing resource limits",
    "resource.prlimit": "changing resource limits",
    "os.killpg": "signalling other processes",
    # the ways to reach the hook's own objects (the hook keeps its data in a closure, not in globals)
    "gc.get_objects": "inspecting the runtime",
    "gc.get_referrers": "inspecting the runtime",
    "gc.get_referents": "inspecting the runtime",
}
_NET = {
    "socket.__new__",
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "socket.sendto",
    "socket.sendmsg",
}
_WRITE_EVENTS = {"os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime"}


def make_hook(read: tuple[str, ...], write: tuple[str, ...]) -> Any:
    """The audit hook, with everything it uses bound now: the learner's code can reach this module
    (sys.modules["__main__"]) and monkeypatch os, posixpath or builtins, so the hook reads no global and calls
    only methods of built-in types and functions captured here. (On Linux the kernel enforces the same limits:
    `confine`; the hook gives the AWS-like error messages.)"""
    blocked, net, write_events = dict(_BLOCKED), frozenset(_NET), frozenset(_WRITE_EVENTS)
    write_flags, getcwd, getpid, inst = _WRITE_FLAGS, os.getcwd, os.getpid, isinstance
    read_prefixes = tuple(r.rstrip("/") + "/" for r in read)
    write_prefixes = tuple(r.rstrip("/") + "/" for r in write)

    def inside(path: Any, roots: tuple[str, ...], prefixes: tuple[str, ...]) -> bool:
        if inst(path, int):
            return True  # an fd this process already holds
        if inst(path, bytes):
            path = path.decode("utf-8", "surrogateescape")
        if not inst(path, str):
            return False
        if not path.startswith("/"):
            path = getcwd() + "/" + path
        parts: list[str] = []
        for seg in path.split("/"):  # lexical, as os.path.normpath (which the learner could replace)
            if seg in ("", "."):
                continue
            if seg == "..":
                if parts:
                    parts.pop()
            else:
                parts.append(seg)
        full = "/" + "/".join(parts)
        return full in roots or full.startswith(prefixes)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            writes = (inst(mode, str) and ("w" in mode or "a" in mode or "x" in mode or "+" in mode)) or (
                inst(flags, int) and flags & write_flags
            )
            if path == "/dev/null" or (
                inside(path, write, write_prefixes) if writes else inside(path, read, read_prefixes)
            ):
                return
            if writes and inside(path, read, read_prefixes):
                raise OSError(30, "Read-only file system", path)
            raise PermissionError(13, "Permission denied", path)
        if event in blocked:
            raise PermissionError(1, f"Operation not permitted: {blocked[event]} is not allowed in this sandbox")
        if event in net:
            raise OSError(101, "Network is unreachable (the simulated Lambda has no network)")
        if event in write_events:
            if not inside(args[0], write, write_prefixes):
                raise OSError(30, "Read-only file system", args[0])
        elif event == "os.rename":
            if not (inside(args[0], write, write_prefixes) and inside(args[1], write, write_prefixes)):
                raise OSError(30, "Read-only file system", args[0])
        elif event in ("os.listdir", "os.scandir", "os.chdir", "glob.glob"):
            if args and args[0] is not None and not inside(args[0], read, read_prefixes):
                raise PermissionError(13, "Permission denied", args[0])
        elif event == "os.kill" and args[0] != getpid():
            raise PermissionError(
                1, "Operation not permitted: signalling other processes is not allowed in this sandbox"
            )

    return hook


# ----- Landlock (include/uapi/linux/landlock.h) ---------------------------------------------------------------------
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_REMOVE_DIR, FS_REMOVE_FILE, FS_MAKE_DIR, FS_MAKE_REG = 16, 32, 128, 256
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV  # the rights a file rule may hold


def _handled_fs(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


def _landlock(libc: Any, reads: list[str], writes: list[str], files_rw: list[str]) -> int:
    abi = libc.syscall(SYS_CREATE_RULESET, None, 0, 1)  # LANDLOCK_CREATE_RULESET_VERSION
    if abi < 1:
        return 0
    handled = _handled_fs(abi)
    if abi >= 6:
        attr = struct.pack("QQQ", handled, 3, 3)  # no TCP bind/connect; signals and abstract sockets scoped
    elif abi >= 4:
        attr = struct.pack("QQ", handled, 3)
    else:
        attr = struct.pack("Q", handled)
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(SYS_CREATE_RULESET, buf, len(attr), 0)
    if ruleset < 0:
        return 0
    read = FS_READ_FILE | FS_READ_DIR
    write = read | FS_WRITE_FILE | FS_REMOVE_DIR | FS_REMOVE_FILE | FS_MAKE_DIR | FS_MAKE_REG
    write |= handled & (FS_REFER | FS_TRUNCATE)
    try:
        for paths, rights in ((reads, read), (writes, write), (files_rw, FS_READ_FILE | FS_WRITE_FILE)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = rights & handled if os.path.isdir(path) else rights & handled & FILE_RIGHTS
                    rule = ctypes.create_string_buffer(struct.pack("=Qi", allowed, fd), 12)
                    libc.syscall(SYS_ADD_RULE, ruleset, 1, rule, 0)  # LANDLOCK_RULE_PATH_BENEATH
                finally:
                    os.close(fd)
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) != 0:
            return 0
    finally:
        os.close(ruleset)
    return int(abi)


def confine(reads: list[str], writes: list[str], files_rw: list[str]) -> dict[str, Any]:
    """Confine this process for good; returns what was set ({"seccomp": bool, "landlock": ABI or 0})."""
    done: dict[str, Any] = {"seccomp": False, "landlock": 0}
    if platform.system() != "Linux":
        return done
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return done
    done["landlock"] = _landlock(libc, reads, writes, files_rw)
    prog = seccomp_program(platform.machine(), os.getpid())
    if prog is not None:
        filt = ctypes.create_string_buffer(prog, len(prog))
        fprog = _SockFprog(len(prog) // 8, ctypes.addressof(filt))
        done["seccomp"] = libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
    return done
