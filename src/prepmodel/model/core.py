"""The domain model: deliverables, assembly routes, groups, phases, roles.

Built from syntax objects; identity is NFKC + collapsed white space, and the first spelling
in the file is the display name. Nothing here judges the model: the rules do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from prepmodel.syntax import tree as syn
from prepmodel.text.span import Span

_WS = re.compile(r"\s+")

ASSEMBLY_KEYS = ("work", "by", "effort", "note", "when", "consulted", "informed")
DELIVERABLE_KEYS = ("title", "note", "kpi", "owner", "url")
MODEL_KEYS = ("lang", "version", "note", "direction")
PHASE_KEYS = ("title", "note")
ROLE_KEYS = ("title", "note", "party")
KPI_KEYS = ("party", "unit", "target", "note")


def identity(text: str) -> str:
    """The identity of a name: NFKC, runs of white space collapsed to one space, trimmed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


class _Frozen(BaseModel):
    # defer_build: the validation schemas are built on first use (model_dump in the
    # formatter's self-check, validation in tests), not at every start of `prep`: building
    # them for these classes took 60 ms. ``build`` constructs from trusted parser output.
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)


_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__
_FIELDS_SETS: dict[tuple[str, ...], set[str]] = {}


def construct(cls: type[_M], values: dict[str, Any]) -> _M:
    """A model from trusted values for *every* field, without validation: what pydantic's
    ``model_construct`` does, minus its per-field default handling (a third of the cost of
    building a 10,000-deliverable model). Equal to the ``model_construct`` result.

    Objects with the same fields share one fields-set: these models are frozen (pydantic
    never adds to the set of a frozen model; ``model_copy`` copies it first), and a set
    per object was a tenth of a big model's memory (issue #18)."""
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    names = tuple(values)
    fields = _FIELDS_SETS.get(names)
    if fields is None:
        fields = _FIELDS_SETS[names] = set(names)
    _set(obj, "__pydantic_fields_set__", fields)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


Attrs = dict[str, tuple[str, ...]]


class Spelling(_Frozen):
    text: str
    span: Span


class Deliverable(_Frozen):
    """A deliverable: everything the file says about one identity."""

    key: str
    name: str
    span: Span
    goal: bool = False
    external: bool = False
    declared: bool = False
    attrs: Attrs = {}
    spellings: tuple[Spelling, ...] = ()  # only the spellings that differ from ``name``

    def attr(self, key: str) -> str | None:
        """The values of attribute ``key`` joined by ", ", or None when it is not set."""
        values = self.attrs.get(key)
        return ", ".join(values) if values else None

    @property
    def owner(self) -> str | None:
        """Who is accountable for it (``owner:``; several values joined)."""
        return self.attr("owner")

    @property
    def note(self) -> str | None:
        return self.attr("note")

    @property
    def kpis(self) -> tuple[str, ...]:
        """The KPIs measured at this deliverable (``kpi:``), in the order written."""
        return self.attrs.get("kpi", ())


class Route(_Frozen):
    """One assembly statement: ``output <- inputs``; ``index`` is its order in the file."""

    index: int
    output: str
    inputs: tuple[str, ...]
    attrs: Attrs
    span: Span
    output_span: Span
    input_spans: tuple[Span, ...]
    #: The inputs written ``[X]`` (contract §9), in input order: drawn and numbered like
    #: any input, but the route does not require them. An input also written without
    #: brackets in the same route is required.
    optional: tuple[str, ...] = ()

    def attr(self, key: str) -> str | None:
        values = self.attrs.get(key)
        return ", ".join(values) if values else None

    @property
    def required(self) -> tuple[str, ...]:
        """The inputs the route requires (all of them, but the optional ones)."""
        if not self.optional:
            return self.inputs
        return tuple(x for x in self.inputs if x not in self.optional)

    def is_optional(self, key: str) -> bool:
        return key in self.optional

    @property
    def work(self) -> str | None:
        return self.attr("work")

    @property
    def by(self) -> tuple[str, ...]:
        return self.attrs.get("by", ())

    @property
    def consulted(self) -> tuple[str, ...]:
        """Roles consulted on this route (RACI's C, contract §10)."""
        return self.attrs.get("consulted", ())

    @property
    def informed(self) -> tuple[str, ...]:
        """Roles informed of this route's output (RACI's I, contract §10)."""
        return self.attrs.get("informed", ())

    @property
    def when(self) -> tuple[str, ...]:
        """The scenarios this route applies in (contract §9); empty: every scenario."""
        return self.attrs.get("when", ())


class Group(_Frozen):
    index: int
    key: str
    members: tuple[str, ...]
    span: Span
    member_spans: tuple[Span, ...]


