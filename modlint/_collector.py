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
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

BATCH_THRESHOLD = 10_000


@contextmanager
def batch(freeze: bool) -> Iterator[None]:
    """The collector tuned for a run, and restored afterwards; ``freeze`` for a run over
    many files."""
    before = gc.get_threshold()
    if freeze:
        gc.freeze()
    gc.set_threshold(max(before[0], BATCH_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()
