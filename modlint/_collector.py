"""The cycle collector's settings while modules are checked.

A check leaves no reference cycles (tests/test_parsing.py looks), so each module's
objects are freed by reference counting as soon as its check ends. The collector still
runs every 700 new container objects, which a module's tokens and blocks pass several
times over, and each run finds nothing; the oldest generation's runs also walk every
object loaded at start (the rule catalogue, personas, patterns). Together that was
about 4% of a check, counted with the collector's callbacks.

So, during a run, the youngest generation is collected after 10,000 new objects
instead of 700: garbage that does hold a cycle (a plugin's, say) is still collected,
just less often. For a run over many files, what exists at the start is also moved out
of the collector's sight (``gc.freeze``, which spares the forked workers from copying
those pages too); not for a few files, because putting the frozen objects back makes
the collector walk them all once more (about 1% of a one-file run's instructions).
Everything is put back as it was when the run ends.

Within such a run, what is loaded from the result cache (the decoded file and each
file's findings made from it) is kept to the end of the run, yet the collector walked
it as it grew, young and again middle-aged: a warm run over 4,000 modules took 0.65 s
with that, 0.60 s without. So that part runs with the collector off, and what it made
is frozen too.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

BATCH_THRESHOLD = 10_000


@contextmanager
def batch() -> Iterator[None]:
    """The youngest generation collected after :data:`BATCH_THRESHOLD` new objects until
    the block ends: for a command's whole run (the CLI's, not the language server's)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], BATCH_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def frozen() -> Iterator[None]:
    """What exists now kept out of the collector's sight until the block ends: for a run
    over many files (the runner's, before it forks its workers)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def kept() -> Iterator[None]:
    """No collection while the block runs, and what it made frozen after: for work inside
    :func:`frozen` whose objects all last to the end of the run (results read from the cache)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
