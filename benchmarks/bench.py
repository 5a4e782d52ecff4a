"""modlint against markdownlint-cli2, side by side, for the targets of issue 12.

Runs both tools in one go on the same files and prints medians and ratios
(absolute times drift on a shared machine; ratios hold). It prints figures and
asserts nothing: each target is reported as met or not met.

    .venv/bin/python benchmarks/bench.py                 # everything (about 6 to 10 minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --quick         # every section, small sizes (~5 minutes)
    .venv/bin/python benchmarks/bench.py --only single,warm
    .venv/bin/python benchmarks/bench.py --corpus ~/lessons   # any folder of Markdown files

Sections (``--only``):

  cold     whole corpus, empty result cache, ``--jobs`` = cores, against markdownlint-cli2;
           peak memory (PSS and RSS summed over the process tree) of one more cold run, sampled
           on its own so that the sampler does not slow the timed runs
  perfile  one process: parse floor (read, front matter, markdown-it) against Linter.check_bytes,
           timed, and counted in instructions under valgrind where it is installed
  warm     a second run with nothing changed
  single   one file, cold start (the pre-commit case), and ``python -X importtime``
  lsp      10,000 language-server edits in process (LintService.lint): memory stays flat?
  scaling  cold runs at 250, 1,000, 4,000 and 16,000 modules (by repetition); modlint only
           above 1,000 modules, to stay inside the time budget

``--quick`` is for iterating: 500 modules, one repetition of the long runs, 5 of the
one-file run, 100 modules for the per-file section (30 counted in instructions), 1,000
language-server edits and scaling at 125, 250 and 500 modules. Its verdicts are about
those sizes, not the issue's 4,000 modules; any option given explicitly still wins.

Before timing, modlint's own modules are byte-compiled (``compileall``), as
``pip install`` does, so a checkout run with PYTHONDONTWRITEBYTECODE set does not
pay for compiling on every start.

Set-up is automatic: the corpus is generated under ``--work`` (default
/tmp/modlint-bench, or $MODLINT_BENCH_DIR) with a fixed seed (benchmarks/corpus.py),
and markdownlint-cli2 is installed there with ``npm ci`` from benchmarks/package.json
and package-lock.json (pinned), so nothing is written into the checkout.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus as corpus_mod  # noqa: E402
import perfile as perfile_mod  # noqa: E402

SECTIONS = ("cold", "perfile", "warm", "single", "lsp", "scaling")


# -- helpers ------------------------------------------------------------------
def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fmt_s(x: float) -> str:
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def say(text: str = "") -> None:
    print(text, flush=True)


def modlint_cmd() -> list[str]:
    script = Path(sys.executable).with_name("modlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "modlint"]


def ensure_markdownlint(work: Path) -> list[str] | None:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        say("markdownlint-cli2: node/npm not found; comparisons are skipped")
        return None
    tool = work / "node"
    tool.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "package-lock.json").read_bytes()
    bin_js = tool / "node_modules" / "markdownlint-cli2" / "markdownlint-cli2-bin.mjs"
    if not bin_js.exists() or not (tool / "package-lock.json").exists() or (tool / "package-lock.json").read_bytes() != lock:
        shutil.copy(HERE / "package.json", tool / "package.json")
        (tool / "package-lock.json").write_bytes(lock)
        say("installing markdownlint-cli2 (npm ci) ...")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=tool, check=True, stdout=subprocess.DEVNULL)
    version = json.loads((tool / "node_modules" / "markdownlint-cli2" / "package.json").read_text())["version"]
    say(f"markdownlint-cli2 {version} (node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()})")
    return [node, str(bin_js)]


class TreeMemory:
    """Peak memory of a process and its children, sampled from /proc: PSS (shared
    pages split between the processes that share them, so forked workers are not
    counted twice) and RSS summed over the tree."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_pss = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        todo.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            pss = rss = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/smaps_rollup") as fh:
                        for line in fh:
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1])
                            elif line.startswith("Rss:"):
                                rss += int(line.split()[1])
                except OSError:
                    pass
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


