"""Confinement of the VM process: what Linux offers, applied in the child before the VM starts.

The VM's Python-level view is a board's (``mpy/_boot.py``), but MicroPython code can undo that
(``del sys.modules['os']`` brings back the unix port's ``os.system`` and ``VfsPosix``), and the VM's C
code (``uctypes`` pokes memory) is not a boundary at all. So the child process itself is confined:

- **Landlock** (Linux >= 5.13, when the LSM is enabled): no file may be written, created or removed
  anywhere (the flash image comes in as an open file descriptor, ``simulator/flashstore.py``); reads only
  below the private folder and the simulator's module folder; no exec of any program; from Landlock
  ABI 4 no TCP bind/connect, from ABI 6 no abstract UNIX sockets and no signals to processes outside.
- **seccomp** (x86_64 Linux): ``socket``, ``socketpair``, ``execve``, ``execveat``, ``fork``, ``vfork``,
  ``clone`` without ``CLONE_THREAD`` (a process, not a thread), ``setsid``, ``setpgid``, ``unshare``,
  ``setns``, ``ptrace``, ``io_uring_*`` and ``prctl(PR_SET_PDEATHSIG)`` fail with EPERM; ``clone3``
  with ENOSYS (its flags sit in memory a filter cannot read; glibc then falls back to ``clone`` for
  threads). So: no network, no programs, no second process, and threads still work.
- **Resource limits** (POSIX ``setrlimit``): address space (``RLIMIT_AS``, which also bounds the number
  of threads, each holding a stack), file size (``RLIMIT_FSIZE``: the flash image's size, with SIGXFSZ
  ignored so that a write beyond it fails with EFBIG instead of killing the VM), no core dumps.
- **Dies with the kernel**: ``PR_SET_PDEATHSIG`` (SIGKILL when the kernel process ends, however it
  ends), checked against the kernel's pid for the race at start; with fork and setsid denied, the VM
  is the only process it could ever be.

Where a mechanism is missing (macOS, old or locked-down kernels, another CPU) the VM runs without it
and ``%status`` says which limits hold. The child reports what it applied in a small file in the
private folder (STATUS_NAME), opened before Landlock forbids writing it.
Only ``os``, ``sys``, ``json``, ``resource``, ``signal`` and ``ctypes`` are imported: this runs on every
VM start.
"""

from __future__ import annotations

import os
import sys

ENV_NAME = "MICROPYTHON_KERNEL_CONFINE"  # JSON: see child_environment
STATUS_NAME = "confinement.txt"
UNCONFINED = "none: the VM process is not confined (Landlock and seccomp unavailable here)"

# Linux ABI numbers (include/uapi/linux/landlock.h, seccomp.h, audit.h, prctl.h).
_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_REMOVE_DIR, _FS_REMOVE_FILE, _FS_MAKE_DIR, _FS_MAKE_REG = 1 << 4, 1 << 5, 1 << 7, 1 << 8
_FS_ABI1_ALL = (1 << 13) - 1
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_X86_64_DENIED = {
    "socket": 41,
    "socketpair": 53,
    "execve": 59,
    "execveat": 322,
    "fork": 57,
    "vfork": 58,
    "setsid": 112,
    "setpgid": 109,
    "unshare": 272,
    "setns": 308,
    "ptrace": 101,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
}
_X86_64_CLONE, _X86_64_CLONE3, _X86_64_PRCTL = 56, 435, 157
_CLONE_THREAD, _PR_SET_PDEATHSIG = 0x00010000, 1
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO, _EPERM, _ENOSYS = 0x7FFF0000, 0x00050000, 1, 38
# The VM's address space: CPython hosting it takes ~17 MB, the GC heap comes on top (measured with
# /proc/PID/status VmSize: 16.7 MB for the esp32 profile); each thread's stack takes ~200 KB more.
ADDRESS_SPACE_BASE = 64 * 1024 * 1024
MIN_FILE_LIMIT = 64 * 1024  # (the child's own report is a file too)


def child_environment(
    status: str, readable: list[str], *, heap_bytes: int, max_file_bytes: int
) -> dict[str, str]:
    """The environment entry that asks the VM child to confine itself (see confine_child): report to
    ``status``; read only below ``readable``; the limits for a VM with a ``heap_bytes`` GC heap whose
    largest file (the flash image) has ``max_file_bytes``."""
    import json

    request = {
        "status": status,
        "readable": readable,
        "address_space": ADDRESS_SPACE_BASE + 2 * heap_bytes,
        "file_size": max(max_file_bytes, MIN_FILE_LIMIT),
        "parent": os.getpid(),
    }
    return {ENV_NAME: json.dumps(request)}


def confine_child() -> None:
    """In the VM child, before ``run_main``: apply what the system offers, write what was applied."""
    request_text = os.environ.pop(ENV_NAME, None)  # the VM's os.getenv must not see the layout
    if request_text is None:
        return
    import json

    request = json.loads(request_text)
    report = open(request["status"], "w")  # noqa: SIM115 (open now: Landlock forbids it afterwards)
    applied = [_die_with_parent(request["parent"]), _limits(request)]
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # required by both, and right for a sandbox
        applied.append(_landlock(libc, request["readable"]))
        applied.append(_seccomp(libc))
    with report:
        report.write("; ".join(item for item in applied if item) or UNCONFINED)


