"""Find, load and validate plugins, loudly.

Built-in rules come in through the same ``modlint`` entry point group as
third-party ones. A plugin that cannot be imported, or whose hooks fail, is
recorded in :attr:`Toolkit.load_errors` and reported as an internal-error finding;
the other plugins still load.
"""
from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pluggy

from modlint import hookspecs
from modlint._blake import blake2b
from modlint.catalogue import Catalogue, RuleMeta, load_rule_dir, load_rule_file
from modlint.personas import PersonaRegistry, builtin_registry
from modlint.rule import Rule
from modlint.yamlio import DataError

BUILTIN = "modlint.checks"
# Raised by the parser and the engine themselves rather than by a rule function.
ENGINE_RULES = frozenset({"MOD001", "MOD002", "MOD003", "MOD010", "MOD011", "MOD012", "MOD013"})


@dataclass(slots=True)
class LoadError:
    """A plugin that could not be loaded, or whose rule was dropped, and why."""

    plugin: str
    message: str


@dataclass(slots=True)
class Toolkit:
    """Everything a run needs that does not depend on the files checked."""

    catalogue: Catalogue
    rules: dict[str, Rule]
    registry: PersonaRegistry
    formatters: dict[str, Callable[..., str]]
    plugins: dict[str, str] = field(default_factory=dict)  # name -> version
    load_errors: list[LoadError] = field(default_factory=list)


def _plugin_manager() -> tuple[pluggy.PluginManager, dict[str, str], list[LoadError]]:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    versions: dict[str, str] = {}
    errors: list[LoadError] = []
    seen_builtin = False
    for name, value, version in _entry_points():
        if pm.has_plugin(name):
            continue
        try:
            plugin = _load_entry_point(value)
            pm.register(plugin, name=name)
        except Exception as exc:  # a broken plugin must not stop the others
            errors.append(LoadError(name, f"could not be loaded ({type(exc).__name__}: {exc})"))
            continue
        if value == BUILTIN:
            seen_builtin = True
        versions[name] = version
    if not seen_builtin:
        # Running from a source tree that was never installed: register the built-ins directly.
        pm.register(importlib.import_module(BUILTIN), name="builtin")
    from modlint import __version__

    versions.setdefault("builtin", __version__)
    return pm, versions, errors


def _entry_points() -> list[tuple[str, str, str]]:
    """(name, value, distribution version) of each installed ``modlint`` entry point.

    Read from the data cache while nothing on ``sys.path`` has changed since they were
    last found: importing importlib.metadata alone takes a quarter of a one-file run."""
    from modlint.yamlio import PARSED

    stamp = _site_stamp()
    cached = PARSED.lookup("entry-points", stamp)
    if isinstance(cached, list) and all(isinstance(row, list) and len(row) == 3 for row in cached):
        return [(str(a), str(b), str(c)) for a, b, c in cached]
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group=hookspecs.PROJECT):
        dist = getattr(ep, "dist", None)
        found.append((ep.name, ep.value, str(getattr(dist, "version", "") or "") if dist else ""))
    PARSED.store("entry-points", stamp, [list(row) for row in found])
    return found


def _site_stamp() -> str:
    """Changes whenever a distribution is installed, removed or reinstalled anywhere on
    ``sys.path``: the name and mtime of every ``*.dist-info``, ``*.egg-info`` (and of
    its ``entry_points.txt``), ``*.egg-link`` and ``*.pth`` there. (Not the folders' own mtimes: the working
    folder, first on the path under ``python -m``, changes with every file saved.)"""
    h = blake2b(f"{sys.version}|{sys.prefix}".encode(), digest_size=16)
    for entry in sys.path:
        folder = entry or os.getcwd()
        h.update(f"[{folder}]".encode())
        if not os.path.isdir(folder):
            try:
                h.update(f"{os.stat(folder).st_mtime_ns};".encode())  # a zip file: its own mtime says it all
            except OSError:
                pass
            continue
        try:
            with os.scandir(folder) as it:
                for item in it:
                    if item.name.endswith((".dist-info", ".egg-info")):
                        # The entry points file itself: it can be rewritten in place.
                        try:
                            mtime = os.stat(os.path.join(item.path, "entry_points.txt")).st_mtime_ns
                        except OSError:
                            mtime = -1
                        h.update(f"{item.name}:{item.stat().st_mtime_ns}:{mtime};".encode())
                    elif item.name.endswith((".egg-link", ".pth")):
                        h.update(f"{item.name}:{item.stat().st_mtime_ns};".encode())
        except OSError:
            continue
    return h.hexdigest()


def _load_entry_point(value: str) -> Any:
    """What ``EntryPoint.load`` returns for ``module:attr.attr [extras]``."""
    target = value.split("[", 1)[0].strip()
    module, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def _plugin_name(pm: pluggy.PluginManager, impl: Any) -> str:
    return pm.get_name(impl.plugin) or "unknown"


