"""How long from a ``didChange`` to its diagnostics, and does memory stay flat?

Starts ``python -m modlint lsp`` as a real subprocess, speaks LSP to it over stdio
(pygls' client), opens a generated ~3,000-word module and types into it: each edit
is an incremental ``didChange`` inserting a word, and the clock runs until the
``publishDiagnostics`` for that document version arrives. The server runs with no
debounce (``debounceMs: 0``) so the figure is the server's own latency; an editor
adds the debounce (200 ms by default) on top while the author is still typing.

It then opens a second module (``--memory-words`` long) and makes ``--memory-edits``
more edits to it, each checked and published like the others, printing the server's
resident memory (VmRSS) along the way. Those edits insert a word and delete it again
in turn, so the text stays the same size: any growth is the server's, not the document's.

    .venv/bin/python benchmarks/lsp_latency.py             # 200 timed edits, 1,000 more for memory
    .venv/bin/python benchmarks/lsp_latency.py --memory-words 500 --memory-edits 10000

This prints figures; it is not a test and asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "team care patient staff leader learning practice reflect listen support change service colleague "
    "feedback conversation trust safety decision plan review meeting shift ward community partner "
    "example question notice value share time week manager people voice difference power role open "
    "clear plain short kind honest steady careful simple useful everyday local national shared"
).split()


def generate_module(words: int = 3000, seed: int = 7) -> str:
    """A module in the house format: front matter, ``##`` segments with times, activity divs."""
    rng = random.Random(seed)

    def sentence(n: int | None = None) -> str:
        n = n or rng.randint(8, 18)
        text = " ".join(rng.choice(WORDS) for _ in range(n))
        return text[0].upper() + text[1:] + "."

    def paragraph(target: int) -> tuple[str, int]:
        out, count = [], 0
        while count < target:
            s = sentence()
            out.append(s)
            count += len(s.split())
        return " ".join(out), count

    head = """---
id: leading-change-together
title: Leading change together
stage: 2
format: self-paced
duration: 3h
competencies:
  - Build relationships
resumable: true
media:
  - src: media/leading-change.mp4
    type: video
    duration: 8m
    captions: media/leading-change.vtt
    transcript: media/leading-change.txt
access:
  mobile: true
  adjustable_text: true
---
# Leading change together

This module takes about three hours in short sittings. Each part ends at a natural stopping point, and your progress is saved.
"""
    parts = [head]
    total = len(head.split())
    kinds = ["reflection", "discussion", "exercise", "case-study", "action-plan"]
    seg = 0
    while total < words:
        seg += 1
        parts.append(f"\n## Part {seg}: {rng.choice(WORDS)} and {rng.choice(WORDS)} {{time=15m}}\n")
        for _ in range(3):
            text, n = paragraph(rng.randint(60, 110))
            parts.append("\n" + text + "\n")
            total += n
        parts.append("\n- " + sentence(6) + "\n- " + sentence(6) + "\n- " + sentence(6) + "\n")
        total += 18
        kind = kinds[seg % len(kinds)]
        text, n = paragraph(rng.randint(40, 70))
        timing = " time=10m" if kind != "case-study" else ""
        parts.append(f"\n::: {kind}{timing}\n{text}\n:::\n")
        total += n
        if seg % 4 == 0:
            parts.append("\n::: break time=5m\nTake a five-minute break away from the screen.\n:::\n")
            total += 9
    return "".join(parts)


TARGET_MS = 50.0  # the target for the median didChange-to-diagnostics time


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


