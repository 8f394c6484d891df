"""Real-time CPU priority for a worker's Python threads, where the server may have it (issue 14).

Why: a worker's event loop (admission, shedding, ``/healthz``, sending every answer) and its
lanes' threads (the Flask app) share one GIL. Under load the thread holding it was often not
on a CPU: preempted by the load's other work (the executors, the clients, other processes), it
kept every other thread of the worker waiting, the loop among them; within a busy loop pass the
loop's own CPU was a tenth of the pass's time. Nice values do not help across processes of other
sessions (each session is a scheduling group of its own: ``sched_autogroup``). So, where the
process may (root, ``CAP_SYS_NICE`` or an ``RLIMIT_RTPRIO``), a worker runs the threads that
take its GIL at real-time priority (``SCHED_RR``), above all normal work on the machine: the
loop and granian's threads started after it (its I/O runtime, which takes the GIL to hand each
request to the loop) at ``LOOP_PRIORITY``, the lanes' threads just below (``LANE_PRIORITY``),
so the loop preempts them, and none of them is preempted by normal work while it holds the
GIL. The query executors (other processes, forked by a fork server started before) stay
normal, and so does whatever a lane's thread starts (``SCHED_RESET_ON_FORK``).

Measured on the shared 2-core machine, 512 clients with the slow load, load average 5-13,
back to back (``/healthz`` p99 over 100 probes, the prober at ``SCHED_FIFO``): normal priority
159-258 ms; the loop alone real-time, the lanes normal 46-115 ms (the loop waited for the GIL
held by a preempted lane thread); loop and lanes real-time but granian's threads normal
336-630 ms (the same, through granian's thread); all of them real-time 6-8 ms.

The bound: a real-time thread that spins (a request that never ends its work, a callback that
loops) would take a CPU from everything else (the kernel leaves normal work 5 % of each CPU).
A guard thread checks, every ``GUARD_WINDOW_S``, the CPU each real-time thread of the worker
took; if one took over ``GUARD_SHARE`` of a core in ``GUARD_WINDOWS`` windows in a row, all of
them run at normal priority until a window in which none did. It looks at single threads, not
their sum: together, at the load benchmark's busy levels, they took more than a core of a
quiet machine in a window and were right to (a sum over 0.9 of a core demoted the workers
every other second at 8 and 32 clients). ``CTKG_REALTIME=0`` turns all of it off.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

log = logging.getLogger("ctkg.server")

# Linux's values where ``os`` lacks them (the module must import everywhere; elsewhere
# ``sched_setscheduler`` is missing and nothing is raised)
_RR = getattr(os, "SCHED_RR", 2)
_FIFO = getattr(os, "SCHED_FIFO", 1)
_OTHER = getattr(os, "SCHED_OTHER", 0)
_RESET_ON_FORK = getattr(os, "SCHED_RESET_ON_FORK", 0x40000000)
_REALTIME = (_RR, _FIFO)
POLICY = _RR
LOOP_PRIORITY = 2
LANE_PRIORITY = 1
GUARD_WINDOW_S = 1.0
GUARD_SHARE = 0.9
GUARD_WINDOWS = 2


class RealTime:
    """A worker's real-time threads: entered one by one, guarded together."""

    def __init__(self):
        self.on = False  # the loop's thread runs real-time: lanes' threads follow it
        self.demoted: dict[int, tuple[int, int]] = {}  # tid -> (policy, priority) to restore
        self.lock = threading.Lock()
        self.guard: threading.Thread | None = None
        self.stopped = threading.Event()  # ends the guard (tests; a worker never stops it)
        self.over_windows = 0  # windows in a row in which one thread took too much

    def enter_loop(self) -> bool:
        """In the event loop's thread: real-time at ``LOOP_PRIORITY`` if the process may;
        True if it does. Without ``SCHED_RESET_ON_FORK``: the threads granian starts for this
        worker after it (its I/O runtime, which takes the GIL to hand over every request)
        inherit it, as they must. Starts the guard."""
        if self.on:
            return True
        try:
            os.sched_setscheduler(0, POLICY, os.sched_param(LOOP_PRIORITY))
        except (OSError, AttributeError):  # not permitted (or not Linux): stay as is
            return False
        self.on = True
        self.guard = threading.Thread(target=self._watch, name="realtime-guard", daemon=True)
        self.guard.start()
        return True

    def follow(self) -> bool:
        """In a lane's thread as it starts: real-time at ``LANE_PRIORITY`` if the loop is;
        what this thread starts (executor start-ups, a fork server) runs at normal priority."""
        if not self.on:
            return False
        with self.lock:
            if self.demoted:  # the guard holds the worker at normal priority this window
                self.demoted[threading.get_native_id()] = (POLICY, LANE_PRIORITY)
                policy, priority = _OTHER, 0
            else:
                policy, priority = POLICY, LANE_PRIORITY
            try:
                os.sched_setscheduler(0, policy | _RESET_ON_FORK, os.sched_param(priority))
            except OSError:
                return False
        return True

    def _watch(self) -> None:
        """The guard: every ``GUARD_WINDOW_S``, the CPU the worker's real-time threads took;
        over ``GUARD_SHARE`` of a core, they run at normal priority for the next window."""
        with contextlib.suppress(OSError):  # itself at normal priority, whatever it inherited
            os.sched_setscheduler(0, _OTHER, os.sched_param(0))
        last = _threads()
        while not self.stopped.wait(GUARD_WINDOW_S):
            now = _threads()
            self.judge(last, now)
            last = now

    def judge(self, before: dict, now: dict) -> bool:
        """One window of the guard: ``before`` and ``now`` are ``_threads()`` at its ends.
        If one real-time thread took over ``GUARD_SHARE`` of a core in each of the last
        ``GUARD_WINDOWS`` windows, they all run at normal priority until a window in which
        none did; True if they run demoted now."""
        worst = max(
            (
                ns - before.get(tid, (0, 0, 0))[2]
                for tid, (policy, _, ns) in now.items()
                if policy in _REALTIME or tid in self.demoted
            ),
            default=0,
        )
        over = worst / 1e9 > GUARD_SHARE * GUARD_WINDOW_S
        self.over_windows = self.over_windows + 1 if over else 0
        self._set(self.over_windows >= GUARD_WINDOWS, now)
        return bool(self.demoted)

    def _set(self, over: bool, threads: dict[int, tuple[int, int, int]]) -> None:
        with self.lock:
            if over and not self.demoted:
                log.warning(
                    "a real-time thread of this worker took over %.0f %% of a core for %d s: "
                    "the worker's threads run at normal priority until it does not",
                    GUARD_SHARE * 100,
                    GUARD_WINDOWS * GUARD_WINDOW_S,
                )
                for tid, (policy, priority, _) in threads.items():
                    if policy in _REALTIME:
                        self.demoted[tid] = (policy, priority)
                        _set_thread(tid, _OTHER, 0)
            elif not over and self.demoted:
                for tid, (policy, priority) in self.demoted.items():
                    _set_thread(tid, policy, priority)
                self.demoted.clear()


def _set_thread(tid: int, policy: int, priority: int) -> None:
    with contextlib.suppress(OSError):  # the thread may have ended
        reset = os.sched_getscheduler(tid) & _RESET_ON_FORK
        os.sched_setscheduler(tid, policy | reset, os.sched_param(priority))


def _threads() -> dict[int, tuple[int, int, int]]:
    """This process's threads: native id -> (policy, real-time priority, CPU nanoseconds)."""
    out = {}
    for name in os.listdir("/proc/self/task"):
        try:
            tid = int(name)
            with open(f"/proc/self/task/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/self/task/{name}/schedstat") as f:
                ns = int(f.read().split()[0])
            # after the command: state is field 3; rt_priority 40 and policy 41 (1-based)
            out[tid] = (int(fields[38]), int(fields[37]), ns)
        except (OSError, ValueError, IndexError):
            continue
    return out


# one per worker process (a forked worker starts with its parent's, which has no threads in it)
REALTIME = RealTime()