def _die_with_parent(parent: int) -> str:
    """SIGKILL when the kernel process ends (Linux); at once if it already has."""
    if not sys.platform.startswith("linux"):
        return ""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        return ""
    if os.getppid() != parent:  # the kernel ended before prctl: nobody would ever stop this VM
        os._exit(1)
    return "dies with the kernel (PR_SET_PDEATHSIG)"


def _limits(request: dict) -> str:
    """Address space, file size and core dumps (setrlimit); what held, in words."""
    try:
        import resource
        import signal
    except ImportError:  # (no resource module: not POSIX)
        return ""
    held = []
    for name, limit, words in (
        ("RLIMIT_AS", request["address_space"], f"memory {request['address_space'] // (1024 * 1024)} MB"),
        ("RLIMIT_FSIZE", request["file_size"], f"files {request['file_size'] // 1024} KB"),
        ("RLIMIT_CORE", 0, ""),
    ):
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(which, (limit, limit))
        except (OSError, ValueError):
            continue
        if words:
            held.append(words)
    if hasattr(signal, "SIGXFSZ"):  # a write past the limit fails (EFBIG) instead of killing the VM
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return f"limits: {', '.join(held)}" if held else ""


def _landlock(libc, readable: list[str]) -> str:
    import ctypes

    abi = libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    if abi < 1:
        return ""
    handled_fs = _FS_ABI1_ALL
    if abi >= 2:
        handled_fs |= _FS_REFER
    if abi >= 3:
        handled_fs |= _FS_TRUNCATE
    if abi >= 5:
        handled_fs |= _FS_IOCTL_DEV
    handled_net = _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 else 0
    scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0
    attr = (ctypes.c_uint64 * 3)(handled_fs, handled_net, scoped)
    attr_size = 8 if abi < 4 else 16 if abi < 6 else 24  # the struct grew with the ABI
    ruleset = libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), attr_size, 0)
    if ruleset < 0:
        return ""
    try:
        # Read only: nothing may be written, created or removed (the flash image is an open fd).
        for path in readable:
            if not _add_path_rule(libc, ruleset, path, _FS_READ_FILE | _FS_READ_DIR):
                return ""
        if libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            return ""
    finally:
        os.close(ruleset)
    net = ", no TCP" if handled_net else ""
    return f"Landlock ABI {abi} (no file written but the flash image, no host files read, no programs{net})"


def _add_path_rule(libc, ruleset: int, path: str, access: int) -> bool:
    import ctypes

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = PathBeneath(access, fd)
        return (
            libc.syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0)
            == 0
        )
    finally:
        os.close(fd)


def _seccomp(libc) -> str:
    """A BPF filter refusing what a board cannot do (see the module's docstring); x86_64 only."""
    import ctypes

    if os.uname().machine != "x86_64":
        return ""
    program = _filter_program()

    class SockFilter(ctypes.Structure):
        _fields_ = [
            ("code", ctypes.c_uint16),
            ("jt", ctypes.c_uint8),
            ("jf", ctypes.c_uint8),
            ("k", ctypes.c_uint32),
        ]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

    filters = (SockFilter * len(program))(*[SockFilter(*item) for item in program])
    fprog = SockFprog(len(program), filters)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return ""
    return "seccomp (no sockets, no exec, no fork or new session, no io_uring; threads allowed)"


def _filter_program() -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) statements; jumps (forward only, as BPF wants) are written to
    labels, then resolved."""
    ld_w_abs, jeq_k, jge_k, jset_k, ret_k = 0x20, 0x15, 0x35, 0x45, 0x06
    arch, nr, arg0_low = 4, 0, 16  # offsets in struct seccomp_data (arg0's low half: little-endian)
    # (code, k, jump if true, jump if false): a jump is a label or None (the next statement).
    steps: list[tuple[str | None, int, int, str | None, str | None]] = [
        (None, ld_w_abs, arch, None, None),
        (None, jeq_k, _AUDIT_ARCH_X86_64, None, "eperm"),  # another ABI (i386 via int 0x80): refuse it
        (None, ld_w_abs, nr, None, None),
        (None, jge_k, _X32_SYSCALL_BIT, "eperm", None),  # x32 variants: refuse
        *[(None, jeq_k, number, "eperm", None) for number in _X86_64_DENIED.values()],
        (None, jeq_k, _X86_64_CLONE3, "enosys", None),
        (None, jeq_k, _X86_64_CLONE, "clone", None),
        (None, jeq_k, _X86_64_PRCTL, "prctl", None),
        (None, ret_k, _SECCOMP_RET_ALLOW, None, None),
        ("clone", ld_w_abs, arg0_low, None, None),
        (None, jset_k, _CLONE_THREAD, "allow", "eperm"),  # a thread, not a process
        ("prctl", ld_w_abs, arg0_low, None, None),
        (None, jeq_k, _PR_SET_PDEATHSIG, "eperm", "allow"),  # (the death signal stays)
        ("allow", ret_k, _SECCOMP_RET_ALLOW, None, None),
        ("eperm", ret_k, _SECCOMP_RET_ERRNO | _EPERM, None, None),
        ("enosys", ret_k, _SECCOMP_RET_ERRNO | _ENOSYS, None, None),
    ]
    where = {label: index for index, (label, *_) in enumerate(steps) if label}
    program = []
    for index, (_, code, k, if_true, if_false) in enumerate(steps):
        jt = where[if_true] - index - 1 if if_true else 0
        jf = where[if_false] - index - 1 if if_false else 0
        program.append((code, jt, jf, k))
    return program
