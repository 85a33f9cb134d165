"""Customer progress for people and machines: text, Markdown, CSV, the contract's JSON
(§15) and an HTML report with inline SVG charts that opens offline."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from typing import Any

from prepmodel.checks.rules.gp_gaps import did_you_mean
from prepmodel.text.i18n import translator
from prepmodel.text.safe import csv_cell, markdown_cell, printable
from prepmodel.text.width import width
from prepmodel.views.jsonout import dumps
from prepmodel.views.progress import CustomerRow, Problem, Progress

STATUSES = ("done", "on-track", "behind", "stuck")


def suggest(p: Progress) -> None:
    """Fill ``p.suggestions``: the closest model name of every unknown name (did-you-mean)."""
    names = list(p.tables.names.values())
    for prob in p.problems:
        known = prob.text is None or prob.text in p.suggestions
        if prob.kind == "unknown-deliverable" and not known and prob.text is not None:
            p.suggestions[prob.text] = did_you_mean(prob.text, names)


def _names(p: Progress, ids: tuple[int, ...]) -> list[str]:
    return [p.name(d) for d in ids]


def why(p: Progress, c: CustomerRow) -> list[dict[str, str | None]]:
    """The missing required inputs of the next checkpoint, with their owners."""
    return [{"deliverable": p.name(d), "owner": p.tables.owners.get(d)} for d in c.why]


def why_text(p: Progress, c: CustomerRow, _: Callable[[str], str]) -> str:
    if c.status == "done" or c.next_checkpoint is None:
        return ""
    if not c.why:
        owner = p.tables.owners.get(c.next_checkpoint)
        head = _("ready: {name}").format(name=p.name(c.next_checkpoint))
        return head + (f" ({owner})" if owner else "")
    parts = []
    for item in why(p, c):
        owner = item["owner"]
        parts.append(f"{item['deliverable']} ({owner})" if owner else str(item["deliverable"]))
    return _("missing: {names}").format(names=", ".join(str(x) for x in parts))


def problem_message(p: Progress, prob: Problem, _: Callable[[str], str]) -> str:
    name = prob.text if prob.kind == "unknown-deliverable" else p.name(prob.d)
    day = prob.day.isoformat() if prob.day else ""
    if prob.kind == "unknown-deliverable":
        close = p.suggestions.get(prob.text or "")
        text = _("no deliverable '{name}' in the model ({n} facts)").format(name=name, n=prob.count)
        if close:
            text += "; " + _("did you mean '{close}'?").format(close=close)
        return text
    if prob.kind == "duplicate":
        return _("{n} facts for '{name}' ({first} to {last}); the earliest counts").format(
            n=prob.count,
            name=name,
            first=day,
            last=prob.other_day.isoformat() if prob.other_day else day,
        )
    if prob.kind == "before-inputs":
        return _("'{name}' dated {date}, before its required inputs (all there on {ready})").format(
            name=name, date=day, ready=prob.other_day.isoformat() if prob.other_day else ""
        )
    if prob.kind == "missing-inputs":
        return _("'{name}' dated {date}, but no route of it has all its required inputs").format(
            name=name, date=day
        )
    return _("'{name}' names a route '{route}' that it does not have").format(
        name=name, route=prob.text or ""
    )


def _problem_name(p: Progress, prob: Problem) -> str:
    return (prob.text or "") if prob.kind == "unknown-deliverable" else p.name(prob.d)


def counts(p: Progress) -> dict[str, int]:
    out = dict.fromkeys(STATUSES, 0)
    for c in p.customers:
        out[c.status] += 1
    return out


# --- JSON ----------------------------------------------------------------------------------
def progress_json(p: Progress, lang: str = "en", customers: bool = True) -> dict[str, Any]:
    """The contract's ``prep progress --format json`` object (§15), with more fields
    (``customers=False``: an empty list there, for :func:`render_progress` to fill)."""
    _ = translator(lang)
    n_cp = len(p.tables.checkpoints)
    return {
        "as_of": p.as_of.isoformat(),
        "stuck_after": p.stuck_after,
        "summary": {"customers": len(p.customers), **counts(p), "checkpoints": n_cp},
        "customers": [
            {
                "customer": c.customer,
                "reached": _names(p, c.reached),
                "next": _names(p, c.next),
                "phase": c.phase,
                "status": c.status,
                "days_since_progress": c.days_since,
                "next_checkpoint": p.name(c.next_checkpoint) if c.next_checkpoint else None,
                "why": why(p, c),
                "allowed_days": c.allowed_days,
                "start": c.start.isoformat(),
                "last_progress": c.last.isoformat(),
            }
            for c in (p.customers if customers else [])
        ],
        "funnel": [
            {
                "step": f.step,
                "name": p.name(f.d),
                "reached": f.reached,
                "facts": f.facts,
                "stuck": f.stuck,
            }
            for f in p.funnel
        ],
        "cohorts": [
            {
                "cohort": co.cohort,
                "step": p.tables.steps.get(co.d),
                "name": p.name(co.d),
                "customers": co.customers,
                "arrived": co.arrived,
                "median_days": co.median_days,
                "p75_days": co.p75_days,
            }
            for co in p.cohorts
        ],
        "problems": [
            {
                "kind": prob.kind,
                "customer": prob.customer,
                "deliverable": _problem_name(p, prob),
                "message": problem_message(p, prob, _),
                "date": prob.day.isoformat() if prob.day else None,
                "count": prob.count,
                "did_you_mean": p.suggestions.get(prob.text or "")
                if prob.kind == "unknown-deliverable"
                else None,
            }
            for prob in p.problems
        ],
    }


# --- tables --------------------------------------------------------------------------------
def _status(s: str, _: Callable[[str], str]) -> str:
    return {
        "done": _("done"),
        "on-track": _("on-track"),
        "behind": _("behind"),
        "stuck": _("stuck"),
    }[s]


def _customer_cells(p: Progress, c: CustomerRow, _: Callable[[str], str]) -> list[str]:
    n_cp = len(p.tables.checkpoints)
    return [
        c.customer,
        _status(c.status, _),
        c.phase or "",
        f"{len(c.reached)}/{n_cp}",
        p.name(c.next_checkpoint) if c.next_checkpoint else "",
        str(c.days_since),
        ", ".join(_names(p, c.next)),
        why_text(p, c, _),
    ]


def _customer_head(_: Callable[[str], str]) -> list[str]:
    return [
        _("Customer"),
        _("Status"),
        _("Phase"),
        _("Reached"),
        _("Next checkpoint"),
        _("Days"),
        _("Next steps"),
        _("Why"),
    ]


def _funnel_head(_: Callable[[str], str]) -> list[str]:
    return [_("Step"), _("Checkpoint"), _("Reached"), _("With a fact"), _("Stuck here")]


def _funnel_cells(p: Progress) -> list[list[str]]:
    return [
        [str(f.step), p.name(f.d), str(f.reached), str(f.facts), str(f.stuck)] for f in p.funnel
    ]


def _cohort_head(_: Callable[[str], str]) -> list[str]:
    return [
        _("Cohort"),
        _("Step"),
        _("Checkpoint"),
        _("Customers"),
        _("Arrived"),
        _("Median days"),
        _("p75 days"),
    ]


def _days(v: int | None, _: Callable[[str], str]) -> str:
    return _("not yet") if v is None else str(v)


def _cohort_cells(p: Progress, _: Callable[[str], str]) -> list[list[str]]:
    return [
        [
            co.cohort,
            str(p.tables.steps.get(co.d, "")),
            p.name(co.d),
            str(co.customers),
            str(co.arrived),
            _days(co.median_days, _),
            _days(co.p75_days, _),
        ]
        for co in p.cohorts
    ]


def _problem_head(_: Callable[[str], str]) -> list[str]:
    return [_("Kind"), _("Customer"), _("Deliverable"), _("Message")]


def _problem_cells(p: Progress, _: Callable[[str], str]) -> list[list[str]]:
    return [
        [prob.kind, prob.customer, _problem_name(p, prob), problem_message(p, prob, _)]
        for prob in p.problems
    ]


def _summary(p: Progress, _: Callable[[str], str]) -> str:
    n = counts(p)
    return _(
        "As of {date}: {total} customers — done {done}, on-track {on}, behind {behind}, "
        "stuck {stuck} (no progress for {days} days)"
    ).format(
        date=p.as_of.isoformat(),
        total=len(p.customers),
        done=n["done"],
        on=n["on-track"],
        behind=n["behind"],
        stuck=n["stuck"],
        days=p.stuck_after,
    )


def _aligned(head: list[str], rows: list[list[str]]) -> list[str]:
    cells = [head, *rows]
    cells = [[printable(x) for x in row] for row in cells]
    widths = [max(width(row[i]) for row in cells) for i in range(len(head))]
    out = []
    for row in cells:
        parts = [x + " " * (widths[i] - width(x)) for i, x in enumerate(row)]
        out.append("  ".join(parts).rstrip())
    return out


def progress_text(p: Progress, lang: str = "en") -> str:
    _ = translator(lang)
    lines = [_summary(p, _), ""]
    lines += _aligned(_customer_head(_), [_customer_cells(p, c, _) for c in p.customers])
    lines += ["", _("Funnel (customers who reached every checkpoint up to this one)")]
    lines += _aligned(_funnel_head(_), _funnel_cells(p))
    lines += ["", _("Time to checkpoint by start-month cohort (days)")]
    lines += _aligned(_cohort_head(_), _cohort_cells(p, _))
    lines += ["", _("Data problems: {n}").format(n=len(p.problems))]
    if p.problems:
        lines += _aligned(_problem_head(_), _problem_cells(p, _))
    return "\n".join(lines) + "\n"


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(markdown_cell(h) for h in head) + " |"]
    out.append("|" + "|".join("---" for _ in head) + "|")
    out += ["| " + " | ".join(markdown_cell(x) for x in row) + " |" for row in rows]
    return out


def progress_markdown(p: Progress, lang: str = "en") -> str:
    _ = translator(lang)
    lines = ["# " + _("Customer progress"), "", markdown_cell(_summary(p, _)), ""]
    lines += ["## " + _("Customers"), ""]
    lines += _md_table(_customer_head(_), [_customer_cells(p, c, _) for c in p.customers])
    lines += ["", "## " + _("Funnel"), ""]
    lines += _md_table(_funnel_head(_), _funnel_cells(p))
    lines += ["", "## " + _("Time to checkpoint by start-month cohort (days)"), ""]
    lines += _md_table(_cohort_head(_), _cohort_cells(p, _))
    lines += ["", "## " + _("Data problems"), ""]
    if p.problems:
        lines += _md_table(_problem_head(_), _problem_cells(p, _))
    else:
        lines.append(_("None."))
    return "\n".join(lines) + "\n"


def progress_csv(p: Progress, lang: str = "en") -> str:
    """One row per customer (the funnel, cohorts and problems are in the other formats)."""
    _ = translator(lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "customer",
            "status",
            "phase",
            "reached",
            "next_checkpoint",
            "days_since_progress",
            "next",
            "why",
            "start",
            "last_progress",
        ]
    )
    for c in p.customers:
        w.writerow(
            [
                csv_cell(c.customer),
                c.status,
                csv_cell(c.phase or ""),
                csv_cell("; ".join(_names(p, c.reached))),
                csv_cell(p.name(c.next_checkpoint) if c.next_checkpoint else ""),
                c.days_since,
                csv_cell("; ".join(_names(p, c.next))),
                csv_cell(why_text(p, c, _)),
                c.start.isoformat(),
                c.last.isoformat(),
            ]
        )
    return buf.getvalue()


# --- HTML ----------------------------------------------------------------------------------
_COLOURS = {"done": "#2e7d32", "on-track": "#1565c0", "behind": "#ef6c00", "stuck": "#c62828"}
MAX_HTML_ROWS = 2000


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bar_chart(rows: list[tuple[str, int, str]], total: int, cls: str, title: str) -> str:
    """Horizontal bars, one per row (label, value, colour), as inline SVG."""
    bar_w, label_w, row_h = 420, 260, 24
    h = row_h * len(rows) + 8
    parts = [
        f'<svg class="chart {cls}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="{label_w + bar_w + 80}" height="{h}" viewBox="0 0 {label_w + bar_w + 80} {h}">',
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, value, colour) in enumerate(rows):
        y = 4 + i * row_h
        w = 0 if total <= 0 else round(bar_w * value / total, 1)
        shown = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<g class="bar" data-label="{_e(label)}" data-value="{value}">'
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_e(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="{colour}"/>'
            f'<text x="{label_w + w + 4}" y="{y + 16}">{value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(head: list[str], rows: list[list[str]], cls: str) -> str:
    out = [f'<table class="{cls}"><thead><tr>']
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


_CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans JP",system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:left}th{background:#f3f3f3}svg text{font-size:12px;fill:#222}
.status-done{color:#2e7d32}.status-stuck{color:#c62828}.status-behind{color:#ef6c00}
"""


