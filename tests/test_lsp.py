"""The language server, end to end: a real LSP client (pytest-lsp) drives
``python -m modlint lsp`` over stdio. Only module-family rules and a declarative
rule defined here are selected, so other rule families do not change the results."""
from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as t  # noqa: E402
from pygls import uris  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from modlint._paths import rule_doc_url  # noqa: E402
from modlint.findings import Edit, Finding, Fix, Severity  # noqa: E402
from modlint.lsp.service import Buffer, LintService, combine_fixes, finding_range, suppression_edit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SERVER = [sys.executable, "-m", "modlint", "lsp"]

CUSTOM_RULE = """\
id: CUST001
alias: plain-utilise
family: custom
severity: warning
kind: phrase-substitution
fix: safe
summary: "Say 'use', not 'utilise'."
rationale: "Plain words help readers who are tired, busy or working in a second language."
barriers: [p11.called-intimidating]
standards: [udl-3.1]
phrases:
  - phrase: utilise
    suggestion: use
message: "Write '{suggestion}' instead of '{phrase}'."
examples:
  fail: "We utilise this."
  pass: "We use this."
"""

FAILING = """\
---
id: giving-feedback
title: Giving feedback that helps
stage: 2
format: self-paced
duration: 20m
resumeable: true
---
# Giving feedback that helps

We utilise one simple model in this module.
"""

PASSING = FAILING.replace("resumeable", "resumable").replace("utilise", "use")


def make_project(root: Path, select: str = "[module, CUST]") -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "rules" / "CUST001.yaml").write_text(CUSTOM_RULE, encoding="utf-8")
    (root / ".modlint.yaml").write_text(f"select: {select}\nextra-rules: [rules]\n", encoding="utf-8")
    return root


def uri_of(path: Path) -> str:
    return uris.from_fs_path(str(path))  # type: ignore[return-value]


async def until(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def codes(client: LanguageClient, uri: str) -> list[str]:
    return sorted(str(d.code) for d in client.diagnostics.get(uri, []))


def cleared(client: LanguageClient, uri: str) -> bool:
    return uri in client.diagnostics and len(client.diagnostics[uri]) == 0


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)))