class Typist:
    """Inserts a word at a random place in a random prose line, as an author would."""

    def __init__(self, text: str, seed: int = 3) -> None:
        self.lines = text.split("\n")
        self.prose = [i for i, ln in enumerate(self.lines) if len(ln) > 80 and not ln.startswith(("#", ":::", "-", " "))]
        self.rng = random.Random(seed)

    def next(self) -> tuple[int, int, str]:
        line = self.rng.choice(self.prose)
        col = self.lines[line].find(" ", self.rng.randrange(len(self.lines[line]) // 2)) + 1
        word = self.rng.choice(WORDS) + " "
        self.lines[line] = self.lines[line][:col] + word + self.lines[line][col:]
        return line, col, word

    def text(self) -> str:
        return "\n".join(self.lines)

    def undo(self, line: int, col: int, word: str) -> tuple[int, int, int, int]:
        """Delete a word just inserted: the range to replace with nothing."""
        self.lines[line] = self.lines[line][:col] + self.lines[line][col + len(word) :]
        return line, col, line, col + len(word)


def in_process(path: Path, text: str, edits: int, warmup: int) -> list[float]:
    """The same edits linted in this process: the share of the latency that is linting."""
    from modlint.lsp.service import LintService

    service = LintService()
    typist = Typist(text)
    service.lint(path, text)
    timings = []
    for i in range(warmup + edits):
        typist.next()
        current = typist.text()
        t0 = time.perf_counter()
        service.lint(path, current)
        if i >= warmup:
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


async def run(args: argparse.Namespace) -> None:
    from lsprotocol import types as t
    from pygls.lsp.client import LanguageClient
    from pygls import uris

    text = generate_module(args.words)
    folder = Path(tempfile.mkdtemp(prefix="modlint-lsp-bench-"))
    if args.select:
        (folder / ".modlint.yaml").write_text(f"select: [{args.select}]\n", encoding="utf-8")
    path = folder / "leading-change.md"
    path.write_text(text, encoding="utf-8")
    uri = uris.from_fs_path(str(path))
    assert uri is not None

    client = LanguageClient("modlint-bench", "1")
    waiting: dict[tuple[str, int], asyncio.Future[int]] = {}
    counts: dict[int, int] = {}

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: t.PublishDiagnosticsParams) -> None:
        if params.version is None:
            return
        if params.uri == uri:
            counts[params.version] = len(params.diagnostics)
        fut = waiting.pop((params.uri, params.version), None)
        if fut is not None and not fut.done():
            fut.set_result(len(params.diagnostics))

    @client.feature(t.WINDOW_SHOW_MESSAGE)
    def on_message(params: t.ShowMessageParams) -> None:
        pass

    @client.feature(t.WINDOW_LOG_MESSAGE)
    def on_log(params: t.LogMessageParams) -> None:
        pass

    await client.start_io(sys.executable, "-m", "modlint", "lsp")
    pid = client._server.pid  # type: ignore[union-attr]
    await client.initialize_async(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(text_document=t.TextDocumentClientCapabilities(publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True))),
            initialization_options={"debounceMs": 0},
        )
    )
    client.initialized(t.InitializedParams())
    loop = asyncio.get_running_loop()

    version = 1
    fut = loop.create_future()
    waiting[(uri, version)] = fut
    started = time.perf_counter()
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)))
    first = await asyncio.wait_for(fut, 120)
    open_ms = (time.perf_counter() - started) * 1000

    typist = Typist(text)

    async def change(target: str, start: tuple[int, int], end: tuple[int, int], new_text: str) -> float:
        """Send one incremental didChange and wait for that version's diagnostics."""
        nonlocal version
        version += 1
        fut = loop.create_future()
        waiting[(target, version)] = fut
        t0 = time.perf_counter()
        client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=target, version=version),
                content_changes=[t.TextDocumentContentChangePartial(range=t.Range(start=t.Position(line=start[0], character=start[1]), end=t.Position(line=end[0], character=end[1])), text=new_text)],
            )
        )
        await asyncio.wait_for(fut, 60)
        return (time.perf_counter() - t0) * 1000

    async def edit() -> float:
        line, col, word = typist.next()
        return await change(uri, (line, col), (line, col), word)

    for _ in range(args.warmup):
        await edit()
    timings = [await edit() for _ in range(args.edits)]

    words = len(text.split())
    print(f"module: {words} words, {len(typist.lines)} lines; first diagnostics: {first} findings, {open_ms:.0f} ms after didOpen (includes loading the rules)")
    print(f"didChange -> publishDiagnostics over {len(timings)} edits (debounce off):")
    median = statistics.median(timings)
    print(f"  median {median:.1f} ms   p95 {pct(timings, 95):.1f} ms   min {min(timings):.1f} ms   max {max(timings):.1f} ms")
    print(f"  target: median under {TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'NOT met'}")
    print(f"  findings on the last version: {counts.get(version)}")
    local = in_process(path, text, min(args.edits, 50), 3)
    print(f"of which linting, the same kind of edits run in this process ({len(local)} edits):")
    print(f"  median {statistics.median(local):.1f} ms   p95 {pct(local, 95):.1f} ms   (the rest is the protocol: JSON, pipes, position conversion)")

    if args.memory_edits:
        mem_text = generate_module(args.memory_words, seed=11)
        mem_path = folder / "memory.md"
        mem_path.write_text(mem_text, encoding="utf-8")
        mem_uri = uris.from_fs_path(str(mem_path))
        assert mem_uri is not None
        version += 1
        fut = loop.create_future()
        waiting[(mem_uri, version)] = fut
        client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=mem_uri, language_id="markdown", version=version, text=mem_text)))
        await asyncio.wait_for(fut, 120)
        mem_typist = Typist(mem_text, seed=5)
        pending: tuple[int, int, str] | None = None

        async def memory_edit() -> float:
            nonlocal pending
            if pending is None:
                pending = mem_typist.next()
                line, col, word = pending
                return await change(mem_uri, (line, col), (line, col), word)
            l0, c0, l1, c1 = mem_typist.undo(*pending)
            pending = None
            return await change(mem_uri, (l0, c0), (l1, c1), "")

        warm = min(args.memory_warmup, args.memory_edits)
        for _ in range(warm):  # warm-up: the memo caches fill to their bound, the allocator settles
            await memory_edit()
        base = rss_mb(pid)
        samples = [(0, base)]
        step = max(1, args.memory_edits // 10)
        mem_timings: list[float] = []
        started = time.perf_counter()
        for i in range(1, args.memory_edits + 1):
            mem_timings.append(await memory_edit())
            if i % step == 0:
                samples.append((i, rss_mb(pid)))
        elapsed = time.perf_counter() - started
        print(f"memory over {args.memory_edits} more edits to a {len(mem_text.split())}-word module, each checked and published (server VmRSS, MB, after {warm} warm-up edits):")
        print("  " + "  ".join(f"{n}:{mb:.1f}" for n, mb in samples))
        print(f"  growth {samples[-1][1] - base:+.1f} MB from {base:.1f} MB; second half {samples[-1][1] - samples[len(samples) // 2][1]:+.1f} MB; peak {max(mb for _, mb in samples):.1f} MB")
        print(f"  ({elapsed:.0f} s, median {statistics.median(mem_timings):.1f} ms per edit)")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=3000, help="size of the generated module (default 3000)")
    parser.add_argument("--edits", type=int, default=200, help="timed edits (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed edits first (default 20)")
    parser.add_argument("--memory-edits", type=int, default=1000, help="further edits while watching memory (default 1000; 0 to skip)")
    parser.add_argument("--memory-warmup", type=int, default=600, help="edits to the second module before memory is measured (default 600)")
    parser.add_argument("--memory-words", type=int, default=None, help="size of the module edited while watching memory (default: --words)")
    parser.add_argument("--select", help="rules to select (written to a .modlint.yaml); default: all rules")
    parser.add_argument("--print-module", action="store_true", help="print the generated module and stop")
    args = parser.parse_args()
    if args.memory_words is None:
        args.memory_words = args.words
    if args.print_module:
        sys.stdout.write(generate_module(args.words))
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