class Phase(_Frozen):
    index: int
    key: str
    name: str
    members: tuple[str, ...]
    attrs: Attrs
    span: Span
    member_spans: tuple[Span, ...]


class Role(_Frozen):
    key: str
    name: str
    attrs: Attrs
    span: Span


class Kpi(_Frozen):
    """A declared KPI (``kpi NAME { party; unit; target; note }``, contract §11)."""

    key: str
    name: str
    attrs: Attrs
    span: Span

    def attr(self, key: str) -> str | None:
        values = self.attrs.get(key)
        return ", ".join(values) if values else None


class Model(_Frozen):
    """One parsed model. ``deliverables`` is in order of first appearance."""

    path: str
    title: str | None
    attrs: Attrs
    deliverables: dict[str, Deliverable]
    routes: tuple[Route, ...]
    groups: dict[str, Group]
    group_statements: tuple[Group, ...]
    phases: tuple[Phase, ...]
    roles: dict[str, Role]
    goals: tuple[str, ...]
    externals: tuple[str, ...]
    kpis: dict[str, Kpi] = {}  # declared KPIs, in order of first declaration
    #: A multi-file model: each imported file (as its spans name it) -> where its text
    #: stands in the whole, the (line, column) of each import that led to it, outermost
    #: first. Empty for a model of one file. See :meth:`order_key`.
    file_order: dict[str, tuple[int, ...]] = {}

    def name(self, key: str) -> str:
        """The display name of a deliverable key."""
        d = self.deliverables.get(key)
        return d.name if d is not None else key

    def order_key(self, span: Span) -> tuple[int, ...]:
        """A key that orders spans as the text of the whole model reads, an imported
        file's text standing at its import (tie-breaks: step order, cycles, ...)."""
        if not span.file:
            return (span.line, span.column)
        return (*self.file_order.get(span.file, ()), span.line, span.column)


def _attrs(block: syn.Block | None) -> Attrs:
    if block is None:
        return {}
    return {a.key.text: tuple(v.text for v in a.values) for a in block.attrs}


class _Builder:
    def __init__(self) -> None:
        self.info: dict[str, dict[str, object]] = {}
        self.spellings: dict[str, list[Spelling]] = {}
        self.keys: dict[str, str] = {}  # spelling -> identity, computed once per spelling

    def see(self, name: syn.Name) -> str:
        text = name.text
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = identity(text)
        info = self.info.get(key)
        if info is None:
            self.info[key] = {"name": text, "span": name.span, "attrs": {}}
            self.spellings[key] = []
        elif text != info["name"]:
            self.spellings[key].append(construct(Spelling, {"text": text, "span": name.span}))
        return key

    def mark(self, key: str, flag: str) -> None:
        self.info[key][flag] = True

    def merge_attrs(self, key: str, attrs: Attrs) -> None:
        current = self.info[key]["attrs"]
        assert isinstance(current, dict)
        current.update(attrs)


def build(source: syn.SourceFile) -> Model:
    """The model of a parsed file (also of a file with syntax errors: what parsed).

    For a multi-file model (statements resolved by ``prepmodel.checks.imports``), the
    statements of imported files are those whose spans name a file: their `goal`s only
    declare deliverables and their `model` statements are ignored."""
    builder = ModelBuilder(source.path)
    add = builder.add
    for st in source.statements:
        add(st)
    return builder.model()


