"""Data tests for the persona files and the competency framework.

The personas are data that rules cite by barrier id, so these tests guard the shape
(JSON Schema), the identifiers (unique, prefixed, stable) and the faithfulness of the
wording to the source documents (every barrier text is the seed's own words).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
PERSONA_DIR = ROOT / "personas"
SCHEMA_DIR = ROOT / "schemas"
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

PERSONA_FILES = sorted(PERSONA_DIR.glob("p*.yaml"))
EXPECTED_IDS = {f"p{n}" for n in (*range(10, 17), 23, 24, 25)}

# Normalised access-need vocabulary. Extending it is deliberate: add the tag here and
# document it, so that rules and personas keep sharing one vocabulary.
ACCESS_NEEDS = {
    "pauseable",
    "mobile",
    "recordings",
    "working-hours-only",
    "flexible-schedule",
    "rest-breaks",
    "adjustable-text",
    "face-to-face-or-mentor",
    "low-digital-confidence",
    "explicit-guidance",
    "sensory-load",
    "religious-observance",
    "alcohol-free-social",
    "psychological-safety",
    "content-notes",
    "no-evening",
    # additions, each grounded in a seed need no tag above covers:
    "physical-access",  # p13: mobility impairment, physical environment
    "no-religious-presumption",  # p13: secular identity, prayers at events
    "remote-access",  # p15: geographic dispersion limits face-to-face
}

_yaml = YAML(typ="safe")


def _load(path: Path):
    return _yaml.load(path)


def _norm(text: str) -> str:
    """Normalise quoting artefacts, quote styles, markdown emphasis and whitespace."""
    text = text.replace("\\'", "")
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def persona_schema():
    schema = json.loads((SCHEMA_DIR / "persona.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def framework_schema():
    schema = json.loads((SCHEMA_DIR / "framework.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def personas():
    return {path: _load(path) for path in PERSONA_FILES}


@pytest.fixture(scope="module")
def framework():
    return _load(PERSONA_DIR / "framework.yaml")


@pytest.fixture(scope="module")
def seeds():
    if not SEED_DIR.is_dir():
        pytest.skip(f"seed folder not present: {SEED_DIR}")
    return {
        p.name: _norm(p.read_text(encoding="utf-8"))
        for p in sorted(SEED_DIR.glob("*.txt"))
    }


def _seed_text_for(persona: dict, seeds: dict[str, str]) -> str:
    source = persona.get("source")
    if source:
        assert source in seeds, f"{persona['id']}: source {source!r} not in {SEED_DIR}"
        return seeds[source]
    return "\n".join(seeds.values())


def test_expected_personas_present(personas):
    ids = {p["id"] for p in personas.values()}
    assert EXPECTED_IDS <= ids, f"missing personas: {sorted(EXPECTED_IDS - ids)}"


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_persona_valid_against_schema(path, persona_schema, personas):
    validator = Draft202012Validator(persona_schema)
    errors = sorted(validator.iter_errors(personas[path]), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_persona_file_name_matches_id(path, personas):
    assert personas[path]["id"] == path.stem


def test_persona_ids_and_numbers_unique(personas):
    ids = [p["id"] for p in personas.values()]
    numbers = [p["number"] for p in personas.values()]
    assert len(ids) == len(set(ids)), "duplicate persona ids"
    assert len(numbers) == len(set(numbers)), "duplicate persona numbers"


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_barrier_ids_prefixed_and_unique(path, personas):
    persona = personas[path]
    ids = [b["id"] for b in persona["barriers"]]
    for bid in ids:
        assert bid.startswith(persona["id"] + "."), f"{bid} not prefixed by {persona['id']}."
    dupes = sorted({b for b in ids if ids.count(b) > 1})
    assert not dupes, f"duplicate barrier ids: {dupes}"


def test_barrier_ids_unique_across_personas(personas):
    ids = [b["id"] for p in personas.values() for b in p["barriers"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_time_range_consistent(path, personas):
    time = personas[path]["time"]
    assert time["min_hours_per_week"] <= time["max_hours_per_week"]


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_access_needs_use_vocabulary(path, personas):
    unknown = set(personas[path]["access_needs"]) - ACCESS_NEEDS
    assert not unknown, f"access needs outside the vocabulary: {sorted(unknown)}"


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_barrier_text_verbatim_in_seed(path, personas, seeds):
    persona = personas[path]
    seed = _seed_text_for(persona, seeds)
    missing = [b["id"] for b in persona["barriers"] if _norm(b["text"]) not in seed]
    assert not missing, f"barrier text not found verbatim in seed: {missing}"


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_seed_wording_fields_verbatim(path, personas, seeds):
    persona = personas[path]
    seed = _seed_text_for(persona, seeds)
    assert _norm(persona["time"]["seed"]) in seed, "time.seed not in seed"
    for pref in persona.get("learning_preferences", []):
        assert _norm(pref) in seed, f"learning preference not in seed: {pref!r}"
    assert _norm(f"## Persona {persona['number']}: {persona['title']}") in seed
    for comp in persona.get("target_competencies", []):
        assert _norm(f"{comp} (Stage {persona['stage']})") in seed, comp


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_target_competencies_in_framework(path, personas, framework):
    persona = personas[path]
    by_stage = {s["stage"]: set(s["competencies"]) for s in framework["stages"]}
    for comp in persona.get("target_competencies", []):
        assert f"{comp} (Stage {persona['stage']})" in by_stage.get(persona["stage"], set())


def test_framework_valid(framework, framework_schema):
    validator = Draft202012Validator(framework_schema)
    errors = sorted(validator.iter_errors(framework), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    stages = [s["stage"] for s in framework["stages"]]
    assert stages == sorted(set(stages)) == [1, 2, 3, 4]
    for s in framework["stages"]:
        for comp in s["competencies"]:
            assert comp.endswith(f"(Stage {s['stage']})"), comp


def test_framework_wording_in_seeds(framework, seeds):
    corpus = "\n".join(seeds.values())
    for s in framework["stages"]:
        for field in ("name", "description"):
            if s[field]:
                assert _norm(s[field]).lower() in corpus.lower(), (s["stage"], field)
        for comp in s["competencies"]:
            assert _norm(comp) in corpus, comp


def _persona_block(raw_seed: str, number: int) -> str:
    match = re.search(
        rf"^## Persona {number}:.*?(?=^## Persona \d+:|\Z)", raw_seed, re.M | re.S
    )
    assert match, f"persona {number} not found in seed"
    return match.group(0)


def _seed_bullets(block: str) -> dict[str, list[str]]:
    """The bullets of the sections every persona must carry in full."""
    out: dict[str, list[str]] = {}
    for section, label in (
        ("experienced-barriers", "Experienced Barriers"),
        ("experienced-discrimination", "Experienced Discrimination"),
    ):
        m = re.search(rf"^- \*\*{label}:\*\*\n((?:[ \t]+- .*\n?)+)", block, re.M)
        out[section] = [
            line.split("- ", 1)[1] for line in m.group(1).splitlines()
        ] if m else []
    m = re.search(r"^#### Barriers to Engagement\n((?:- .*\n?)+)", block, re.M)
    out["barriers-to-engagement"] = (
        [line[2:] for line in m.group(1).splitlines()] if m else []
    )
    return out


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_seed_barrier_sections_complete(path, personas, seeds):
    """Every seed bullet of the barrier sections is carried, in the right section."""
    persona = personas[path]
    source = persona.get("source")
    if not source or not (SEED_DIR / source).is_file():
        pytest.skip("persona has no seed source on disk")
    block = _persona_block((SEED_DIR / source).read_text(encoding="utf-8"), persona["number"])
    have = {(b["section"], _norm(b["text"])) for b in persona["barriers"]}
    for section, bullets in _seed_bullets(block).items():
        assert bullets, f"no bullets parsed for {section}"
        missing = [t for t in bullets if (section, _norm(t)) not in have]
        assert not missing, f"{section} bullets missing: {missing}"
    sections = [b["section"] for b in persona["barriers"]]
    assert sections.count("contextual-constraints") == 1
