"""No network for the processes that run untrusted SPARQL: a seccomp filter on ``socket()``.

Why: pyoxigraph really fetches (``SERVICE <url>`` POSTs, ``LOAD <url>`` GETs) and offers no
hook to turn its HTTP client off or route it through ours (0.5.13: ``Store.query``/``update``
take no service handler). Checking the text with a second parser first (``guard.py``) cannot
be made safe: where rdflib's lexer and Oxigraph's disagree, a query rdflib reads without
SERVICE runs in Oxigraph with one. So the processes that run queries and updates are made
unable to open a network socket at all, whatever the query says.

``deny_network()`` installs, in the calling process (and every thread it starts later), a
classic-BPF seccomp filter that makes ``socket()`` fail with EACCES for every address family
but AF_UNIX (so pipes and the executor's socket pairs keep working; TCP, UDP, raw, packet and
netlink sockets cannot be created), and ``io_uring_setup()`` fail with ENOSYS (io_uring can
open sockets without the ``socket`` syscall). Other ABIs on the same kernel (x32, i386) get
EACCES for every call, so no syscall-number trick gets round it. The filter cannot be removed
by the process it is in; children inherit it. It is written in raw BPF through ``prctl`` and
``seccomp(2)`` (no libseccomp needed); x86-64 and aarch64.

The executors inherit no network sockets (the fork server starts with only its control socket),
so "cannot create one" is "cannot connect". If the filter cannot be installed
(``SandboxUnavailable``), callers fail closed: they refuse to run queries rather than run them
with network access.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# BPF opcodes
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

# offsets in struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6]
_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16

# (audit arch, socket, io_uring_setup, seccomp, x32 bit or None) per machine
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 317, 0x40000000),
    "aarch64": (0xC00000B7, 198, 425, 277, None),
}


class SandboxUnavailable(OSError):
    """The kernel (or the machine) does not let this process give up its network access."""


_installed = False


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _program(machine: str) -> bytes:
    arch, nr_socket, nr_io_uring, _, x32 = _ARCHES[machine]
    deny = _RET_ERRNO | errno.EACCES
    insns = [
        _insn(_LD_W_ABS, 0, 0, _OFF_ARCH),
        _insn(_JEQ_K, 1, 0, arch),  # native ABI: go on; else deny everything
        _insn(_RET_K, 0, 0, deny),
        _insn(_LD_W_ABS, 0, 0, _OFF_NR),
    ]
    if x32 is not None:
        insns += [_insn(_JGE_K, 0, 1, x32), _insn(_RET_K, 0, 0, deny)]
    insns += [
        _insn(_JEQ_K, 0, 1, nr_io_uring),
        _insn(_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS),
        _insn(_JEQ_K, 1, 0, nr_socket),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
        _insn(_LD_W_ABS, 0, 0, _OFF_ARG0),  # the address family
        _insn(_JEQ_K, 0, 1, socket.AF_UNIX),
        _insn(_RET_K, 0, 0, _RET_ALLOW),
        _insn(_RET_K, 0, 0, deny),
    ]
    return b"".join(insns)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> None:
    """Make this process (and its future threads and children) unable to create network
    sockets. Idempotent; raises SandboxUnavailable if the kernel will not install the filter."""
    global _installed
    if _installed:
        return
    machine = platform.machine()
    if machine not in _ARCHES:
        raise SandboxUnavailable(f"no network sandbox for {machine}")
    program = _program(machine)
    buffer = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}")
    nr_seccomp = _ARCHES[machine][3]
    libc.syscall.restype = ctypes.c_long
    done = libc.syscall(
        ctypes.c_long(nr_seccomp),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(prog),
    )
    if done != 0:
        # an older kernel without seccomp(2): prctl applies to this thread, fine before threads
        done = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0)
    if done != 0:
        raise SandboxUnavailable(f"seccomp filter refused: errno {ctypes.get_errno()}")
    _installed = True


def network_denied() -> bool:
    """True once ``deny_network()`` has succeeded in this process."""
    return _installed
