"""When a build may fork a helper process (分进程), and how such a child is set up.

Two stages share the work of one build with a forked child on a machine with a second core:
the layout measures the later pages' stories ahead (layout/ahead.py) and the verifier reads
the later pages of the written PDF back (verify.py). Both fork only where it is safe and pays:
``os.fork`` exists and the platform is not macOS (where forking after the system frameworks
are loaded is unsafe; CPython's default there is ``spawn``), this process runs a single
thread (a lock another thread holds would be copied into the child locked), at least two
CPUs are available to it, and the stage's environment switch does not say one process.
"""

from __future__ import annotations

import os
import sys
import threading

#: The environment switches: a value of 0 or 1 keeps the stage in one process.
LAYOUT_SWITCH = "PAPERLAYOUT_LAYOUT_WORKERS"
VERIFY_SWITCH = "PAPERLAYOUT_VERIFY_PROCESSES"


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def switched_off(switch: str) -> bool:
    """Whether the environment variable `switch` asks for one process (0 or 1)."""
    value = os.environ.get(switch, "").strip()
    return value.isdigit() and int(value) <= 1


def platform_forks() -> bool:
    """Whether forking a child is safe on this platform at all."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def one_thread() -> bool:
    """Whether this process runs a single thread (forking with others running could copy a
    lock one of them holds into the child, locked)."""
    return threading.active_count() == 1


def may_fork(switch: str) -> bool:
    """Whether a stage governed by `switch` may share its work with a forked child now."""
    return platform_forks() and one_thread() and not switched_off(switch) and cores() >= 2


def child_setup() -> None:
    """In a freshly forked child: Ctrl-C is the parent's to handle, and only the parent
    speaks to the user (standard output and error go to the null device)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)


def before_fork() -> None:
    """Flush what this process has buffered, so that the child does not write it again."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
