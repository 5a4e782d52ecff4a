"""Time limits for work on untrusted input: parsing a module, running one rule.

A limit uses ``SIGALRM`` (``signal.setitimer``), so it only works in the main
thread of a process on platforms that have it; elsewhere (a worker thread,
Windows) :func:`time_limit` runs the code with no limit. A ``SIGALRM`` is only
handled between Python bytecodes, so a single long call into C (one huge regular
expression match) finishes before the limit strikes.

The process pool in :mod:`modlint.runner` is safe: each worker runs its files in
its own main thread, with its own timer. A limit never replaces a timer that is
already running (someone else's alarm, or an outer limit): the inner code then
runs with no limit of its own.
"""
from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator


class TimeLimitExceeded(BaseException):
    """Raised inside the limited code when its time is up. A BaseException, so
    ``except Exception`` in a rule or a library cannot swallow it."""


# Whether our handler is installed, and whether it should raise when called.
# Only the main thread touches these (see _signals_usable).
_installed = False
_armed = False
# For a stretch of calls under one timer (:class:`CallLimits`): when the call now
# running must stop (time.monotonic()); infinity between calls.
_deadline = math.inf


def _on_alarm(signum: int, frame: Any) -> None:
    # An alarm that arrives just after a limit ended (the timer is stopped a
    # moment later) must not interrupt the code that follows.
    if _armed and time.monotonic() >= _deadline:
        raise TimeLimitExceeded()


def _signals_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def can_limit(seconds: float) -> bool:
    if not seconds or seconds <= 0 or not _signals_usable():
        return False
    try:
        return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # someone else's timer: leave it be
    except (OSError, ValueError):
        return False


@contextmanager
def handler_installed() -> Iterator[None]:
    """Keep the alarm handler installed for a stretch of limited calls, such as
    every rule on one file. Installing a handler costs ten times what arming the
    timer does, and there are a hundred rules per file."""
    global _installed
    if _installed or not _signals_usable():
        yield
        return
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    except (ValueError, OSError):
        yield
        return
    _installed = True
    try:
        yield
    finally:
        _installed = False
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Raise :class:`TimeLimitExceeded` in the body once ``seconds`` have passed.
    Yields whether a limit is in force. The alarm repeats every 0.1 s after the
    first, in case the code swallows the first one (a bare ``except:``)."""
    global _armed
    if not can_limit(seconds):
        yield False
        return
    with handler_installed():
        if not _installed:  # the handler could not be installed
            yield False
            return
        global _deadline
        _armed, _deadline = True, -math.inf  # the first alarm is the limit itself
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
            yield True
        finally:
            _armed, _deadline = False, math.inf
            signal.setitimer(signal.ITIMER_REAL, 0)


# How often the shared timer of :class:`CallLimits` looks at the clock once the
# shortest limit has passed: the precision of every limit in the stretch.
_TICK = 0.1


class CallLimits:
    """Limits for many short calls in a row (every rule on one file) for the price
    of one timer: :meth:`start` sets the limit of the call about to run, :meth:`stop`
    clears it. The timer first fires after the shortest limit any call can have, then
    every :data:`_TICK`; each alarm raises only when the running call's own limit has
    passed. Arming a timer for each call would cost more than most rules do.
    ``active`` is False where limits cannot work (see the module docstring)."""

    def __init__(self, shortest: float) -> None:
        self.shortest = shortest
        self.active = False

    def __enter__(self) -> "CallLimits":
        global _armed, _deadline
        if _installed and can_limit(self.shortest):
            _armed, _deadline = True, math.inf
            signal.setitimer(signal.ITIMER_REAL, self.shortest, _TICK)
            self.active = True
        return self

    def __exit__(self, *exc: object) -> None:
        global _armed, _deadline
        if self.active:
            _armed, _deadline = False, math.inf
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.active = False

    def start(self, seconds: float) -> None:
        global _deadline
        _deadline = time.monotonic() + seconds if self.active and seconds > 0 and math.isfinite(seconds) else math.inf

    def stop(self) -> None:
        global _deadline
        _deadline = math.inf
