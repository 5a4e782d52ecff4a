"""A reproducible corpus of learning modules for the benchmarks.

Every module follows docs/module-format.md: YAML front matter (required keys, and
the optional ones real modules use: personas, competencies, sessions, media,
access, content notes, alternatives), a ``#`` title, ``##`` segments with
``{time=...}``, activity divs, lists, tables, images, links, block quotes, code
and HTML comments. Sizes are drawn from a log-normal distribution with a median
of about 8 KB (the size of a real lesson page), from 1.5 KB to 60 KB. A small
share of modules carry the mistakes the rules look for (missing keys, unknown
keys, missing alt text, untimed activities, clichés), so rules do real work.

The same seed always gives the same bytes:

    .venv/bin/python benchmarks/corpus.py /tmp/modlint-bench/corpus-4000 --count 4000

``repeat(src, dest, count)`` builds a bigger corpus by copying a smaller one with
fresh module ids (the scaling benchmark's 16,000 modules).
"""
from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path

SEED = 20240612
MEDIAN_BYTES = 8_000

WORDS = (
    "team care patient staff leader learning practice reflect listen support change service colleague "
    "feedback conversation trust safety decision plan review meeting shift ward community partner "
    "example question notice value share time week manager people voice difference power role open "
    "clear plain short kind honest steady careful simple useful everyday local national shared "
    "budget board governance risk quality improvement evidence data outcome family carer nurse "
    "doctor therapist porter volunteer clinic hospital practice pharmacy rota handover huddle "
    "coaching mentoring appraisal wellbeing burnout rest recovery inclusion equity culture"
).split()
LONG_WORDS = "organisational accountability responsibilities collaboration transformational interprofessional".split()
# About half the words of English prose are these. Without them the text averages 2.3
# syllables a word (real prose: about 1.5), and every paragraph reads at a university
# grade: the readability rule would fire on nearly all of them, as it would on no real lesson.
FUNCTION_WORDS = (
    "the a an to and of in on for with at by from as is are was be can will may should we you they it "
    "this that these your our their who what when how why if so but or not all each more some one"
).split()
COMPETENCIES = (
    "Build relationships",
    "Build engagement",
    "Lead a collaborative team",
    "Manage conflict and sensitive conversations",
    "Support others through change",
    "Share good practice",
    "Manage and measure performance",
    "Use data, evidence and critical thinking",
)
PERSONAS = ("p10", "p11", "p12", "p13", "p14", "p15", "p16", "p23", "p24", "p25")
FORMATS = ("self-paced", "live-online", "blended", "live-in-person", "video")
KINDS = ("discussion", "reflection", "exercise", "action-plan", "case-study", "break")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
CLICHES = ("going forward", "think outside the box", "low-hanging fruit", "touch base")


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(7, 22)
        words = [
            rng.choice(FUNCTION_WORDS) if roll < 0.45 else rng.choice(WORDS) if roll < 0.97 else rng.choice(LONG_WORDS)
            for roll in (rng.random() for _ in range(n))
        ]
        if rng.random() < 0.08:
            words[rng.randrange(n)] = f"`{rng.choice(WORDS)}`"
        if rng.random() < 0.05:
            words.insert(rng.randrange(n), '"' + " ".join(rng.choice(WORDS) for _ in range(3)) + '"')
        if rng.random() < 0.04:
            words.insert(rng.randrange(n), f"[{rng.choice(WORDS)} guide](https://example.org/{rng.choice(WORDS)}/{rng.randint(1, 999)})")
        if rng.random() < 0.01:
            words.insert(rng.randrange(n), rng.choice(CLICHES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice(".....?")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))


def _front_matter(rng: random.Random, index: int, minutes: int) -> str:
    stage: int | list[int] = rng.choice((2, 2, 2, 4, 4, 1, 3))
    if rng.random() <= 0.1:
        stage = [2, 4]
    fmt = rng.choice(FORMATS)
    out = [
        "---",
        f"id: module-{index:05d}-{rng.choice(WORDS)}-{rng.choice(WORDS)}",
        f"title: {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)} in {rng.choice(WORDS)} teams",
        f"stage: {stage}",
        f"format: {fmt}",
    ]
    if rng.random() > 0.03:
        # The sum of the section times, as an author who timed them writes it (sometimes as
        # '90 minutes'); in a few modules a figure that disagrees, which TIME002 reports.
        total = minutes if minutes and rng.random() > 0.05 else rng.choice((30, 45, 60, 90, 120, 180))
        hours, mins = divmod(total, 60)
        spelled = f"{total} minutes" if rng.random() < 0.1 else (f"{hours}h" if hours else "") + (f"{mins}m" if mins or not hours else "")
        out.append(f"duration: {spelled}")
    if rng.random() < 0.5:
        out.append("competencies:")
        out += [f"  - {c}" for c in rng.sample(COMPETENCIES, rng.randint(1, 3))]
    if rng.random() < 0.4:
        # Personas of the module's own stage, as an author picks them; now and then one from
        # another stage, a mistake MOD008 reports.
        stages = stage if isinstance(stage, list) else [stage]
        own = [p for p in PERSONAS if (4 if int(p[1:]) >= 20 else 2) in stages]
        pool = own if rng.random() > 0.05 else list(PERSONAS)
        if pool:
            out.append(f"personas: [{', '.join(rng.sample(pool, min(len(pool), rng.randint(1, 3))))}]")
    if rng.random() < 0.5:
        out.append(f"resumable: {rng.choice(('true', 'false'))}")
    if fmt in ("live-online", "blended", "live-in-person"):
        out.append("sessions:")
        for _ in range(rng.randint(1, 3)):
            out += [
                f"  - day: {rng.choice(DAYS)}",
                f'    start: "{rng.choice(("09:30", "10:00", "13:30", "18:30"))}"',
                f"    length: {rng.choice(('30m', '45m', '1h'))}",
                f"    recorded: {rng.choice(('true', 'false'))}",
            ]
        if rng.random() < 0.6:
            out += ["alternatives:", "  - format: self-paced", "    description: Watch the recording and post a reflection within the week."]
    if rng.random() < 0.35:
        name = rng.choice(WORDS)
        out += [
            "media:",
            f"  - src: media/{name}.mp4",
            "    type: video",
            f"    duration: {rng.randint(3, 25)}m",
        ]
        if rng.random() < 0.8:
            out += [f"    captions: media/{name}.vtt", f"    transcript: media/{name}.txt"]
    if rng.random() < 0.5:
        out += ["access:", f"  mobile: {rng.choice(('true', 'false'))}", "  adjustable_text: true"]
    if rng.random() < 0.2:
        out += ["content_notes:", f"  - {rng.choice(('bereavement', 'racism', 'bullying', 'self-harm'))}"]
    if rng.random() < 0.03:
        out.append("resumeable: true")  # a misspelt key
    if rng.random() < 0.3:
        out += ["tags:", f"  - {rng.choice(WORDS)}", f"  - {rng.choice(WORDS)}"]
    out.append("---")
    return "\n".join(out) + "\n"