def change_doc(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _utf16_offset(text: str, pos: t.Position) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    line_start = starts[min(pos.line, len(starts) - 1)]
    units = 0
    i = line_start
    while units < pos.character and i < len(text) and text[i] not in "\r\n":
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_edit(text: str, edit: t.WorkspaceEdit, uri: str) -> str:
    """Apply a workspace edit the way an editor would (positions in UTF-16 units)."""
    edits: list[t.TextEdit] = []
    if edit.document_changes:
        for change in edit.document_changes:
            assert isinstance(change, t.TextDocumentEdit) and change.text_document.uri == uri
            edits.extend(change.edits)  # type: ignore[arg-type]
    else:
        edits.extend((edit.changes or {})[uri])
    spans = sorted(((_utf16_offset(text, e.range.start), _utf16_offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    caps = t.ClientCapabilities(
        workspace=t.WorkspaceClientCapabilities(workspace_edit=t.WorkspaceEditClientCapabilities(document_changes=True)),
        text_document=t.TextDocumentClientCapabilities(
            hover=t.HoverClientCapabilities(content_format=[t.MarkupKind.Markdown, t.MarkupKind.PlainText]),
            publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True, code_description_support=True, data_support=True),
            code_action=t.CodeActionClientCapabilities(
                code_action_literal_support=t.ClientCodeActionLiteralOptions(
                    code_action_kind=t.ClientCodeActionKindOptions(value_set=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll])
                )
            ),
        ),
    )
    await lsp_client.initialize_session(t.InitializeParams(capabilities=caps, initialization_options={"debounceMs": 30}))
    yield
    await stop_server(lsp_client)


async def stop_server(client: LanguageClient, expect_clean: bool = True) -> None:
    """Shut the server down with a deadline. pytest-lsp waits for the server process with
    no time limit (and its ``stop`` never closes the pipe or kills), so a server that did
    not exit would hang the test run: kill it and fail instead."""
    process = client._server  # type: ignore[attr-defined]
    try:
        await asyncio.wait_for(client.shutdown_session(), 20)
    except (asyncio.TimeoutError, Exception):
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        if expect_clean:
            raise AssertionError("the server did not shut down and exit within 20 s of shutdown and exit")
    if expect_clean and process is not None:
        assert process.returncode == 0, f"the server exited with status {process.returncode} after shutdown and exit"


async def ask(request, timeout: float = 20.0):
    """Await a request's answer, failing the test if the server never sends one."""
    try:
        return await asyncio.wait_for(request, timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"the server did not answer within {timeout:g} s") from None


# -- end to end ------------------------------------------------------------------
@pytest.mark.asyncio
async def test_open_failing_module_then_edit_it_to_pass(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    path = tmp_path / "unsaved.md"  # never written: the buffer is what is linted
    uri = uri_of(path)
    open_doc(client, uri, FAILING)
    await until(lambda: codes(client, uri) == ["CUST001", "MOD005"], what="the failing module's diagnostics")

    by_code = {d.code: d for d in client.diagnostics[uri]}
    mod005 = by_code["MOD005"]
    assert mod005.source == "modlint"
    assert mod005.severity == t.DiagnosticSeverity.Warning
    assert mod005.range.start == t.Position(line=6, character=0)
    assert mod005.range.end == t.Position(line=6, character=len("resumeable"))
    assert "resumable" in mod005.message
    assert mod005.code_description is not None and mod005.code_description.href == rule_doc_url("MOD005")

    cust = by_code["CUST001"]
    assert cust.range == t.Range(start=t.Position(line=10, character=3), end=t.Position(line=10, character=10))
    assert "Affects: P11 HR Manager" in cust.message  # the personas it shuts out, in the message
    assert cust.code_description is None  # an extra-rules rule has no page in docs/rules/: no dead link

    change_doc(client, uri, PASSING, 2)
    await until(lambda: cleared(client, uri), what="an empty list after the fix")


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    uri = uri_of(tmp_path / "m.md")
    open_doc(client, uri, FAILING)
    await until(lambda: "CUST001" in codes(client, uri))

    result = await ask(client.text_document_hover_async(t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=10, character=5))))
    assert result is not None and isinstance(result.contents, t.MarkupContent)
    text = result.contents.value
    assert "CUST001" in text and "Say 'use', not 'utilise'." in text  # summary
    assert "second language" in text  # rationale
    assert "P11 HR Manager" in text and "intimidating" in text and "p11.called-intimidating" in text  # barrier, in the seed's words
    assert "udl-3.1" in text  # the standard it serves
    assert rule_doc_url("CUST001") not in text and "documentation](" not in text  # no page, so no link
    assert result.range == t.Range(start=t.Position(line=10, character=3), end=t.Position(line=10, character=10))

    nothing = await ask(client.text_document_hover_async(t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=8, character=2))))
    assert nothing is None


@pytest.mark.asyncio
async def test_code_actions_apply_fix_and_suppress(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    uri = uri_of(tmp_path / "m.md")
    text = FAILING
    open_doc(client, uri, text)
    await until(lambda: codes(client, uri) == ["CUST001", "MOD005"])
    diags = list(client.diagnostics[uri])

    async def actions_at(line: int, character: int) -> list[t.CodeAction]:
        pos = t.Position(line=line, character=character)
        got = await ask(client.text_document_code_action_async(
            t.CodeActionParams(text_document=t.TextDocumentIdentifier(uri=uri), range=t.Range(start=pos, end=pos), context=t.CodeActionContext(diagnostics=diags))
        ))
        return [a for a in got or [] if isinstance(a, t.CodeAction)]

    # The finding's own fix.
    body = await actions_at(10, 5)
    fix = next(a for a in body if a.title.startswith("Replace 'utilise' with 'use'"))
    assert fix.kind == t.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.diagnostics and fix.diagnostics[0].code == "CUST001"
    fixed = apply_edit(text, fix.edit, uri)  # type: ignore[arg-type]
    assert "We use one simple model" in fixed

    # A suppression in the body: an HTML comment on its own line above, with a reason placeholder.
    suppress = next(a for a in body if "modlint-disable-next-line" in a.title)
    suppressed = apply_edit(text, suppress.edit, uri)  # type: ignore[arg-type]
    assert "<!-- modlint-disable-next-line CUST001 -- TODO: say why this is acceptable here -->\nWe utilise" in suppressed

    # A suppression in the front matter: a YAML comment.
    fm = await actions_at(6, 2)
    fm_suppress = next(a for a in fm if "modlint-disable-next-line" in a.title)
    both = apply_edit(suppressed, fm_suppress.edit, uri)  # type: ignore[arg-type]
    assert "# modlint-disable-next-line MOD005 -- TODO: say why this is acceptable here\nresumeable: true" in both

    # Round trip: the edited buffer is clean (and the suppressions are used, so no MOD010).
    change_doc(client, uri, both, 2)
    await until(lambda: cleared(client, uri), what="suppressed findings to go")
    change_doc(client, uri, fixed, 3)
    await until(lambda: codes(client, uri) == ["MOD005"], what="the fixed phrase to go")


@pytest.mark.asyncio
async def test_fix_all_source_action(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    uri = uri_of(tmp_path / "m.md")
    text = FAILING.replace("one simple model", "one simple model; utilise it daily")
    open_doc(client, uri, text)
    await until(lambda: codes(client, uri) == ["CUST001", "CUST001", "MOD005"])
    got = await ask(client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0)),
            context=t.CodeActionContext(diagnostics=[], only=[t.CodeActionKind.SourceFixAll]),
        )
    ))
    assert got and len(got) == 1 and got[0].kind == "source.fixAll.modlint"
    out = apply_edit(text, got[0].edit, uri)  # type: ignore[arg-type, union-attr]
    assert "We use one simple model; use it daily" in out
    assert "resumeable" in out  # an unsafe fix is never applied by fix-all


