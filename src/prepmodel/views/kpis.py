"""`prep kpis`: every KPI with where it is measured, and which vendor or partner KPIs
drive which customer KPIs (contract §11, §15). The facts come from
:mod:`prepmodel.journey.responsibility`; the markdown health-score table of `prep
checkpoints` is built from the same entries.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from prepmodel.journey.core import Journey
from prepmodel.journey.responsibility import KpiEntry, KpiLink, kpi_entries, kpi_links
from prepmodel.text.i18n import translator
from prepmodel.text.safe import csv_cell, markdown_cell, printable
from prepmodel.text.width import width
from prepmodel.views.jsonout import dumps
from prepmodel.views.raci import party_word


def kpis_json(j: Journey, entries: list[KpiEntry], links: list[KpiLink]) -> dict[str, Any]:
    """The contract's object, with ``unit``, ``target`` and each link's deliverables."""
    name = j.name
    return {
        "kpis": [
            {
                "name": e.name,
                "party": e.party,
                "deliverable": name(e.deliverable) if e.deliverable is not None else None,
                "step": e.step,
                "phase": e.phase,
                "unit": e.unit,
                "target": e.target,
            }
            for e in entries
        ],
        "links": [
            {
                "from": entries[link.source].name,
                "to": entries[link.target].name,
                "path": [name(k) for k in link.path],
                "from_deliverable": name(link.path[0]),
                "to_deliverable": name(link.path[-1]),
            }
            for link in links
        ],
    }


def _where(j: Journey, e: KpiEntry, _: Callable[[str], str]) -> str:
    if e.deliverable is None:
        return _("(no deliverable carries it)")
    step = _("step {n}").format(n=e.step) if e.step is not None else _("given")
    return f"{j.name(e.deliverable)}, {step}"


def _target(e: KpiEntry) -> str:
    """``30%``, ``30日``: the target with its unit; empty without a target."""
    return f"{e.target}{e.unit or ''}" if e.target is not None else ""


def _row_cells(j: Journey, e: KpiEntry, _: Callable[[str], str]) -> list[str]:
    return [
        e.name,
        party_word(e.party, _),
        j.name(e.deliverable) if e.deliverable is not None else "",
        str(e.step) if e.step is not None else (_("given") if e.deliverable is not None else ""),
        e.phase or "",
        _target(e),
    ]


def _heads(_: Callable[[str], str]) -> list[str]:
    return [_("KPI"), _("Party"), _("Measured at"), _("Step"), _("Phase"), _("Target")]


def _drivers(links: list[KpiLink], target: int) -> list[KpiLink]:
    return [link for link in links if link.target == target]


def _driven(links: list[KpiLink], source: int) -> list[KpiLink]:
    return [link for link in links if link.source == source]


def kpis_text(j: Journey, entries: list[KpiEntry], links: list[KpiLink], lang: str) -> str:
    _ = translator(lang)
    heads = _heads(_)
    rows = [_row_cells(j, e, _) for e in entries]
    widths = [max(width(h), *(width(r[i]) for r in rows), 0) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(cells)).rstrip()

    out: list[str] = []
    if j.model.title:
        out += [j.model.title, "=" * max(8, width(j.model.title)), ""]
    if not entries:
        return printable("\n".join([*out, _("No deliverable has a `kpi`."), ""]))
    out += [line(heads), "  ".join("-" * w for w in widths), *(line(r) for r in rows), ""]
    path = " → ".join
    customer = [i for i, e in enumerate(entries) if e.party == "customer"]
    out.append(_("Customer KPIs and the vendor and partner KPIs that drive them:"))
    for i in customer:
        e = entries[i]
        out.append(f"  {e.name}  ({_where(j, e, _)})")
        found = _drivers(links, i)
        for link in found:
            s = entries[link.source]
            out.append(
                f"    ← {s.name} [{party_word(s.party, _)}]: {path(j.name(k) for k in link.path)}"
            )
        if not found:
            out.append("    " + _("(nothing drives it)"))
    if not customer:
        out.append("  " + _("(none)"))
    out.append("")
    drivers = [i for i, e in enumerate(entries) if e.party in ("vendor", "partner")]
    out.append(_("Vendor and partner KPIs and the customer KPIs they drive:"))
    for i in drivers:
        e = entries[i]
        out.append(f"  {e.name} [{party_word(e.party, _)}]  ({_where(j, e, _)})")
        found = _driven(links, i)
        for link in found:
            t = entries[link.target]
            out.append(f"    → {t.name}: {path(j.name(k) for k in link.path)}")
        if not found:
            out.append("    " + _("(drives no customer KPI)"))
    if not drivers:
        out.append("  " + _("(none)"))
    unknown = [e.name for e in entries if e.party is None]
    if unknown:
        out += [
            "",
            _("KPIs without a party (give the kpi a `party`, or its deliverable an owner):"),
            "  " + ", ".join(dict.fromkeys(unknown)),
        ]
    out.append("")
    return printable("\n".join(out))


def kpis_markdown(j: Journey, entries: list[KpiEntry], links: list[KpiLink], lang: str) -> str:
    _ = translator(lang)
    md = markdown_cell
    out: list[str] = []
    if j.model.title:
        out += [f"# {md(j.model.title)}", ""]
    out += ["## " + _("KPIs"), ""]
    if not entries:
        return "\n".join([*out, _("No deliverable has a `kpi`."), ""])
    out.append("| " + " | ".join(_heads(_)) + " |")
    out.append("|---|---|---|---:|---|---|")
    for e in entries:
        out.append("| " + " | ".join(md(c) for c in _row_cells(j, e, _)) + " |")
    out += ["", "## " + _("How vendor and partner KPIs drive customer KPIs"), ""]
    if links:
        out.append(
            "| " + " | ".join((_("Customer KPI"), _("Driven by"), _("Party"), _("Path"))) + " |"
        )
        out.append("|---|---|---|---|")
        for link in links:
            s, t = entries[link.source], entries[link.target]
            route = " → ".join(md(j.name(k)) for k in link.path)
            out.append(f"| {md(t.name)} | {md(s.name)} | {party_word(s.party, _)} | {route} |")
    else:
        out.append(_("No vendor or partner KPI drives a customer KPI."))
    out.append("")
    return "\n".join(out)


def kpis_csv(j: Journey, entries: list[KpiEntry], links: list[KpiLink], lang: str) -> str:
    """One row per KPI (with a last column naming the customer KPIs it drives, or the
    KPIs that drive it)."""
    _ = translator(lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(h) for h in [*_heads(_), _("Drives"), _("Driven by")]])
    for i, e in enumerate(entries):
        drives = ", ".join(entries[link.target].name for link in _driven(links, i))
        driven = ", ".join(entries[link.source].name for link in _drivers(links, i))
        w.writerow([csv_cell(c) for c in [*_row_cells(j, e, _), drives, driven]])
    return buf.getvalue()


def render_kpis(j: Journey, fmt: str, lang: str) -> str:
    entries = kpi_entries(j)
    links = kpi_links(j, entries)
    if fmt == "json":
        return dumps(kpis_json(j, entries, links))
    if fmt == "markdown":
        return kpis_markdown(j, entries, links, lang)
    if fmt == "csv":
        return kpis_csv(j, entries, links, lang)
    return kpis_text(j, entries, links, lang)