LAST_LINE: list[str] = [""]


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, memory: bool = False) -> tuple[float, int, TreeMemory | None]:
    """Wall time of one run; its standard output goes to a file (as a terminal or CI
    log would take it), and the last line is kept in LAST_LINE."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
        mem = TreeMemory(proc.pid) if memory else None
        code = proc.wait()
        elapsed = time.perf_counter() - start
        if mem:
            mem.stop()
        out.seek(max(0, out.seek(0, 2) - 400))
        tail = out.read().decode("utf-8", "replace").strip().splitlines()
        LAST_LINE[0] = tail[-1] if tail else ""
    return elapsed, code, mem


def compile_modlint() -> None:
    import compileall

    import modlint

    compileall.compile_dir(str(Path(modlint.__file__).parent), quiet=2, workers=1)


def modlint_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["MODLINT_CACHE_DIR"] = str(cache_dir)
    env.pop("FORCE_COLOR", None)
    return env


# -- sections -------------------------------------------------------------------
def section_cold(args: argparse.Namespace, corpus: Path, mdl: list[str] | None, n: int, out: dict) -> None:
    say(f"\n## 1. Whole corpus, cold cache ({n} modules, modlint --jobs {args.jobs}) and 5. peak memory")
    ml: list[float] = []
    md: list[float] = []
    for rep in range(args.reps):
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.work))
        # Timed with nothing else sampling it, as markdownlint-cli2 is: on two cores the
        # memory sampler's reads of /proc take processor time from the workers.
        t, code, _ = timed(modlint_cmd() + ["check", str(corpus), "--jobs", str(args.jobs)], corpus, modlint_env(cache))
        ml.append(t)
        said = LAST_LINE[0]  # before markdownlint-cli2's run replaces it
        line = f"  rep {rep + 1}: modlint {fmt_s(t)} (exit {code})"
        if mdl:
            t2, code2, _ = timed(mdl + ["**/*.md"], corpus)
            md.append(t2)
            line += f"; markdownlint-cli2 {fmt_s(t2)} (exit {code2})"
        say(line)
        out["warm_cache_dir"] = str(cache)
        if rep == 0:
            say(f"  modlint says: {said}")
    out["cold_modlint"] = median(ml)
    say(f"  median: modlint {fmt_s(median(ml))} ({median(ml) / n * 1e3:.2f} ms/module)")
    if md:
        ratio = median(ml) / median(md)
        say(f"  median: markdownlint-cli2 {fmt_s(median(md))} ({median(md) / n * 1e3:.2f} ms/module)")
        say(f"  ratio modlint / markdownlint-cli2 = {ratio:.2f} (target <= 0.25): {verdict(ratio <= 0.25)}")
    # Peak memory from one more cold run of its own, sampled every 50 ms; its time is not counted.
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.work))
    t, _, mem = timed(modlint_cmd() + ["check", str(corpus), "--jobs", str(args.jobs)], corpus, modlint_env(cache), memory=True)
    assert mem is not None
    pss, rss = mem.peak_pss / 1024, mem.peak_rss / 1024
    say(f"  peak memory of one more cold run ({fmt_s(t)} with the sampler): PSS {pss:.0f} MB, RSS summed {rss:.0f} MB (target < 300 MB): {verdict(pss < 300)}")


def section_perfile(args: argparse.Namespace, corpus: Path, out: dict) -> None:
    from modlint import prose

    files = sorted(corpus.rglob("*.md"))
    step = max(1, len(files) // args.perfile_files)
    files = files[::step][: args.perfile_files]
    say(f"\n## 2. Per file, one process ({len(files)} modules, every {step}th)")
    floor, full, linter, cfg = perfile_mod.make(files[0])

    for path in files[:10]:
        floor(path)
        full(path)
    floors, fulls = [], []
    for _ in range(args.reps):
        gc.collect()
        t = time.perf_counter()
        for path in files:
            floor(path)
        floors.append(time.perf_counter() - t)
        getattr(prose.mask_quotes, "cache_clear", lambda: None)()  # no help from the floor's pass
        gc.collect()
        t = time.perf_counter()
        for path in files:
            full(path)
        fulls.append(time.perf_counter() - t)
    f, l = median(floors) / len(files), median(fulls) / len(files)
    ratio = l / f
    out["perfile_ratio"] = ratio
    say(f"  parse floor (read + front matter + markdown-it): median {f * 1e3:.2f} ms/module")
    say(f"  full check (every built-in rule):                 median {l * 1e3:.2f} ms/module")
    say(f"  ratio full / floor = {ratio:.2f} (target <= 1.3): {verdict(ratio <= 1.3)}")
    _instruction_counts(args, files[: args.count_files])
    if args.rule_table:
        _rule_table(linter, cfg, files[: min(len(files), 150)])


def _instruction_counts(args: argparse.Namespace, files: list[Path]) -> None:
    """The same ratio counted in instructions (valgrind's callgrind), which, unlike time
    on a shared machine, does not move with the load; skipped without valgrind."""
    if not files:
        return
    if shutil.which("valgrind") is None:
        say("  instructions: valgrind is not installed, so they were not counted")
        return
    listing = args.work / "perfile-files.txt"
    listing.write_text("".join(f"{p}\n" for p in files), encoding="utf-8")
    # The same hash seed for all three, so sets and dicts are walked in the same order.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    runs = {}
    for mode in ("none", "floor", "full"):
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(HERE / "perfile.py"), mode, str(listing)]
        runs[mode] = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    errors = {mode: proc.communicate()[1] for mode, proc in runs.items()}  # every run ends before any is judged
    counts = {}
    for mode, proc in runs.items():
        found = [line.rsplit(":", 1)[1].strip() for line in errors[mode].splitlines() if "Collected :" in line]
        if proc.returncode != 0 or not found:
            say(f"  instructions: the {mode} run under valgrind failed (exit {proc.returncode})")
            return
        counts[mode] = int(found[-1])
    floor = (counts["floor"] - counts["none"]) / len(files)
    full = (counts["full"] - counts["none"]) / len(files)
    say(f"  instructions ({len(files)} modules, callgrind): floor {floor / 1e6:.1f} M/module, full check {full / 1e6:.1f} M/module, "
        f"ratio {full / floor:.2f}")


def _rule_table(linter: object, cfg: object, files: list[Path]) -> None:
    from collections import defaultdict

    per: dict[str, float] = defaultdict(float)
    orig = linter._run_rule  # type: ignore[attr-defined]

    def run_rule(plugin: str, rule_id: str, call: object, path: str, *rest: object) -> object:
        t = time.perf_counter()
        try:
            return orig(plugin, rule_id, call, path, *rest)
        finally:
            per[rule_id] += time.perf_counter() - t

    linter._run_rule = run_rule  # type: ignore[attr-defined]
    for path in files:
        linter.check_bytes(path.read_bytes(), str(path), cfg)  # type: ignore[attr-defined]
    del linter._run_rule  # type: ignore[attr-defined]
    say("  slowest rules (ms/module):")
    for rule_id, total in sorted(per.items(), key=lambda kv: -kv[1])[:60]:
        say(f"    {rule_id:10s} {total / len(files) * 1e3:7.2f}")


def section_warm(args: argparse.Namespace, corpus: Path, n: int, out: dict) -> None:
    say(f"\n## 3. Warm cache: a second run with nothing changed ({n} modules)")
    cache = Path(out["warm_cache_dir"]) if out.get("warm_cache_dir") else Path(tempfile.mkdtemp(prefix="cache-", dir=args.work))
    env = modlint_env(cache)
    if not out.get("warm_cache_dir"):
        t, _, _ = timed(modlint_cmd() + ["check", str(corpus)], corpus, env)
        say(f"  filling the cache: {fmt_s(t)}")
    times = [timed(modlint_cmd() + ["check", str(corpus)], corpus, env)[0] for _ in range(max(5, args.reps))]
    out["warm"] = median(times)
    say(f"  runs: {', '.join(fmt_s(t) for t in times)}")
    say(f"  median {fmt_s(median(times))} (target < 1 s): {verdict(median(times) < 1.0)}")


def section_single(args: argparse.Namespace, corpus: Path, mdl: list[str] | None, out: dict) -> None:
    files = sorted(corpus.rglob("*.md"), key=lambda p: p.stat().st_size)
    one = files[len(files) // 2]
    say(f"\n## 4. One file, cold start ({one.name}, {one.stat().st_size / 1000:.1f} KB)")
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.work))
    env = modlint_env(cache)
    timed(modlint_cmd() + ["check", str(one)], one.parent, env)  # the cache, as pre-commit would see it
    nocache, cached, md = [], [], []
    for _ in range(args.single_reps):
        nocache.append(timed(modlint_cmd() + ["check", "--no-cache", str(one)], one.parent, env)[0])
        cached.append(timed(modlint_cmd() + ["check", str(one)], one.parent, env)[0])
        if mdl:
            md.append(timed(mdl + [str(one)], one.parent)[0])
    out["single"] = median(nocache)
    say(f"  modlint --no-cache: median {fmt_s(median(nocache))} (target < 0.2 s): {verdict(median(nocache) < 0.2)}")
    say(f"  modlint, cache warm: median {fmt_s(median(cached))}")
    if md:
        ratio = median(nocache) / median(md)
        say(f"  markdownlint-cli2: median {fmt_s(median(md))}")
        say(f"  ratio modlint --no-cache / markdownlint-cli2 = {ratio:.2f} (target <= 0.45): {verdict(ratio <= 0.45)}")
    bare = median([timed([sys.executable, "-c", "pass"])[0] for _ in range(5)])
    say(f"  (bare python start-up on this machine: median {fmt_s(bare)})")
    # Twice, the second one read: ``python -m`` puts another folder first on sys.path, by which
    # the entry-point cache is keyed, so the first run would time importlib.metadata's import.
    for _ in range(2):
        res = subprocess.run([sys.executable, "-X", "importtime", "-m", "modlint", "check", "--no-cache", str(one)], cwd=one.parent, env=env, capture_output=True, text=True)
    rows = []
    for line in res.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line[len("import time:"):].split("|")
        if len(fields) != 3:
            continue
        try:
            rows.append((int(fields[1]), fields[2]))
        except ValueError:
            continue  # the header line
    top = [(cum, name.strip()) for cum, name in rows if not name.startswith("   ")]  # top-level imports only
    total = sum(cum for cum, _ in top)
    say(f"  python -X importtime: {total / 1e3:.0f} ms of imports in all; largest top-level imports:")
    for cum, name in sorted(top, reverse=True)[:8]:
        say(f"    {cum / 1e3:7.1f} ms  {name}")


def section_lsp(args: argparse.Namespace, out: dict) -> None:
    import random
    import resource

    from modlint.lsp.service import LintService

    say(f"\n## 5. Language server: {args.lsp_edits} edits in process (LintService.lint), memory")
    rng = random.Random(5)
    folder = Path(tempfile.mkdtemp(prefix="lsp-", dir=args.work))
    path = folder / "module.md"
    text = corpus_mod.module(7, target=args.lsp_bytes)
    path.write_text(text, encoding="utf-8")
    service = LintService(default_root=folder)
    lines = text.split("\n")
    body = [i for i, ln in enumerate(lines) if ln and not ln.startswith(("---", "#", ":::", "|", "```", "<!--")) and i > 20]

    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    samples = []
    latencies = []
    start = time.perf_counter()
    inserted: tuple[int, int] | None = None
    for edit in range(1, args.lsp_edits + 1):
        # Insert a word, then take it out again on the next edit: the text stays the same
        # size, so any growth is the server's, not the document's.
        if inserted is None:
            i = rng.choice(body)
            words = lines[i].split(" ")
            at = rng.randrange(len(words) + 1)
            words.insert(at, rng.choice(corpus_mod.WORDS))
            inserted = (i, at)
        else:
            i, at = inserted
            words = lines[i].split(" ")
            del words[at]
            inserted = None
        lines[i] = " ".join(words)
        t = time.perf_counter()
        service.lint(path, "\n".join(lines), edit)
        latencies.append(time.perf_counter() - t)
        if edit % max(1, args.lsp_edits // 10) == 0:
            gc.collect()
            samples.append((edit, rss_mb()))
    elapsed = time.perf_counter() - start
    first = samples[0][1] if samples else 0.0
    last = samples[-1][1] if samples else 0.0
    later = samples[len(samples) // 2 :]
    growth = (later[-1][1] - later[0][1]) if len(later) > 1 else 0.0
    say(f"  {args.lsp_edits} edits of a {len(text) / 1000:.1f} KB module in {fmt_s(elapsed)}; lint median {median(latencies) * 1e3:.1f} ms")
    say("  RSS after edit: " + ", ".join(f"{e}: {m:.0f} MB" for e, m in samples))
    say(f"  growth over the second half: {growth:+.1f} MB (first sample {first:.0f} MB, last {last:.0f} MB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    say(f"  flat (under 2 MB growth over the second half): {verdict(abs(growth) < 2.0)}")


def section_scaling(args: argparse.Namespace, corpus: Path, mdl: list[str] | None, out: dict) -> None:
    say("\n## 6. Scaling: cold runs by module count (corpora made by repeating the generated modules)")
    say("  markdownlint-cli2 only up to 1,000 modules (time budget); modlint at every size")
    for size in args.sizes:
        if size == args.count and "cold_modlint" in out and not args.corpus:
            t = out["cold_modlint"]
            say(f"  {size:6d} modules: modlint {fmt_s(t)}  {t / size * 1e3:.2f} ms/module (median of section 1)")
            continue
        folder = corpus_mod.repeat(corpus, args.work / f"scale-{size}", size)
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=args.work))
        t, _, _ = timed(modlint_cmd() + ["check", str(folder), "--jobs", str(args.jobs)], folder, modlint_env(cache))
        line = f"  {size:6d} modules: modlint {fmt_s(t)}  {t / size * 1e3:.2f} ms/module"
        if mdl and size <= 1000:
            t2, _, _ = timed(mdl + ["**/*.md"], folder)
            line += f"; markdownlint-cli2 {fmt_s(t2)}  {t2 / size * 1e3:.2f} ms/module (ratio {t / t2:.2f})"
        say(line)
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes for iterating: 500 modules, 1 repetition, scaling at 125/250/500 (see above)")
    parser.add_argument("--corpus", type=Path, help="a folder of Markdown files to use instead of the generated corpus")
    parser.add_argument("--count", type=int, default=None, help="generated modules (default 4000; 500 with --quick)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("MODLINT_BENCH_DIR", "/tmp/modlint-bench")))
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--reps", type=int, default=None, help="repetitions for the medians of the long runs (default 3; 1 with --quick)")
    parser.add_argument("--single-reps", type=int, default=None, help="repetitions of the one-file run (default 11; 5 with --quick)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    parser.add_argument("--perfile-files", type=int, default=None, help="modules timed in the per-file section (default 300; 100 with --quick)")
    parser.add_argument("--rule-table", action="store_true", help="with perfile: print the slowest rules")
    parser.add_argument("--count-files", type=int, default=None, help="modules whose instructions perfile counts under valgrind, if installed (default 100; 30 with --quick; 0 to skip)")
    parser.add_argument("--lsp-edits", type=int, default=None, help="language-server edits (default 10,000; 1,000 with --quick)")
    parser.add_argument("--lsp-bytes", type=int, default=3_000, help="size of the edited module (default 3 KB)")
    parser.add_argument("--sizes", default=None, help="module counts for the scaling section (default 250,1000,4000,16000; 125,250,500 with --quick)")
    parser.add_argument("--no-markdownlint", action="store_true")
    args = parser.parse_args()
    defaults = {"count": (4000, 500), "reps": (3, 1), "single_reps": (11, 5), "perfile_files": (300, 100), "count_files": (100, 30), "lsp_edits": (10_000, 1_000), "sizes": ("250,1000,4000,16000", "125,250,500")}
    for name, (full, quick) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    wanted = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = wanted - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    from modlint import __version__

    compile_modlint()
    say(f"# modlint {__version__} benchmark{' (--quick: small sizes, verdicts are for them)' if args.quick else ''}, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    say(f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores ({args.jobs} used), "
        f"Python {platform.python_version()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.corpus:
        corpus = args.corpus.resolve()
    else:
        corpus = corpus_mod.build(args.work / f"corpus-{args.count}", args.count)
    files = list(corpus.rglob("*.md"))
    sizes = sorted(f.stat().st_size for f in files)
    say(f"corpus: {corpus}: {len(files)} Markdown files, {sum(sizes) / 1e6:.1f} MB, median {sizes[len(sizes) // 2] / 1000:.1f} KB")
    mdl = None if args.no_markdownlint or not ({"cold", "single", "scaling"} & wanted) else ensure_markdownlint(args.work)

    out: dict = {}
    started = time.perf_counter()
    if "cold" in wanted:
        section_cold(args, corpus, mdl, len(files), out)
    if "perfile" in wanted:
        section_perfile(args, corpus, out)
    if "warm" in wanted:
        section_warm(args, corpus, len(files), out)
    if "single" in wanted:
        section_single(args, corpus, mdl, out)
    if "lsp" in wanted:
        section_lsp(args, out)
    if "scaling" in wanted:
        section_scaling(args, corpus, mdl, out)
    say(f"\n(benchmark took {fmt_s(time.perf_counter() - started)}; load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    for folder in args.work.glob("cache-*"):
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
