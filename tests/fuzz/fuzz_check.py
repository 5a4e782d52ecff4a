"""Coverage-guided fuzzing of parse-and-check with atheris (libFuzzer).

Every input runs through the same harness as the property tests
(``tests/test_properties.py::check_everything``): check, the collection rules,
the JSON and SARIF reports (validated against their schemas), ``--fix`` in
memory, the gap report and the language server's ranges. An uncaught exception
or a broken promise (a finding at an invalid position, an internal error from a
built-in rule, invalid JSON) is a crash.

Run it (atheris is not a test dependency: ``pip install atheris``)::

    .venv/bin/python tests/fuzz/fuzz_check.py tests/fuzz/corpus examples/modules \\
        -max_total_time=600 -timeout=30 -rss_limit_mb=2048 -artifact_prefix=tests/fuzz/crashes/

New interesting inputs go to the first folder (``tests/fuzz/corpus``, not kept);
a crash is written to ``tests/fuzz/crashes/``. Once fixed, move the crash file to
``tests/regressions/`` with a ``.bin`` suffix: ``test_properties.py`` replays it.
Replay one input without fuzzing: ``python tests/fuzz/fuzz_check.py FILE``.

libFuzzer's own ``-timeout`` uses the same alarm timer as modlint's parse and
rule time budgets, so under the fuzzer those budgets stand aside and a slow
input is reported by libFuzzer as a timeout instead.
"""
from __future__ import annotations

import sys
from pathlib import Path

import atheris

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

with atheris.instrument_imports(include=["modlint"]):
    import modlint.engine  # noqa: F401  (instrumented before the harness imports it)
    import modlint.fixing  # noqa: F401
    import modlint.parsing  # noqa: F401
    import modlint.reporters.json_report  # noqa: F401
    import modlint.reporters.sarif  # noqa: F401

from test_properties import check_everything  # noqa: E402


def test_one_input(data: bytes) -> None:
    check_everything(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
