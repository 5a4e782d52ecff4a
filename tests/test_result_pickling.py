"""Results cross from the pool's workers pickled: every field must arrive as it left."""
from __future__ import annotations

import dataclasses
import pickle

from modlint.engine import FileResult
from modlint.findings import Edit, Finding, Fix, PersonaRef, Severity, Suppression
from modlint.model import ModuleInfo


def _finding() -> Finding:
    # Every field away from its default, so a field left out of the pickled form shows.
    return Finding(
        "ACCESS001", "image-alt-text", "access", Severity.ERROR, "An image has no alt text.", "docs/m.md",
        12, 3, 12, 40, (PersonaRef("p12", "Screen reader user"), PersonaRef("p24", "Night shift")),
        Fix("Add alt text", (Edit(5, 9, "alt"),), False), "![](x.png)", "Part 2", Suppression("inline", "decorative"),
    )


def test_a_finding_keeps_every_field() -> None:
    finding = _finding()
    back = pickle.loads(pickle.dumps(finding, protocol=pickle.HIGHEST_PROTOCOL))
    for field in dataclasses.fields(Finding):
        default = field.default if field.default is not dataclasses.MISSING else None
        assert getattr(finding, field.name) != default, f"the test must set {field.name}"
        assert getattr(back, field.name) == getattr(finding, field.name), field.name
    assert back == finding


def test_a_file_result_keeps_its_findings_and_module_info() -> None:
    info = ModuleInfo("docs/m.md", {"id": "m1", "duration": "20m"}, {("id",): (2, 1), ("duration",): (3, 1)}, ("p12",))
    result = FileResult("docs/m.md", [_finding(), _finding()], info, "the text")
    back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == result
    for cls, obj in ((FileResult, result), (ModuleInfo, info)):
        for field in dataclasses.fields(cls):
            assert getattr(pickle.loads(pickle.dumps(obj)), field.name) == getattr(obj, field.name), (cls.__name__, field.name)