@pytest.mark.asyncio
async def test_crlf_and_astral_characters_map_to_utf16_positions(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    uri = uri_of(tmp_path / "m.md")
    text = FAILING.replace("We utilise", "\U0001F600 We utilise").replace("\n", "\r\n")
    open_doc(client, uri, text)
    await until(lambda: "CUST001" in codes(client, uri))
    cust = next(d for d in client.diagnostics[uri] if d.code == "CUST001")
    # the emoji is two UTF-16 code units: "😀 We " is 6 units, "utilise" 7 more
    assert cust.range == t.Range(start=t.Position(line=10, character=6), end=t.Position(line=10, character=13))
    pos = t.Position(line=10, character=8)
    got = await ask(client.text_document_code_action_async(
        t.CodeActionParams(text_document=t.TextDocumentIdentifier(uri=uri), range=t.Range(start=pos, end=pos), context=t.CodeActionContext(diagnostics=[cust]))
    ))
    fix = next(a for a in got or [] if isinstance(a, t.CodeAction) and a.title.startswith("Replace"))
    assert "\U0001F600 We use one simple model in this module.\r\n" in apply_edit(text, fix.edit, uri)  # type: ignore[arg-type]
    suppress = next(a for a in got or [] if isinstance(a, t.CodeAction) and "disable-next-line" in a.title)
    assert "-->\r\n\U0001F600 We utilise" in apply_edit(text, suppress.edit, uri)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_config_is_reloaded_and_errors_reported_on_the_config_file(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    config = tmp_path / ".modlint.yaml"
    config_uri = uri_of(config)
    uri = uri_of(tmp_path / "m.md")
    open_doc(client, uri, FAILING)
    await until(lambda: codes(client, uri) == ["CUST001", "MOD005"])

    # An edited configuration applies at the next save notification, no restart.
    config.write_text("select: [module, CUST]\nignore: [MOD005]\nextra-rules: [rules]\n", encoding="utf-8")
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=config_uri)))
    await until(lambda: codes(client, uri) == ["CUST001"], what="MOD005 to be ignored")

    # A broken configuration: a diagnostic on the config file, one on the module, and the server lives on.
    config.write_text("select: [module, CUST\nextra-rules: [rules]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[t.FileEvent(uri=config_uri, type=t.FileChangeType.Changed)]))
    await until(lambda: codes(client, config_uri) == ["config-error"], what="the config error")
    assert "not valid YAML" in client.diagnostics[config_uri][0].message
    await until(lambda: codes(client, uri) == ["config-error"])

    config.write_text("select: [module]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[t.FileEvent(uri=config_uri, type=t.FileChangeType.Changed)]))
    await until(lambda: codes(client, uri) == ["MOD005"], what="the mended config")
    await until(lambda: cleared(client, config_uri), what="the config error to clear")

    # Without any notification, the next lint still sees a changed file (by modification time).
    time.sleep(0.01)
    config.write_text("select: [module]\nignore: [MOD005]\n", encoding="utf-8")
    os.utime(config, ns=(time.time_ns(), time.time_ns() + 10**9))
    change_doc(client, uri, FAILING + "\nMore text.\n", 2)
    await until(lambda: cleared(client, uri), what="the config change seen on the next edit")


@pytest.mark.asyncio
async def test_not_a_module_rapid_edits_and_close(client: LanguageClient, tmp_path: Path):
    make_project(tmp_path)
    readme = uri_of(tmp_path / "README.md")
    open_doc(client, readme, "# Just a readme\n\nNo front matter here.\n")
    await until(lambda: codes(client, readme) == ["MOD001"], what="MOD001 for a file that is not a module")
    weird = uri_of(tmp_path / "weird.md")
    open_doc(client, weird, "---\n- a\n- [b\n---\n\x00\x01 ::: \n:::\n")
    await until(lambda: weird in client.diagnostics, what="diagnostics for a malformed module")

    uri = uri_of(tmp_path / "m.md")
    open_doc(client, uri, PASSING)
    await until(lambda: cleared(client, uri))
    for version in range(2, 60):  # typing fast: the debounce keeps up and the last text wins
        text = FAILING if version % 2 else PASSING
        change_doc(client, uri, text[: len(text) - (version % 5)], version)
    change_doc(client, uri, FAILING, 60)
    await until(lambda: codes(client, uri) == ["CUST001", "MOD005"], what="the last edit's diagnostics")

    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    await until(lambda: cleared(client, uri), what="diagnostics cleared on close")
    # Requests about a closed or unknown document are answered, not fatal.
    hover = await ask(client.text_document_hover_async(t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=0, character=0))))
    assert hover is None