def _check_barriers(catalogue: Catalogue, registry: PersonaRegistry, rules: dict[str, Rule]) -> list[LoadError]:
    """Every barrier a rule cites must be a persona's: an unknown id would still name its
    persona in "(affects: ...)" while pointing at nothing. A rule file (built in or from
    an extra-rules folder) with one is a configuration error naming the file and line; a
    plugin's rule is not run and becomes a load error, so the other rules still run."""
    errors: list[LoadError] = []
    for meta in catalogue:
        unknown = meta.unknown_barriers(registry)
        if not unknown:
            continue
        where, bid = unknown[0]
        hint = _barrier_hint(bid, registry)
        if meta.plugin in ("builtin", "config"):
            line, col = meta.position(where)
            raise DataError(meta.source, f"rule {meta.id} cites the barrier '{bid}', which no persona has. {hint}", line, col)
        rules.pop(meta.id, None)
        errors.append(LoadError(meta.plugin, f"cites the barrier '{bid}' in rule {meta.id}, which no persona has ({hint[0].lower()}{hint[1:].rstrip('.?')})"))
    return errors


def _barrier_hint(bid: str, registry: PersonaRegistry) -> str:
    from difflib import get_close_matches

    close = get_close_matches(bid, list(registry.barriers), n=1, cutoff=0.6)
    if close:
        return f"Did you mean '{close[0]}'?"
    persona = registry.get(bid.split(".", 1)[0])
    if persona is None:
        return "See 'modlint personas' for the persona ids; a repository's own personas need 'extra-personas' in its configuration."
    return f"See 'modlint personas {persona.id}' for its barrier ids."


def build_toolkit(extra_rule_dirs: tuple[Path, ...] = (), extra_persona_dirs: tuple[Path, ...] = ()) -> Toolkit:
    """Load plugins, the rule catalogue and the personas. Raises :class:`DataError`
    for invalid bundled or configured data (a usage error, exit 2)."""
    pm, versions, errors = _plugin_manager()

    metas: list[RuleMeta] = []
    for impl in pm.hook.modlint_rule_metadata.get_hookimpls():
        name = _plugin_name(pm, impl)
        try:
            items = impl.function() or []
        except Exception as exc:
            errors.append(LoadError(name, f"failed in modlint_rule_metadata ({type(exc).__name__}: {exc})"))
            continue
        for item in items:
            if isinstance(item, RuleMeta):
                item.plugin = name
                metas.append(item)
            elif isinstance(item, dict):
                metas.append(RuleMeta.from_dict(item, f"<plugin {name}>", name))
            else:
                path = Path(item)
                metas.extend(load_rule_dir(path, name) if path.is_dir() else load_rule_file(path, name))
    for folder in extra_rule_dirs:
        if not folder.is_dir():
            raise DataError(folder, "the rule folder named in the configuration does not exist")
        for meta in load_rule_dir(folder, "config"):
            if meta.kind == "python":
                raise DataError(meta.source, f"rule {meta.id} from a configured folder must be declarative (kind: phrase-existence or phrase-substitution)")
            metas.append(meta)
    catalogue = Catalogue(metas)

    rules: dict[str, Rule] = {}
    for impl in pm.hook.modlint_rules.get_hookimpls():
        name = _plugin_name(pm, impl)
        try:
            items = impl.function() or []
        except Exception as exc:
            errors.append(LoadError(name, f"failed in modlint_rules ({type(exc).__name__}: {exc})"))
            continue
        for item in items:
            if not isinstance(item, Rule):
                errors.append(LoadError(name, f"returned {item!r}, which is not a rule made with @rule"))
                continue
            if catalogue.get(item.id) is None:
                errors.append(LoadError(name, f"rule {item.id} has no metadata; add it with modlint_rule_metadata"))
                continue
            item.plugin = name
            rules[item.id] = item
    from modlint.checks.phrases import phrase_rule

    for meta in catalogue:
        if meta.kind != "python" and meta.id not in rules:
            rules[meta.id] = phrase_rule(meta)
        elif meta.id not in rules and meta.id not in ENGINE_RULES:
            errors.append(LoadError(meta.plugin, f"rule {meta.id} has metadata but no implementation"))

    registry = builtin_registry(())
    for impl in pm.hook.modlint_persona_dirs.get_hookimpls():
        name = _plugin_name(pm, impl)
        if name == "builtin":
            continue
        try:
            dirs = impl.function() or []
        except Exception as exc:
            errors.append(LoadError(name, f"failed in modlint_persona_dirs ({type(exc).__name__}: {exc})"))
            continue
        for folder in dirs:
            registry.load_dir(Path(folder))
    for folder in extra_persona_dirs:
        registry.load_dir(folder)
    errors.extend(_check_barriers(catalogue, registry, rules))

    formatters: dict[str, Callable[..., str]] = {}
    for impl in pm.hook.modlint_formatters.get_hookimpls():
        name = _plugin_name(pm, impl)
        try:
            formatters.update(impl.function() or {})
        except Exception as exc:
            errors.append(LoadError(name, f"failed in modlint_formatters ({type(exc).__name__}: {exc})"))
    from modlint.yamlio import PARSED

    PARSED.save()
    return Toolkit(catalogue, rules, registry, formatters, versions, errors)
