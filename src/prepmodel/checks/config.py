"""Per-project settings: severities from ``prep.toml`` or ``[tool.prep]`` in pyproject.toml.

The nearest file wins, searching from the model's folder upwards; in one folder
``prep.toml`` comes before ``pyproject.toml`` (and a pyproject.toml without
``[tool.prep]`` is passed over)::

    # prep.toml                          # pyproject.toml
    [severity]                           [tool.prep.severity]
    NM01 = "off"                         NM01 = "off"
    PH03 = "warning"                     PH03 = "warning"

    [naming]                             [tool.prep.naming]
    allow = ["Run book", "本番稼働"]     allow = ["Run book", "本番稼働"]
    externals = true                     externals = true

``[naming] allow`` lists names NM01 accepts as they are (matched on the normalised name:
NFKC, white space collapsed, any case); ``externals = true`` lints external deliverables
too (by default their official names are left alone).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepmodel.checks.rules import CODES
from prepmodel.checks.rules.base import NamingOptions, allow_key
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.errors import PrepError


class ConfigError(PrepError):
    """A settings file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """Severity overrides (a code mapped to None is switched off) and naming options."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    path: Path | None = None
    naming: NamingOptions = field(default_factory=NamingOptions)

    def apply(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for d in diagnostics:
            if d.code in self.severities:
                sev = self.severities[d.code]
                if sev is None:
                    continue
                d = d.with_severity(sev)
            out.append(d)
        return out


def _table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read settings: {err}") from err
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("prep") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    return data


def parse_config(table: dict[str, Any], path: Path | None = None) -> Config:
    """Settings from a TOML table (``[tool.prep]`` or the whole of prep.toml)."""
    where = str(path) if path else "settings"
    sev_table = table.get("severity", {})
    if not isinstance(sev_table, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of CODE = \"level\"")
    severities: dict[str, Severity | None] = {}
    for code, level in sev_table.items():
        code_u = str(code).upper()
        if code_u not in CODES:
            raise ConfigError(f"{where}: unknown diagnostic code '{code}' in [severity]")
        if level == "off":
            severities[code_u] = None
        elif level in ("error", "warning", "info"):
            severities[code_u] = Severity(level)
        else:
            raise ConfigError(
                f"{where}: severity of {code_u} must be error, warning, info or off, not {level!r}"
            )
    for code in table.get("ignore", []):
        if str(code).upper() not in CODES:
            raise ConfigError(f"{where}: unknown diagnostic code '{code}' in ignore")
        severities[str(code).upper()] = None
    return Config(severities, path, _naming(table.get("naming", {}), where))


def _naming(table: object, where: str) -> NamingOptions:
    """The ``[naming]`` table: ``allow`` (a list of names) and ``externals`` (true/false)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: 'naming' must be a table with 'allow' and 'externals'")
    unknown = sorted(set(table) - {"allow", "externals"})
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' in [naming] (allow, externals)")
    allow = table.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(n, str) for n in allow):
        raise ConfigError(f'{where}: [naming] allow must be a list of names, e.g. ["Run book"]')
    externals = table.get("externals", False)
    if not isinstance(externals, bool):
        raise ConfigError(f"{where}: [naming] externals must be true or false")
    return NamingOptions(frozenset(allow_key(n) for n in allow if n.strip()), externals)


def find_config(start: Path) -> Config:
    """The settings that apply to a model in folder ``start`` (defaults when none)."""
    folder = start.resolve()
    for d in (folder, *folder.parents):
        for name in ("prep.toml", "pyproject.toml"):
            candidate = d / name
            if candidate.is_file():
                table = _table(candidate)
                if table is not None:
                    return parse_config(table, candidate)
    return Config()