class Recorder(dict):
    """``client.diagnostics`` that also keeps every publication, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, list[str]]] = []

    def __setitem__(self, uri: str, diagnostics) -> None:
        self.log.append((uri, sorted(str(d.code) for d in diagnostics)))
        super().__setitem__(uri, diagnostics)

    def count(self, uri: str) -> int:
        return sum(1 for u, _ in self.log if u == uri)


@pytest.mark.asyncio
async def test_typing_is_debounced_and_save_checks_at_once(tmp_path: Path):
    make_project(tmp_path)
    lsp = await ClientServerConfig(server_command=SERVER).start()
    record = Recorder()
    lsp.diagnostics = record  # type: ignore[assignment]
    try:
        await ask(lsp.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(), initialization_options={"debounceMs": 1500})), 60)
        uri = uri_of(tmp_path / "m.md")
        open_doc(lsp, uri, FAILING)
        await until(lambda: codes(lsp, uri) == ["CUST001", "MOD005"], what="diagnostics on open, without waiting for the debounce")
        assert record.count(uri) == 1

        # A burst of typing is checked once, after the pause, with the last text.
        for version in range(2, 32):
            change_doc(lsp, uri, (FAILING if version % 2 else PASSING) + "x" * version, version)
        change_doc(lsp, uri, PASSING, 32)
        await until(lambda: cleared(lsp, uri), timeout=30, what="the debounced check of the last edit")
        assert record.count(uri) == 2, record.log

        # Saving checks at once and cancels the pending debounced check.
        change_doc(lsp, uri, FAILING, 33)
        saved = time.monotonic()
        lsp.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        await until(lambda: codes(lsp, uri) == ["CUST001", "MOD005"], what="diagnostics on save")
        assert time.monotonic() - saved < 1.2  # well before the 1.5 s debounce would have fired
        await asyncio.sleep(2.0)
        assert record.count(uri) == 3, record.log
    finally:
        await stop_server(lsp)
        await asyncio.wait_for(lsp.stop(), 20)


# -- no network, and a misbehaving plugin -----------------------------------------------
@pytest.mark.asyncio
async def test_the_server_makes_no_network_access(tmp_path: Path):
    """Open, change, hover, code actions, save and shutdown with every socket
    connection, name lookup and URL request blocked and logged through an audit hook
    (tests/test_safety.py's guard, whose own test shows it notices an attempt)."""
    from test_safety import NO_NETWORK

    wrapper = tmp_path / "no_network.py"
    wrapper.write_text(NO_NETWORK, encoding="utf-8")
    log = tmp_path / "network.log"
    project = make_project(tmp_path / "project")
    lsp = await ClientServerConfig(server_command=[sys.executable, str(wrapper), str(log), "lsp"]).start()
    try:
        await ask(lsp.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=uri_of(project), initialization_options={"debounceMs": 0})), 60)
        path = project / "m.md"
        path.write_text(FAILING, encoding="utf-8")
        uri = uri_of(path)
        open_doc(lsp, uri, FAILING)
        await until(lambda: codes(lsp, uri) == ["CUST001", "MOD005"], what="diagnostics under the network guard")
        doc = t.TextDocumentIdentifier(uri=uri)
        hover = await ask(lsp.text_document_hover_async(t.HoverParams(text_document=doc, position=t.Position(line=6, character=2))))
        assert hover is not None and "MOD005" in hover.contents.value  # type: ignore[union-attr]
        pos = t.Position(line=10, character=5)
        actions = await ask(lsp.text_document_code_action_async(t.CodeActionParams(text_document=doc, range=t.Range(start=pos, end=pos), context=t.CodeActionContext(diagnostics=[]))))
        assert actions
        change_doc(lsp, uri, PASSING, 2)
        await until(lambda: cleared(lsp, uri), what="the passing text's empty list")
        lsp.text_document_did_save(t.DidSaveTextDocumentParams(text_document=doc))
        (project / ".modlint.yaml").write_text("select: [module]\nextra-rules: [rules]\n", encoding="utf-8")
        lsp.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[t.FileEvent(uri=uri_of(project / ".modlint.yaml"), type=t.FileChangeType.Changed)]))
        change_doc(lsp, uri, FAILING, 3)
        await until(lambda: codes(lsp, uri) == ["MOD005"], what="the reloaded configuration's diagnostics")
    finally:
        await stop_server(lsp)
        await asyncio.wait_for(lsp.stop(), 20)
    assert not log.exists(), log.read_text()