def module(index: int, seed: int = SEED, target: int | None = None) -> str:
    rng = random.Random(seed * 1_000_003 + index)
    w = _Writer(rng)
    if target is None:
        target = int(min(60_000, max(1_500, math.exp(rng.gauss(math.log(MEDIAN_BYTES), 0.55)))))
    parts = [f"# {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)}\n", w.paragraph() + "\n"]
    size = sum(len(p) for p in parts) + 400  # about what the front matter will take
    total_minutes = 0
    seg = 0
    while size < target:
        seg += 1
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()
        minutes = rng.choice((5, 10, 15, 20)) if rng.random() > 0.03 else None
        total_minutes += minutes or 0
        timed = f" {{time={minutes}m}}" if minutes else ""
        # The activities' times fit the section's, as an author plans them, but in a few
        # sections, which TIME002 reports.
        left = minutes if minutes and rng.random() > 0.05 else 10_000
        block = [f"## {title}{timed}\n"]
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            if roll < 0.45:
                block.append(w.paragraph() + "\n")
            elif roll < 0.6:
                block.append("\n".join(f"- {w.sentence()}" for _ in range(rng.randint(2, 6))) + "\n")
            elif roll < 0.75:
                kind = rng.choice(KINDS)
                fits = [t for t in (5, 10, 15) if t <= left]
                attr = ""
                if kind != "case-study" and fits and rng.random() > 0.15:
                    chosen = rng.choice(fits)
                    left -= chosen
                    attr = f" time={chosen}m"
                block.append(f"::: {kind}{attr}\n{w.paragraph()}\n:::\n")
            elif roll < 0.82:
                rows = [f"| {rng.choice(WORDS)} | {w.sentence()} |" for _ in range(rng.randint(2, 5))]
                block.append("| Step | What to do |\n|---|---|\n" + "\n".join(rows) + "\n")
            elif roll < 0.88:
                alt = "" if rng.random() < 0.1 else f"A diagram of the {rng.choice(WORDS)} {rng.choice(WORDS)} process"
                block.append(f"![{alt}](images/{rng.choice(WORDS)}-{rng.randint(1, 99)}.png)\n")
            elif roll < 0.93:
                block.append("> " + w.sentence() + "\n> " + w.sentence() + "\n")
            elif roll < 0.97:
                block.append("```text\n" + "\n".join(w.sentence() for _ in range(rng.randint(1, 4))) + "\n```\n")
            else:
                block.append(f"<!-- note for reviewers: {w.sentence()} -->\n")
        text = "\n".join(block) + "\n"
        parts.append(text)
        size += len(text)
    return "\n".join([_front_matter(rng, index, total_minutes), *parts])


def build(dest: Path, count: int, seed: int = SEED) -> Path:
    """Write ``count`` modules under ``dest`` (in sub-folders of 100), once: a marker
    file records the seed and count, and an existing matching corpus is reused."""
    marker = dest / ".corpus"
    stamp = f"seed={seed} count={count} v=4\n"
    if marker.is_file() and marker.read_text() == stamp:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    for i in range(count):
        folder = dest / f"part-{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module-{i:05d}.md").write_text(module(i, seed), encoding="utf-8")
    marker.write_text(stamp)
    return dest


def repeat(src: Path, dest: Path, count: int) -> Path:
    """A corpus of ``count`` modules made by repeating the files of ``src`` (each copy
    gets its own module id, so duplicate-id checks do not fire on every file)."""
    files = sorted(src.rglob("*.md"))
    marker = dest / ".corpus"
    stamp = f"repeat {src} count={count} v=4\n"
    if marker.is_file() and marker.read_text() == stamp:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    for i in range(count):
        source = files[i % len(files)]
        copy = i // len(files)
        folder = dest / f"copy-{copy:02d}" / source.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if copy:
            data = data.replace(b"\nid: ", f"\nid: c{copy}-".encode(), 1)
        (folder / source.name).write_bytes(data)
    marker.write_text(stamp)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    build(args.dest, args.count, args.seed)
    files = sorted(args.dest.rglob("*.md"))
    sizes = sorted(f.stat().st_size for f in files)
    print(f"{len(files)} modules, {sum(sizes) / 1e6:.1f} MB, median {sizes[len(sizes) // 2] / 1000:.1f} KB in {args.dest}")


if __name__ == "__main__":
    main()
