"""``modlint lsp``: a Language Server Protocol server over standard input and output.

It lints the editor's buffer, saved or not, in process, with the configuration the
CLI would use for that file (``.modlint.yaml`` / ``pyproject.toml`` found upward,
re-read when it changes). It publishes diagnostics on open and save at once and on
change after a short pause in typing (``debounceMs``), explains a rule on hover, and
offers the finding's fix and a ``modlint-disable-next-line`` suppression as code
actions.

Settings come from ``initializationOptions`` (all optional)::

    {"debounceMs": 200, "config": "/path/to/.modlint.yaml"}

or the environment variables ``MODLINT_LSP_DEBOUNCE_MS`` and ``MODLINT_LSP_LOG``
(a logging level such as ``debug``; the log goes to standard error).
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from modlint.cli import EXIT_OK, EXIT_USAGE
from modlint.findings import Severity

log = logging.getLogger("modlint.lsp")

DEFAULT_DEBOUNCE_MS = 200
SOURCE = "modlint"
FIX_ALL_KIND = "source.fixAll.modlint"
INSTALL_HINT = "modlint: error: 'modlint lsp' needs pygls 2 and lsprotocol, which are not installed. Install them with: pip install 'modlint[lsp]'"


def _import_pygls() -> bool:
    try:
        import lsprotocol.types  # noqa: F401
        from pygls.lsp.server import LanguageServer  # noqa: F401  (pygls 2 only)
    except ImportError:
        return False
    return True


def run_lsp(args: argparse.Namespace | None = None) -> int:
    """Entry point of ``modlint lsp``: serve until the client says exit or goes away.

    The exit status follows the protocol: 0 after ``shutdown`` then ``exit``, 1 if the
    server stops any other way (``exit`` without ``shutdown``, the client closing the
    pipe, Ctrl-C).
    """
    if not _import_pygls():
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_USAGE
    level_name = os.environ.get("MODLINT_LSP_LOG", "warning").upper()
    level = getattr(logging, level_name, logging.WARNING)
    level = level if isinstance(level, int) else logging.WARNING
    logging.basicConfig(stream=sys.stderr, level=level, format="modlint-lsp %(levelname)s %(name)s: %(message)s")
    if level > logging.DEBUG:
        # The log is shown to authors in the editor's output panel: one plain line per
        # problem. pygls logs a full traceback for every malformed message; those are
        # kept for MODLINT_LSP_LOG=debug.
        for handler in logging.getLogger().handlers:
            handler.addFilter(_NoTracebacks())
    debounce = getattr(args, "debounce_ms", None) if args is not None else None
    if debounce is None and os.environ.get("MODLINT_LSP_DEBOUNCE_MS"):
        try:
            debounce = float(os.environ["MODLINT_LSP_DEBOUNCE_MS"])
        except ValueError:
            log.warning("MODLINT_LSP_DEBOUNCE_MS=%r is not a number of milliseconds; using %d", os.environ["MODLINT_LSP_DEBOUNCE_MS"], DEFAULT_DEBOUNCE_MS)
            debounce = None
    config = getattr(args, "config", None) if args is not None else None
    server = create_server(debounce_ms=DEFAULT_DEBOUNCE_MS if debounce is None else debounce, explicit_config=Path(config) if config else None)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # The protocol owns standard output: a stray print() from a rule must not corrupt it.
    sys.stdout = sys.stderr
    server.start_io(stdin, stdout)
    code = EXIT_OK if server.shutdown_requested else 1
    # pygls reads standard input in a worker thread. When the loop stops on anything but
    # end of input (``exit``, Ctrl-C) that thread may still be blocked in read(), which
    # cannot be interrupted, and the interpreter joins worker threads before it exits:
    # the process would live on until the client closed the pipe, which a client that
    # has sent ``exit`` and waits for the process to end never does. Nothing else is
    # left to do by now, so flush what we wrote and leave at once.
    if _reader_still_blocked():
        logging.shutdown()
        sys.stderr.flush()
        os._exit(code)
    return code


_TRACEBACK = re.compile(r"\n[ |+]*(?:Exception Group )?Traceback \(most recent call last\)")


class _NoTracebacks(logging.Filter):
    """Turn a logged exception into one line: its type and message, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = _TRACEBACK.search(message)
        if found:
            message = message[: found.start()]
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            cause = exc.__cause__
            detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
            if cause is not None:
                detail += f" ({type(cause).__name__}: {' '.join(str(cause).split())[:300]})"
            message = f"{message} [{detail}]"
        record.msg, record.args = message, None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def _reader_still_blocked() -> bool:
    import threading

    return any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def create_server(debounce_ms: float = DEFAULT_DEBOUNCE_MS, explicit_config: Path | None = None) -> Any:
    """Build the pygls server with every feature registered (pygls imported here only)."""
    from lsprotocol import types as t
    from pygls import uris
    from pygls.exceptions import JsonRpcException
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol

    from modlint import __version__
    from modlint._paths import doc_url_for
    from modlint.lsp.service import (
        LintService,
        Outcome,
        affected_line,
        combine_fixes,
        fix_edits,
        hover_markdown,
        is_config_file,
        is_markdown,
        suppression_edit,
    )

    severity_map = {Severity.ERROR: t.DiagnosticSeverity.Error, Severity.WARNING: t.DiagnosticSeverity.Warning, Severity.INFO: t.DiagnosticSeverity.Information}

    class Protocol(LanguageServerProtocol):
        def _check_handler_result(self, future: Any) -> None:
            # pygls 2.1 files the future of every notification handled by a generator or
            # coroutine (didOpen, didChange, didClose...) under a fresh id and never removes
            # it: about 2 kB per keystroke. Drop it once it is done, so memory stays flat.
            try:
                super()._check_handler_result(future)
            finally:
                futures = self._request_futures
                for key in [k for k, f in futures.items() if f is future]:
                    futures.pop(key, None)

        def structure_message(self, data: dict[str, Any]) -> Any:
            try:
                return super().structure_message(data)
            except JsonRpcException:
                # pygls raises here for a request whose params do not fit the protocol's
                # type, and its read loop then logs the error and drops the message without
                # answering: the client would wait for that answer for ever. Answer it.
                if "id" in data and "method" in data and "error" not in data and isinstance(data["id"], (int, str)):
                    method = str(data["method"])[:100]
                    self._send_response(
                        data["id"],
                        None,
                        t.ResponseError(
                            code=t.ErrorCodes.InvalidParams,
                            message=f"modlint could not handle this '{method}' request: its parameters do not follow the Language Server Protocol.",
                        ),
                    )
                raise

    class ModlintLanguageServer(LanguageServer):
        def __init__(self) -> None:
            super().__init__("modlint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental, protocol_cls=Protocol)
            self.debounce = max(0.0, float(debounce_ms)) / 1000.0
            self.explicit_config = explicit_config
            self.service: LintService | None = None
            self.open_docs: dict[str, str] = {}  # uri -> language id
            self.outcomes: dict[str, Outcome] = {}
            self.timers: dict[str, asyncio.TimerHandle] = {}
            self.config_published: dict[str, tuple[str, ...]] = {}  # config file uri -> messages published
            self.lint_count = 0
            self.shutdown_requested = False  # the exit status depends on it (0 only after shutdown)

        def shutdown(self) -> None:
            # pygls shuts its thread pool down with wait=True, but the thread reading standard
            # input is blocked in read() until the client writes or closes the pipe, so that
            # wait could last for ever. Let it go instead; run_lsp ends the process.
            pool, self._thread_pool = self._thread_pool, None
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            super().shutdown()

        # -- plumbing ------------------------------------------------------------
        def report_server_error(self, error: Exception, source: Any) -> None:
            # Log instead of a pop-up: a malformed message from the client is not the author's problem.
            log.warning("ignored a message modlint could not handle (%s): %s", getattr(source, "__name__", source), error)
            try:
                self.window_log_message(t.LogMessageParams(type=t.MessageType.Error, message=f"modlint: {error}"))
            except Exception:
                pass

        def svc(self) -> LintService:
            if self.service is None:
                root = _workspace_root(self)
                explicit = self.explicit_config
                if explicit is not None and not explicit.is_absolute():
                    explicit = (root or Path.cwd()) / explicit  # relative to the workspace
                self.service = LintService(explicit, root)
            return self.service

        def codec(self) -> Any:
            return self.workspace.position_codec

        def position(self, lines: list[str], pos: tuple[int, int]) -> t.Position:
            line, char = pos
            if not 0 <= line < len(lines):
                return t.Position(line=max(line, 0), character=0)
            return t.Position(line=line, character=self.codec().client_num_units(lines[line][:char]))

        def range(self, lines: list[str], rng: tuple[tuple[int, int], tuple[int, int]]) -> t.Range:
            return t.Range(start=self.position(lines, rng[0]), end=self.position(lines, rng[1]))

        def server_position(self, lines: list[str], pos: t.Position) -> tuple[int, int]:
            if not lines:
                return (0, 0)
            line = min(max(pos.line, 0), len(lines) - 1)
            text, units, char = lines[line], 0, 0
            codec = self.codec()
            for ch in text:
                if units >= pos.character:
                    break
                units += codec.client_num_units(ch)
                char += 1
            return (line, char)

        # -- linting ---------------------------------------------------------------
        def lint_now(self, uri: str) -> Outcome | None:
            timer = self.timers.pop(uri, None)
            if timer is not None:
                timer.cancel()
            if uri not in self.open_docs:
                return None
            try:
                doc = self.workspace.get_text_document(uri)
                path = _fs_path(uri)
                outcome = self.svc().lint(path, doc.source, doc.version)
            except Exception as exc:  # never let one document take the server down
                log.exception("linting %s failed", uri)
                self.window_log_message(t.LogMessageParams(type=t.MessageType.Error, message=f"modlint: linting {uri} failed: {type(exc).__name__}: {exc}"))
                return None
            self.lint_count += 1
            self.outcomes[uri] = outcome
            self.publish(uri, outcome)
            self.publish_config_errors()
            self.report_load_errors(outcome)
            return outcome

        def fresh(self, uri: str) -> Outcome | None:
            """The findings for the buffer as it is now (linting it if an edit is pending)."""
            outcome = self.outcomes.get(uri)
            if outcome is not None and uri not in self.timers:
                try:
                    doc = self.workspace.get_text_document(uri)
                    if outcome.version == doc.version and outcome.buffer.raw == doc.source:
                        return outcome
                except Exception:
                    return outcome
            return self.lint_now(uri)

        def schedule(self, uri: str) -> None:
            if self.debounce <= 0:
                self.lint_now(uri)
                return
            old = self.timers.pop(uri, None)
            if old is not None:
                old.cancel()
            loop = asyncio.get_running_loop()
            self.timers[uri] = loop.call_later(self.debounce, self._fire, uri)

        def _fire(self, uri: str) -> None:
            self.timers.pop(uri, None)
            try:
                self.lint_now(uri)
            except Exception:
                log.exception("debounced lint of %s failed", uri)

        def relint_all(self) -> None:
            self.svc().reload()
            for uri in list(self.open_docs):
                self.lint_now(uri)
            self.publish_config_errors()

        # -- publishing ------------------------------------------------------------
        def diagnostic(self, finding: Any, rng: Any, lines: list[str], toolkit: Any) -> t.Diagnostic:
            affects = affected_line(finding)
            # No link for a rule without documentation (a plugin's or an extra-rules rule that names none).
            url = doc_url_for(toolkit.catalogue.get(finding.rule_id)) if toolkit is not None else None
            return t.Diagnostic(
                range=self.range(lines, rng),
                message=finding.message + (f"\n{affects}" if affects else ""),
                severity=severity_map.get(finding.severity, t.DiagnosticSeverity.Warning),
                code=finding.rule_id,
                code_description=t.CodeDescription(href=url) if url else None,
                source=SOURCE,
                tags=[t.DiagnosticTag.Unnecessary] if finding.rule_id == "MOD010" else None,
                data={"alias": finding.alias, "fix": finding.fix is not None},
            )

        def diagnostics(self, outcome: Outcome) -> list[t.Diagnostic]:
            lines = outcome.buffer.lines
            if outcome.config_error is not None:
                err = outcome.config_error
                where = Path(err.path)
                msg = (
                    f"modlint is not checking this file: its configuration {where.name} has an error "
                    f"(line {err.line}): {err.detail}. Fix the configuration and save it."
                )
                first = (0, len(lines[0]) if lines else 0)
                return [
                    t.Diagnostic(
                        range=self.range(lines, ((0, 0), first)),
                        message=msg,
                        severity=t.DiagnosticSeverity.Error,
                        code="config-error",
                        source=SOURCE,
                        related_information=[
                            t.DiagnosticRelatedInformation(
                                location=t.Location(uri=uris.from_fs_path(str(_error_file(outcome))) or str(where), range=t.Range(start=t.Position(line=max(err.line - 1, 0), character=0), end=t.Position(line=max(err.line - 1, 0), character=0))),
                                message=err.detail,
                            )
                        ],
                    )
                ]
            return [self.diagnostic(f, r, lines, outcome.toolkit) for f, r in zip(outcome.findings, outcome.ranges)]

        def publish(self, uri: str, outcome: Outcome) -> None:
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=self.diagnostics(outcome), version=outcome.version))

        def publish_config_errors(self) -> None:
            """Each broken configuration file gets a diagnostic of its own; a mended one is cleared."""
            wanted: dict[str, list[t.Diagnostic]] = {}
            for outcome in self.outcomes.values():
                err = outcome.config_error
                if err is None:
                    continue
                target = _error_file(outcome)
                uri = uris.from_fs_path(str(target))
                if uri is None or uri in wanted:
                    continue
                lines = _read_lines(target)
                line0 = min(max(err.line - 1, 0), max(len(lines) - 1, 0))
                col0 = max(err.column - 1, 0) if target == Path(err.path) else 0
                text = lines[line0] if lines else ""
                col0 = min(col0, len(text))
                end = len(text.rstrip()) if len(text.rstrip()) > col0 else len(text)
                detail = err.detail if target == Path(err.path) else f"{err.path}: {err.detail}"
                wanted[uri] = [
                    t.Diagnostic(
                        range=self.range(lines or [""], ((line0, col0), (line0, end))),
                        message=f"modlint cannot use this configuration: {detail}",
                        severity=t.DiagnosticSeverity.Error,
                        code="config-error",
                        source=SOURCE,
                    )
                ]
            for uri, diags in wanted.items():
                key = tuple(d.message + repr(d.range) for d in diags)
                if self.config_published.get(uri) != key:
                    self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=diags))
                    self.config_published[uri] = key
            for uri in [u for u in self.config_published if u not in wanted]:
                del self.config_published[uri]
                self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

        def report_load_errors(self, outcome: Outcome) -> None:
            """Plugins that failed to load: one message per new set of problems, the detail in the log."""
            tk = outcome.toolkit
            if tk is None or not tk.load_errors:
                return
            seen = self.svc().reported_load_errors
            fresh = [f"the plugin '{e.plugin}' {e.message}" for e in tk.load_errors]
            fresh = [text for text in fresh if text not in seen]
            if not fresh:
                return
            seen.update(fresh)
            for text in fresh:
                self.window_log_message(t.LogMessageParams(type=t.MessageType.Warning, message=f"modlint: {text}"))
            more = f" (and {len(fresh) - 1} more problems; see the modlint log)" if len(fresh) > 1 else ""
            self.window_show_message(t.ShowMessageParams(type=t.MessageType.Warning, message=f"modlint: {fresh[0]}{more}. Those rules were not run; the other rules still ran."))

    def answered(fn: Any) -> Any:
        """Answer a request even when modlint fails on it: pygls would send the client an
        error with a Python traceback, which editors show as a pop-up. Hover and code
        actions are optional extras, so log one plain line and answer "nothing here"."""

        @functools.wraps(fn)
        def guarded(ls: ModlintLanguageServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except Exception as exc:  # one failing request must not look like a crash
                log.error("%s failed: %s: %s", fn.__name__, type(exc).__name__, exc)
                ls.window_log_message(t.LogMessageParams(type=t.MessageType.Error, message=f"modlint: {fn.__name__.replace('_', ' ')} failed ({type(exc).__name__}: {exc}); please report this."))
                return None

        return guarded

    server = ModlintLanguageServer()

    # -- lifecycle -------------------------------------------------------------------
    @server.feature(t.INITIALIZE)
    def initialize(ls: ModlintLanguageServer, params: t.InitializeParams) -> None:
        opts = params.initialization_options
        if isinstance(opts, dict):
            settings = opts.get("modlint", opts) if isinstance(opts.get("modlint"), dict) else opts
            if isinstance(settings.get("debounceMs"), (int, float)) and not isinstance(settings.get("debounceMs"), bool):
                ls.debounce = max(0.0, float(settings["debounceMs"])) / 1000.0
            if isinstance(settings.get("config"), str) and settings["config"]:
                ls.explicit_config = Path(os.path.expanduser(settings["config"]))
        ls.service = None  # created lazily, with the workspace root

    @server.feature(t.INITIALIZED)
    def initialized(ls: ModlintLanguageServer, params: t.InitializedParams) -> None:
        caps = ls.client_capabilities
        dynamic = bool(caps.workspace and caps.workspace.did_change_watched_files and caps.workspace.did_change_watched_files.dynamic_registration)
        if not dynamic:
            return
        watchers = [t.FileSystemWatcher(glob_pattern=g) for g in ("**/.modlint.yaml", "**/.modlint.yml", "**/pyproject.toml")]
        try:
            ls.client_register_capability(
                t.RegistrationParams(
                    registrations=[
                        t.Registration(
                            id="modlint-config-watch",
                            method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                        )
                    ]
                )
            )
        except Exception:
            log.warning("could not ask the client to watch configuration files", exc_info=True)

    @server.feature(t.SHUTDOWN)
    def shutdown(ls: ModlintLanguageServer, params: Any) -> None:
        ls.shutdown_requested = True
        for timer in ls.timers.values():
            timer.cancel()
        ls.timers.clear()

    # -- documents ---------------------------------------------------------------------
    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ModlintLanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        if not is_markdown(_fs_path(doc.uri), doc.language_id):
            return
        ls.open_docs[doc.uri] = doc.language_id
        ls.lint_now(doc.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ModlintLanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.open_docs:
            ls.schedule(uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    def did_save(ls: ModlintLanguageServer, params: t.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _fs_path(uri)
        if is_config_file(path) or _is_rule_file(ls, path):
            ls.relint_all()
        elif uri in ls.open_docs:
            ls.lint_now(uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ModlintLanguageServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.outcomes.pop(uri, None)
        if ls.open_docs.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            ls.publish_config_errors()

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: ModlintLanguageServer, params: t.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(_fs_path(c.uri)) or _is_rule_file(ls, _fs_path(c.uri)) for c in params.changes):
            ls.relint_all()

    # -- hover -------------------------------------------------------------------------
    @server.feature(t.TEXT_DOCUMENT_HOVER)
    @answered
    def hover(ls: ModlintLanguageServer, params: t.HoverParams) -> t.Hover | None:
        uri = params.text_document.uri
        if uri not in ls.open_docs:
            return None
        outcome = ls.fresh(uri)
        if outcome is None or outcome.toolkit is None:
            return None
        pos = ls.server_position(outcome.buffer.lines, params.position)
        hits = [(f, r) for f, r in zip(outcome.findings, outcome.ranges) if r[0] <= pos <= r[1]]
        if not hits:
            return None
        parts, seen = [], set()
        for finding, _ in hits:
            meta = outcome.toolkit.catalogue.get(finding.rule_id)
            if meta is None or meta.id in seen:
                continue
            seen.add(meta.id)
            parts.append(hover_markdown(meta, outcome.toolkit, finding, doc_url_for(meta)))
        if not parts:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)), range=ls.range(outcome.buffer.lines, hits[0][1]))

    # -- code actions ------------------------------------------------------------------
    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll], resolve_provider=False),
    )
    @answered
    def code_action(ls: ModlintLanguageServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
        uri = params.text_document.uri
        if uri not in ls.open_docs:
            return None
        outcome = ls.fresh(uri)
        if outcome is None or outcome.config_error is not None:
            return None
        buf = outcome.buffer
        lines = buf.lines
        only = list(params.context.only or []) if params.context else []
        rng = (ls.server_position(lines, params.range.start), ls.server_position(lines, params.range.end))
        actions: list[t.CodeAction] = []

        def workspace_edit(edits: list[Any]) -> t.WorkspaceEdit:
            text_edits = [t.TextEdit(range=ls.range(lines, (e.start, e.end)), new_text=e.new_text) for e in edits]
            caps = ls.client_capabilities
            versioned = bool(caps.workspace and caps.workspace.workspace_edit and caps.workspace.workspace_edit.document_changes)
            if versioned and outcome.version is not None:
                return t.WorkspaceEdit(document_changes=[t.TextDocumentEdit(text_document=t.OptionalVersionedTextDocumentIdentifier(uri=uri, version=outcome.version), edits=text_edits)])
            return t.WorkspaceEdit(changes={uri: text_edits})

        if _wanted(t.CodeActionKind.QuickFix, only):
            for finding, frng in outcome.at(rng):
                diag = ls.diagnostic(finding, frng, lines, outcome.toolkit)
                if finding.fix is not None and finding.fix.edits:
                    title = f"{finding.fix.description} ({finding.rule_id})" if finding.fix.safe else f"{finding.fix.description} ({finding.rule_id}; may change meaning)"
                    actions.append(t.CodeAction(title=title, kind=t.CodeActionKind.QuickFix, diagnostics=[diag], edit=workspace_edit(fix_edits(finding.fix, buf)), is_preferred=finding.fix.safe))
                suppression = suppression_edit(finding, buf)
                if suppression is not None:
                    title, edit = suppression
                    actions.append(t.CodeAction(title=title, kind=t.CodeActionKind.QuickFix, diagnostics=[diag], edit=workspace_edit([edit])))
        if only and _wanted(FIX_ALL_KIND, only):
            safe = [f.fix for f in outcome.findings if f.fix is not None and f.fix.safe and f.fix.edits]
            if safe:
                actions.append(t.CodeAction(title="Apply every safe modlint fix in this file", kind=FIX_ALL_KIND, edit=workspace_edit(combine_fixes(safe, buf))))
        return actions

    return server


def _wanted(kind: str, only: list[str]) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(str(k) + ".") for k in only)


def _fs_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    from pygls import uris

    try:
        fs = uris.to_fs_path(uri)
    except Exception:
        return None
    return Path(fs) if fs else None


def _workspace_root(ls: Any) -> Path | None:
    try:
        root = ls.workspace.root_path
    except Exception:
        return None
    return Path(root) if root else None


def _error_file(outcome: Any) -> Path:
    """The file a configuration error belongs on: the broken file itself when it is a
    file (a config or a rule YAML), else the configuration that named it."""
    err = outcome.config_error
    where = Path(err.path)
    if where.is_file():
        return where
    return outcome.config_source or where


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [""]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_rule_file(ls: Any, path: Path | None) -> bool:
    """A YAML file inside a configured ``extra-rules`` or ``extra-personas`` folder."""
    if path is None or path.suffix not in (".yaml", ".yml") or ls.service is None:
        return False
    for rules, personas in list(ls.service._toolkits):
        for folder in (*rules, *personas):
            try:
                path.resolve().relative_to(folder)
                return True
            except ValueError:
                continue
    return False


__all__ = ["create_server", "run_lsp"]