MISBEHAVING_PLUGIN = """
from modlint.hookspecs import hookimpl
from modlint.rule import rule


@rule("LOOP001")
def spin(module, ctx):
    while True:
        pass


@rule("BAD001")
def not_a_finding(module, ctx):
    return "oops"


@rule("ORG001")
def fine(module, ctx):
    yield ctx.report("The organisation's own rule found this.", 1, 1)


def meta(rule_id, alias, **extra):
    return {"id": rule_id, "alias": alias, "family": "custom", "severity": "warning", "summary": "s", "rationale": "r",
            "barriers": [], "standards": [], "examples": {"fail": "f", "pass": "p"}, **extra}


@hookimpl
def modlint_rule_metadata():
    return [meta("LOOP001", "spin"), meta("BAD001", "not-a-finding"), meta("ORG001", "org-rule", docs_url="https://example.org/lint/ORG001")]


@hookimpl
def modlint_rules():
    return [spin, not_a_finding, fine]
"""


@pytest.mark.asyncio
async def test_a_looping_or_malformed_plugin_rule_is_an_internal_error_diagnostic(tmp_path: Path):
    """In the editor as in the CLI: a plugin rule that loops past its budget and one
    that returns something other than a finding are each one MOD012 diagnostic naming
    the plugin and the rule, and every other rule's diagnostics still appear. The
    plugin's well-behaved rule links to the page its metadata names."""
    from test_plugins import _fake_dist

    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(site, "lsp_plugin", MISBEHAVING_PLUGIN, "lsp_plugin")
    project = make_project(tmp_path / "project", select="[module, CUST, LOOP001, BAD001, ORG001]")
    env = {**os.environ, "PYTHONPATH": str(site), "MODLINT_RULE_TIME_BUDGET": "1"}
    lsp = await ClientServerConfig(server_command=SERVER, server_env=env).start()
    try:
        await ask(lsp.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(), initialization_options={"debounceMs": 0})), 60)
        uri = uri_of(project / "m.md")
        open_doc(lsp, uri, FAILING)
        await until(lambda: codes(lsp, uri) == ["CUST001", "MOD005", "MOD012", "MOD012", "ORG001"], timeout=60, what="every diagnostic, two of them internal errors")
        internal = sorted(d.message for d in lsp.diagnostics[uri] if d.code == "MOD012")
        assert internal[0].startswith("Rule BAD001 from plugin 'lsp_plugin' returned str, not a finding made with ctx.report."), internal
        assert internal[1].startswith("Rule LOOP001 from plugin 'lsp_plugin' took longer than 1 s on this file and was stopped."), internal
        assert all("Traceback" not in m for m in internal)
        by_code = {d.code: d for d in lsp.diagnostics[uri]}
        assert by_code["ORG001"].code_description is not None and by_code["ORG001"].code_description.href == "https://example.org/lint/ORG001"
        assert by_code["MOD005"].code_description.href == rule_doc_url("MOD005")  # type: ignore[union-attr]
        assert by_code["CUST001"].code_description is None
        hover = await ask(lsp.text_document_hover_async(t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=0, character=0))))
        assert hover is not None and "[ORG001 documentation](https://example.org/lint/ORG001)" in hover.contents.value  # type: ignore[union-attr]
        # The server is still answering: the next edit is checked as before.
        change_doc(lsp, uri, PASSING, 2)
        await until(lambda: codes(lsp, uri) == ["MOD012", "MOD012", "ORG001"], timeout=60, what="the edit's diagnostics")
    finally:
        await stop_server(lsp)
        await asyncio.wait_for(lsp.stop(), 20)


