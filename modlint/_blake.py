"""``blake2b`` for cache keys, without importing :mod:`hashlib`.

hashlib loads OpenSSL's bindings on import, about 4 ms that every run of a one-file
pre-commit check would pay for one hash function CPython builds in on its own."""
from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

__all__ = ["blake2b"]
