"""Confinement of the VM process: what Linux offers, applied in the child before the VM starts.

The VM's Python-level view is a board's (``mpy/_boot.py``), but MicroPython code can undo that
(``del sys.modules['os']`` brings back the unix port's ``os.system`` and ``VfsPosix``), and the VM's C
code (``uctypes`` pokes memory) is not a boundary at all. So the child process itself is confined:

- **Landlock** (Linux >= 5.13, when the LSM is enabled): files only below the private flash folder
  (read/write) and the simulator's module folder (read-only); no exec of any program; from Landlock ABI 4
  no TCP bind/connect, from ABI 6 no abstract UNIX sockets and no signals to processes outside.
- **seccomp** (x86_64 Linux): the ``socket``, ``socketpair``, ``execve`` and ``execveat`` system calls
  fail with EPERM, so no network of any kind (UDP, UNIX sockets included) and no programs.

Where neither is available (macOS, old or locked-down kernels) the VM runs unconfined and ``%status``
says so. The child reports what it applied in a small file in the private folder (STATUS_NAME).
Only ``os``, ``sys`` and ``ctypes`` are imported: this runs on every VM start.
"""

from __future__ import annotations

import os
import sys

ENV_NAME = "MICROPYTHON_KERNEL_CONFINE"  # "<status file>:<read-write folder>:<read-only folder>..."
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
_X86_64_DENIED = {"socket": 41, "socketpair": 53, "execve": 59, "execveat": 322}
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO, _EPERM = 0x7FFF0000, 0x00050000, 1


def child_environment(status: str, read_write: str, read_only: list[str]) -> dict[str, str]:
    """The environment entry that asks the VM child to confine itself (see confine_child)."""
    return {ENV_NAME: os.pathsep.join([status, read_write, *read_only])}


def confine_child() -> None:
    """In the VM child, before ``run_main``: apply what the system offers, write what was applied."""
    request = os.environ.pop(ENV_NAME, None)  # the VM's os.getenv must not see the layout
    if request is None:
        return
    status, read_write, *read_only = request.split(os.pathsep)
    applied = []
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # required by both, and right for a sandbox
        applied.append(_landlock(libc, read_write, read_only))
        applied.append(_seccomp(libc))
    report = "; ".join(item for item in applied if item) or UNCONFINED
    with open(status, "w") as f:
        f.write(report)


def _landlock(libc, read_write: str, read_only: list[str]) -> str:
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
        write = _FS_READ_FILE | _FS_READ_DIR | _FS_WRITE_FILE | _FS_REMOVE_FILE | _FS_MAKE_REG
        write |= _FS_TRUNCATE if abi >= 3 else 0
        rules = [(read_write, write)] + [(path, _FS_READ_FILE | _FS_READ_DIR) for path in read_only]
        for path, access in rules:
            if not _add_path_rule(libc, ruleset, path, access):
                return ""
        if libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            return ""
    finally:
        os.close(ruleset)
    net = ", no TCP" if handled_net else ""
    return f"Landlock ABI {abi} (files: the flash folder only, no programs{net})"


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
    """A BPF filter failing socket/socketpair/execve/execveat with EPERM (x86_64 only)."""
    import ctypes

    if os.uname().machine != "x86_64":
        return ""

    ld_w_abs, jeq_k, jge_k, ret_k = 0x20, 0x15, 0x35, 0x06

    def statement(code: int, k: int, jt: int = 0, jf: int = 0) -> tuple[int, int, int, int]:
        return (code, jt, jf, k)

    denied = list(_X86_64_DENIED.values())
    program = [
        statement(ld_w_abs, 4),  # seccomp_data.arch
        statement(jeq_k, _AUDIT_ARCH_X86_64, 1, 0),
        statement(ret_k, _SECCOMP_RET_ERRNO | _EPERM),  # another ABI (i386 via int 0x80): refuse it
        statement(ld_w_abs, 0),  # seccomp_data.nr
        statement(jge_k, _X32_SYSCALL_BIT, len(denied) + 1, 0),  # x32 variants: refuse
    ]
    for index, number in enumerate(denied):
        program.append(statement(jeq_k, number, len(denied) - index, 0))
    program += [statement(ret_k, _SECCOMP_RET_ALLOW), statement(ret_k, _SECCOMP_RET_ERRNO | _EPERM)]

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
    return "seccomp (no sockets, no exec)"