# -- a rule that raises, and malformed messages ---------------------------------------
RAISING_SERVER = """\
import sys
from modlint.checks import module as checks
from modlint import engine
from modlint.lsp import service

def boom(module, ctx):
    raise RuntimeError("plugin bug")
    yield

checks.unknown_keys.check = boom
if "{mode}" == "engine":
    def broken(self, *a, **k):
        raise ValueError("engine bug")
    engine.Linter.check_text = broken
    def no_suppression(*a, **k):
        raise KeyError("suppression bug")
    service.suppression_edit = no_suppression
from modlint.lsp.server import run_lsp
sys.exit(run_lsp(None))
"""


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", ["rule", "engine"])
async def test_a_failing_rule_or_engine_does_not_kill_the_server(tmp_path: Path, mode: str):
    script = tmp_path / "server.py"
    script.write_text(RAISING_SERVER.replace("{mode}", mode), encoding="utf-8")
    make_project(tmp_path)
    lsp = await ClientServerConfig(server_command=[sys.executable, str(script)]).start()
    try:
        await ask(lsp.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(), initialization_options={"debounceMs": 0})), 60)
        uri = uri_of(tmp_path / "m.md")
        open_doc(lsp, uri, FAILING)
        await until(lambda: "MOD012" in codes(lsp, uri), what="an internal-error diagnostic")
        message = next(d.message for d in lsp.diagnostics[uri] if d.code == "MOD012")
        assert ("plugin bug" if mode == "rule" else "engine bug") in message
        assert "Traceback" not in message
        if mode == "rule":
            assert "CUST001" in codes(lsp, uri)  # the other rules still ran
        change_doc(lsp, uri, PASSING, 2)
        hover = await ask(lsp.text_document_hover_async(t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=0, character=0))))
        assert hover is None or isinstance(hover, t.Hover)
        # A code action request that fails inside modlint (engine mode) is answered, not
        # turned into an error carrying a Python traceback (the client would raise here).
        pos = t.Position(line=0, character=0)
        actions = await ask(lsp.text_document_code_action_async(t.CodeActionParams(text_document=t.TextDocumentIdentifier(uri=uri), range=t.Range(start=pos, end=pos), context=t.CodeActionContext(diagnostics=[]))))
        if mode == "engine":
            assert actions is None
            await until(lambda: any("code action failed (KeyError" in m.message for m in lsp.log_messages), what="the failure in the log")
        else:
            assert actions and all(isinstance(a, t.CodeAction) for a in actions)  # the suppression of MOD012
    finally:
        await stop_server(lsp)
        await asyncio.wait_for(lsp.stop(), 20)