def progress_html(p: Progress, lang: str = "en", title: str | None = None) -> str:
    """One self-contained page: no script, no external resource; charts are inline SVG."""
    _ = translator(lang)
    n = counts(p)
    total = len(p.customers)
    heading = _("Customer progress") + (f" — {title}" if title else "")
    status_rows = [(_status(s, _), n[s], _COLOURS[s]) for s in STATUSES]
    funnel_rows = [(f"{f.step}. {p.name(f.d)}", f.reached, "#1565c0") for f in p.funnel]
    stuck_rows = [(f"{f.step}. {p.name(f.d)}", f.stuck, "#c62828") for f in p.funnel]
    shown = [c for c in p.customers if c.status != "done"][:MAX_HTML_ROWS]
    body = [
        f"<h1>{_e(heading)}</h1>",
        f'<p class="summary">{_e(_summary(p, _))}</p>',
        f"<h2>{_e(_('Status'))}</h2>",
        _bar_chart(status_rows, total, "status", _("Status")),
        f"<h2>{_e(_('Funnel'))}</h2>",
        f"<p>{_e(_('Funnel (customers who reached every checkpoint up to this one)'))}</p>",
        _bar_chart(funnel_rows, total, "funnel", _("Funnel")),
        f"<h2>{_e(_('Stuck customers by next checkpoint'))}</h2>",
        _bar_chart(stuck_rows, max([f.stuck for f in p.funnel] + [1]), "stuck", _("Stuck here")),
        f"<h2>{_e(_('Time to checkpoint by start-month cohort (days)'))}</h2>",
        _html_table(_cohort_head(_), _cohort_cells(p, _), "cohorts"),
        f"<h2>{_e(_('Customers not done'))}</h2>",
    ]
    if len(shown) < n["on-track"] + n["behind"] + n["stuck"]:
        body.append(
            "<p>"
            + _e(
                _("The first {n} are shown; the JSON and CSV outputs list every customer.").format(
                    n=len(shown)
                )
            )
            + "</p>"
        )
    body.append(
        _html_table(_customer_head(_), [_customer_cells(p, c, _) for c in shown], "customers")
    )
    body.append(f"<h2>{_e(_('Data problems'))}</h2>")
    if p.problems:
        body.append(_html_table(_problem_head(_), _problem_cells(p, _)[:MAX_HTML_ROWS], "problems"))
    else:
        body.append(f"<p>{_e(_('None.'))}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _json_customers(p: Progress) -> str:
    """The ``customers`` list as :func:`dumps` writes it (one object per line), built from
    cached pieces: a million customers share a few states (lists of names) and dates."""
    from json.encoder import encode_basestring

    enc = json.JSONEncoder(ensure_ascii=False).encode
    # per state: the text from "reached" to "phase", and from "next_checkpoint" to
    # "allowed_days" (the customer's status and days come between them)
    parts: dict[int, tuple[str, str]] = {}
    days: dict[Any, str] = {}

    def state_parts(c: CustomerRow) -> tuple[str, str]:
        head = (
            f'"reached": {enc(_names(p, c.reached))}, "next": {enc(_names(p, c.next))}, '
            f'"phase": {enc(c.phase)}'
        )
        cp = enc(p.name(c.next_checkpoint) if c.next_checkpoint else None)
        allowed = "null" if c.allowed_days is None else c.allowed_days
        tail = f'"next_checkpoint": {cp}, "why": {enc(why(p, c))}, "allowed_days": {allowed}'
        return head, tail

    lines = []
    for c in p.customers:
        key = id(c.state)
        pieces = parts.get(key)
        if pieces is None:
            pieces = parts[key] = state_parts(c)
        start = days.get(c.start)
        if start is None:
            start = days[c.start] = c.start.isoformat()
        last = days.get(c.last)
        if last is None:
            last = days[c.last] = c.last.isoformat()
        lines.append(
            f'    {{"customer": {encode_basestring(c.customer)}, {pieces[0]}, '
            f'"status": "{c.status}", "days_since_progress": {c.days_since}, {pieces[1]}, '
            f'"start": "{start}", "last_progress": "{last}"}}'
        )
    return "[\n" + ",\n".join(lines) + "\n  ]" if lines else "[]"


def render_progress(p: Progress, fmt: str, lang: str = "en", title: str | None = None) -> str:
    suggest(p)
    if fmt == "json":
        obj = progress_json(p, lang, customers=False)
        text = dumps(obj)
        head = '  "customers": '
        marker = head + "[]"
        at = text.index(marker)
        return text[:at] + head + _json_customers(p) + text[at + len(marker) :]
    if fmt == "markdown":
        return progress_markdown(p, lang)
    if fmt == "csv":
        return progress_csv(p, lang)
    if fmt == "html":
        return progress_html(p, lang, title)
    return progress_text(p, lang)