class ModelBuilder:
    """:func:`build`, one statement at a time: `prep diff` builds a big side's model while
    its file is parsed, each statement freed once added, so the whole syntax tree never
    exists (issue #18). ``add`` the statements in file order, then take :meth:`model`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.b = _Builder()
        self.title: str | None = None
        self.model_attrs: Attrs = {}
        self.seen_model = False
        self.routes: list[Route] = []
        self.group_stmts: list[Group] = []
        self.phases: list[Phase] = []
        self.roles: dict[str, Role] = {}
        self.kpis: dict[str, Kpi] = {}
        self.goals: list[str] = []
        self.externals: list[str] = []
        self.file_order: dict[str, tuple[int, ...]] = {}
        self.last_import: syn.ImportStmt | None = None

    def add(self, st: syn.Statement) -> None:
        """One statement, after those added before it."""
        b = self.b
        file = st.span.file
        if file and file not in self.file_order:
            # The first statement of an imported file follows the import that read it.
            last_import = self.last_import
            assert last_import is not None
            outer = self.file_order.get(last_import.span.file, ())
            self.file_order[file] = (*outer, last_import.span.line, last_import.span.column)
        if isinstance(st, syn.ImportStmt):
            self.last_import = st
        elif isinstance(st, syn.ModelStmt):
            # An imported file's `model` statement describes that file alone: ignored.
            if not self.seen_model and not st.span.file:
                self.seen_model = True
                self.title = st.title.text if st.title else None
                self.model_attrs = _attrs(st.block)
        elif isinstance(st, syn.DeclStmt):
            if st.keyword == "role" or st.keyword == "kpi":
                # several statements about one role (or KPI) merge their attributes, the
                # later value of a key winning, as for deliverables
                table: dict[str, Any] = self.roles if st.keyword == "role" else self.kpis
                cls: type[Role] | type[Kpi] = Role if st.keyword == "role" else Kpi
                for n in st.names:
                    k = identity(n.text)
                    old = table.get(k)
                    if old is None:
                        values = {"key": k, "name": n.text, "attrs": _attrs(st.block)}
                        table[k] = construct(cls, {**values, "span": n.span})
                    elif st.block is not None:
                        merged = {**old.attrs, **_attrs(st.block)}
                        table[k] = construct(cls, {**old.__dict__, "attrs": merged})
                return
            for n in st.names:
                k = b.see(n)
                b.mark(k, "declared")
                if st.keyword == "goal" and not st.span.file:
                    # An imported file's goals are not goals of the model importing it
                    # (contract §8): there they only declare the deliverable.
                    b.mark(k, "goal")
                    _append_unique(self.goals, k)
                elif st.keyword == "external":
                    b.mark(k, "external")
                    _append_unique(self.externals, k)
                b.merge_attrs(k, _attrs(st.block))
        elif isinstance(st, syn.AssemblyStmt):
            out = b.see(st.output)
            ins = _unique(b, st.inputs)
            optional: tuple[str, ...] = ()
            if st.optional:
                keys = [b.keys[n.text] for n in st.inputs]  # seen by _unique
                required = {k for i, k in enumerate(keys) if i not in st.optional}
                optional = tuple(k for k in ins if k not in required)
            routes = self.routes
            routes.append(
                construct(
                    Route,
                    {
                        "index": len(routes),
                        "output": out,
                        "inputs": tuple(ins),
                        "attrs": _attrs(st.block),
                        "span": st.span,
                        "output_span": st.output.span,
                        "input_spans": tuple(ins.values()),
                        "optional": optional,
                    },
                )
            )
        elif isinstance(st, syn.GroupStmt):
            g = b.see(st.name)
            members = _unique(b, st.members)
            b.merge_attrs(g, _attrs(st.block))
            group_stmts = self.group_stmts
            group_stmts.append(
                construct(
                    Group,
                    {
                        "index": len(group_stmts),
                        "key": g,
                        "members": tuple(members),
                        "span": st.span,
                        "member_spans": tuple(members.values()),
                    },
                )
            )
        elif isinstance(st, syn.PhaseStmt):
            members = _unique(b, st.members)
            phases = self.phases
            phases.append(
                construct(
                    Phase,
                    {
                        "index": len(phases),
                        "key": identity(st.name.text),
                        "name": st.name.text,
                        "members": tuple(members),
                        "attrs": _attrs(st.block),
                        "span": st.span,
                        "member_spans": tuple(members.values()),
                    },
                )
            )

    def model(self) -> Model:
        """The model of the statements added."""
        b = self.b
        deliverables = {
            k: construct(
                Deliverable,
                {
                    "key": k,
                    "name": str(v["name"]),
                    "span": v["span"],
                    "goal": bool(v.get("goal")),
                    "external": bool(v.get("external")),
                    "declared": bool(v.get("declared")),
                    "attrs": v["attrs"],
                    "spellings": tuple(b.spellings[k]),
                },
            )
            for k, v in b.info.items()
        }
        groups: dict[str, Group] = {}
        for grp in self.group_stmts:
            groups.setdefault(grp.key, grp)
        return construct(
            Model,
            {
                "path": self.path,
                "title": self.title,
                "attrs": self.model_attrs,
                "deliverables": deliverables,
                "routes": tuple(self.routes),
                "groups": groups,
                "group_statements": tuple(self.group_stmts),
                "phases": tuple(self.phases),
                "roles": self.roles,
                "goals": tuple(self.goals),
                "externals": tuple(self.externals),
                "kpis": self.kpis,
                "file_order": self.file_order,
            },
        )


def _unique(b: _Builder, names: Iterable[syn.Name]) -> dict[str, Span]:
    """Keys of ``names`` in order, each with the span of its first mention."""
    out: dict[str, Span] = {}
    for n in names:
        out.setdefault(b.see(n), n.span)
    return out


def _append_unique(items: list[str], key: str) -> None:
    if key not in items:
        items.append(key)