def _frame(obj: object | bytes) -> bytes:
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    """``modlint lsp`` in a subprocess, spoken to frame by frame.

    Two daemon threads drain its standard output (parsed into messages) and standard
    error, so the server can never block on a full pipe, and every wait has a deadline:
    a request the server never answers fails the test in seconds instead of leaving the
    test and the server each waiting for the other for ever."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.messages: queue.Queue[dict | None] = queue.Queue()
        self.stderr = bytearray()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                length = 0
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                    if line in (b"\r\n", b"\n"):
                        break
                self.messages.put(json.loads(stream.read(length)))
        except (OSError, ValueError):
            return
        finally:
            self.messages.put(None)  # end of output

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for chunk in iter(lambda: self.proc.stderr.read1(4096), b""):  # type: ignore[union-attr]
            self.stderr += chunk

    def send(self, *frames: object | bytes) -> None:
        assert self.proc.stdin is not None
        for frame in frames:
            self.proc.stdin.write(frame if isinstance(frame, bytes) and frame.startswith(b"Content-Length") else _frame(frame))
        self.proc.stdin.flush()

    def wait_for(self, predicate, what: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                msg = self.messages.get(timeout=max(left, 0.0))
            except queue.Empty:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}") from None
            if msg is None:
                raise AssertionError(f"the server closed its output while the test waited for {what} (exit status {self.proc.poll()})")
            if predicate(msg):
                return msg

    def response(self, msg_id: int, timeout: float = 20.0) -> dict:
        return self.wait_for(lambda m: m.get("id") == msg_id and "method" not in m, f"the response to request {msg_id}", timeout)

    def initialize(self) -> None:
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        assert "capabilities" in self.response(1, timeout=60)["result"]
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def exit_status(self, timeout: float = 10.0) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


@pytest.fixture
def raw(tmp_path: Path):
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    server = RawServer(tmp_path)
    yield server
    server.close()


def test_malformed_messages_do_not_kill_the_server(raw: RawServer, tmp_path: Path):
    raw.initialize()
    raw.send(
        _frame(b"{not json"),
        _frame(b"\xff\xfe not UTF-8"),
        _frame(b"[1, 2, 3]"),
        _frame(b"42"),
        {"id": 9, "method": "textDocument/hover"},  # no "jsonrpc": not JSON-RPC at all
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"nonsense": True}},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction"},  # params missing
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 42}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere.md", "version": 2}, "contentChanges": [{"text": "x"}]}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 12345}},
        {"jsonrpc": "2.0", "method": "no/such/notification", "params": {}},
        {"jsonrpc": "2.0", "id": 4, "method": "no/such/method", "params": {}},
    )
    # Every request is answered, in plain words, without a Python traceback.
    answers = {msg_id: raw.response(msg_id) for msg_id in (2, 3, 4)}
    for answer in answers.values():
        assert "error" in answer, answer
        assert "traceback" not in json.dumps(answer).lower()
    for msg_id in (2, 3):
        assert answers[msg_id]["error"]["code"] == -32602  # InvalidParams
        assert "parameters do not follow the Language Server Protocol" in answers[msg_id]["error"]["message"]
    uri = uri_of(tmp_path / "m.md")
    raw.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "no front matter\n"}}})
    published = raw.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, "the diagnostics of a document opened after the garbage")
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["MOD001"]
    raw.send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}})
    assert "result" in raw.response(5)
    raw.send({"jsonrpc": "2.0", "id": 6, "method": "shutdown"})
    assert raw.response(6) == {"jsonrpc": "2.0", "id": 6, "result": None}
    # The client keeps its end of the pipe open, as editors do: exit alone must end the process.
    raw.send({"jsonrpc": "2.0", "method": "exit"})
    assert raw.exit_status() == 0
    assert b"Traceback" not in raw.stderr


def test_exit_without_shutdown_and_a_vanished_client_end_the_server(tmp_path: Path):
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    for how in ("exit", "eof"):
        server = RawServer(tmp_path)
        try:
            server.initialize()
            if how == "exit":
                server.send({"jsonrpc": "2.0", "method": "exit"})
            else:
                assert server.proc.stdin is not None
                server.proc.stdin.close()
            assert server.exit_status() == 1, how  # the protocol's status for "no shutdown first"
        finally:
            server.close()


def test_ctrl_c_stops_the_server_without_a_traceback(raw: RawServer):
    raw.initialize()
    # Let the server park in its blocking read of standard input: the case where it used
    # to stay alive until the client closed the pipe.
    time.sleep(0.5)
    raw.proc.send_signal(signal.SIGINT)
    assert raw.exit_status() == 1
    assert b"Traceback" not in raw.stderr


# -- the command ---------------------------------------------------------------------
def test_missing_pygls_exits_2_with_a_clear_message():
    code = "import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp'] = None; sys.modules['pygls.lsp.server'] = None; from modlint.cli import main; sys.exit(main(['lsp']))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install 'modlint[lsp]'" in proc.stderr


def test_check_does_not_import_pygls():
    code = "import sys, modlint.cli, modlint.commands.check, modlint.lsp, modlint.lsp.service; print(sorted(m for m in sys.modules if m.startswith(('pygls', 'lsprotocol'))))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# -- the service, without the protocol ---------------------------------------------------
def _finding(rule: str, line: int, column: int = 1, **kw) -> Finding:
    return Finding(rule, rule.lower(), "module", Severity.WARNING, "m", "x.md", line, column, **kw)


def test_buffer_positions_with_bom_and_crlf():
    buf = Buffer("\ufeff---\r\nid: x\r\n---\r\nBody \U0001F600 text\r\n")
    assert buf.text.startswith("---\nid: x")
    assert buf.newline == "\r\n"
    assert buf.position(1, 1) == (0, 1)  # the BOM the editor kept is on line 0
    assert buf.position(4, 8) == (3, 7)
    offset = buf.text.index("text")
    assert buf.offset_position(offset) == (3, 7)
    assert buf.to_buffer_newlines("a\nb") == "a\r\nb"
    assert finding_range(_finding("MOD005", 2, 1, snippet="id"), buf) == ((1, 0), (1, 2))


def test_suppression_edits():
    text = textwrap.dedent(
        """\
        ---
        id: x
          nested: 1
        ---
        Para line
        > quoted line
        <!-- modlint-disable-next-line MOD005 -- because -->
        covered line
        """
    )
    buf = Buffer(text)
    title, edit = suppression_edit(_finding("MOD004", 3, 3), buf)  # type: ignore[misc]
    assert edit.start == (2, 0) and edit.new_text.startswith("  # modlint-disable-next-line MOD004 -- ")
    title, edit = suppression_edit(_finding("MOD004", 1), buf)  # type: ignore[misc]
    assert "disable-file" in title and edit.start == (1, 0) and edit.new_text.startswith("# modlint-disable-file MOD004 -- ")
    _, edit = suppression_edit(_finding("MOD013", 6, 3), buf)  # type: ignore[misc]
    assert edit.new_text.startswith("> <!-- modlint-disable-next-line MOD013 -- ") and edit.new_text.endswith("-->\n")
    title, edit = suppression_edit(_finding("MOD013", 8), buf)  # type: ignore[misc]
    assert "add to" in title and edit.new_text == " MOD013"
    assert edit.start == (6, len("<!-- modlint-disable-next-line MOD005"))
    assert suppression_edit(_finding("MOD005", 8), buf) is None  # already named there
    assert suppression_edit(_finding("MOD010", 5), buf) is None  # unused-suppression cannot be suppressed


def test_combine_fixes_skips_overlaps():
    buf = Buffer("abcdef\n")
    fixes = [Fix("a", (Edit(0, 2, "X"),)), Fix("b", (Edit(1, 3, "Y"),)), Fix("c", (Edit(4, 5, "Z"),))]
    edits = combine_fixes(fixes, buf)
    assert [(e.start, e.end, e.new_text) for e in edits] == [((0, 0), (0, 2), "X"), ((0, 4), (0, 5), "Z")]


def test_service_reports_config_errors_and_recovers(tmp_path: Path):
    make_project(tmp_path)
    service = LintService()
    path = tmp_path / "m.md"
    assert sorted(f.rule_id for f in service.lint(path, FAILING).findings) == ["CUST001", "MOD005"]
    (tmp_path / ".modlint.yaml").write_text("select: [modul\n", encoding="utf-8")
    bad = service.lint(path, FAILING)
    assert bad.config_error is not None and bad.findings == []
    (tmp_path / ".modlint.yaml").write_text("select: [module]\nexclude: ['drafts/']\n", encoding="utf-8")
    os.utime(tmp_path / ".modlint.yaml", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert [f.rule_id for f in service.lint(path, FAILING).findings] == ["MOD005"]
    assert service.lint(tmp_path / "drafts" / "d.md", FAILING).excluded


def test_finished_notification_futures_are_released():
    """pygls 2.1 keeps the future of every notification; the server drops it when done."""
    from concurrent.futures import Future

    from modlint.lsp.server import create_server

    protocol = create_server().protocol
    future: Future = Future()
    protocol._request_futures["notification-1"] = future
    future.add_done_callback(protocol._check_handler_result)
    future.set_result(None)
    assert "notification-1" not in protocol._request_futures


def test_a_long_session_does_not_keep_every_edited_paragraph(tmp_path: Path):
    """Paragraph-keyed memo caches would hold every version of an edited paragraph (up
    to 4,096 of them); the service keeps them to TEXT_CACHE_LIMIT so memory stays flat."""
    from modlint.lsp.service import TEXT_CACHE_LIMIT
    from modlint.prose import mask_quotes

    make_project(tmp_path)
    service = LintService()
    path = tmp_path / "m.md"
    mask_quotes.cache_clear()
    for n in range(TEXT_CACHE_LIMIT + 40):
        outcome = service.lint(path, FAILING.replace("one simple model", f"one simple model, draft {n},"))
        assert [f.rule_id for f in outcome.findings] == ["MOD005", "CUST001"]
    assert mask_quotes.cache_info().currsize <= TEXT_CACHE_LIMIT
    assert mask_quotes.cache_info().hits > 0  # still a cache: the rules share it within a check
