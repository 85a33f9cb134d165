"""`prep schedule -o x.xml` against the published MS Project XML schema (mspdi_pj12.xsd,
reassembled from Microsoft's documentation in tests/data/mspdi): the samples with every
option that changes the XML, random timed models, names past the schema's length limits,
and broken documents that must fail (the validation bites). Also the vendored schema
itself: a valid XSD, and what its assembler makes of the published pages."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.views import mspdi
from tests.conftest import ROOT, run_prep

from .brute import draw_timed_routes
from .mspdi_schema import XSD, assert_valid, element_paths, schema, schema_errors

NS = f"{{{mspdi.NS}}}"
ONBOARDING = "samples/schedule/onboarding.prep"
KAKUTEI = "samples/kakutei-shinkoku.prep"
DESIGN = "samples/software-design.prep"

#: Each run changes what the XML holds: the Japanese onboarding (phases as summary tasks,
#: milestones, resources, Golden Week as calendar exceptions), every day counted, New Year,
#: one goal, both scenarios of the tax return, the English design model on both calendars.
RUNS = {
    "onboarding-golden-week": (ONBOARDING, "--start", "2026-04-27"),
    "onboarding-every-day": (ONBOARDING, "--start", "2026-04-27", "--calendar", "none"),
    "onboarding-new-year": (ONBOARDING, "--start", "2026-12-21", "--goal", "更新契約"),
    "kakutei-self": (
        KAKUTEI,
        "--start",
        "2026-12-30",
        "--when",
        "自分で",
        "--default-effort",
        "1d",
    ),
    "kakutei-advisor": (
        KAKUTEI,
        "--start",
        "2027-01-08",
        "--when",
        "税理士依頼",
        "--default-effort",
        "4h",
    ),
    "design-every-day": (DESIGN, "--start", "2026-04-27", "--default-effort", "1d"),
    "design-jp": (DESIGN, "--start", "2026-04-27", "--calendar", "jp", "--default-effort", "2d"),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("xsd")
    out = {}
    for name, args in RUNS.items():
        path = folder / f"{name}.xml"
        r = run_prep("schedule", *args, "-o", str(path))
        assert r.returncode == 0, r.stderr.decode()
        out[name] = path.read_bytes()
    return out


# --- the schema itself ------------------------------------------------------------------------


def test_the_vendored_schema_is_a_valid_xsd() -> None:
    meta = xmlschema.XMLSchema10.meta_schema
    assert meta is not None
    meta.build()
    meta.validate(str(XSD))  # against the XSD 1.0 meta-schema; raises on the first error
    s = schema()  # built: every type it names exists, every particle is well formed
    assert s.target_namespace == mspdi.NS  # the namespace the writer (and MS Project) uses
    assert list(s.elements) == ["Project"] and list(s.types) == ["TimephasedDataType"]
    text = XSD.read_text("utf-8")
    assert not re.search(r">\s*\. \. \.\s*<", text)  # every placeholder was filled
    for section in ("OutlineCodes", "WBSMasks", "ExtendedAttributes", "Calendars", "Tasks"):
        assert f'<xsd:element name="{section}" minOccurs="0">' in text
    assert "http://schemas.microsoft.com/project/2007 (as printed)" in text  # the note says so


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('minOccurs="0"', 'minOccurs="none"', "minOccurs='none'"),
        ('type="xsd:integer"', 'type="xsd:integr"', "unknown type 'xsd:integr'"),
        ("<xsd:sequence>", "<xsd:sequence><xsd:bogus/>", "Unexpected child with tag 'xsd:bogus'"),
    ],
)
def test_a_broken_schema_is_refused(old: str, new: str, expected: str) -> None:
    """The checks above bite: a copy with one mistake does not build."""
    broken = XSD.read_text("utf-8").replace(old, new, 1)
    with pytest.raises(xmlschema.XMLSchemaParseError, match=re.escape(expected)):
        xmlschema.XMLSchema10(io.StringIO(broken))


@pytest.mark.parametrize("run", list(RUNS))
def test_schedule_xml_is_valid(run: str, documents: dict[str, bytes]) -> None:
    assert_valid(documents[run])


def test_the_runs_cover_every_element_the_writer_writes(documents: dict[str, bytes]) -> None:
    """Each element name in views/mspdi.py shows up in some run above, so no part of the
    writer goes unvalidated; and the runs do hold holidays, phases, milestones, people
    and Japanese names."""
    source = (ROOT / "src/prepmodel/views/mspdi.py").read_text("utf-8")
    written = set(re.findall(r'\badd\(\w+, "(\w+)"', source)) | {"Project"}
    paths = set().union(*(element_paths(doc) for doc in documents.values()))
    assert {p.rpartition("/")[2] for p in paths} == written
    for path in (
        "/Project/Calendars/Calendar/Exceptions/Exception/Name",
        "/Project/Calendars/Calendar/WeekDays/WeekDay/TimePeriod/FromDate",
        "/Project/Tasks/Task/PredecessorLink/PredecessorUID",
        "/Project/Assignments/Assignment/Work",
    ):
        assert path in paths
    everything = b"".join(documents.values()).decode("utf-8")
    for text in ("<Summary>1</Summary>", "<Milestone>1</Milestone>", "<Name>CSM</Name>"):
        assert text in everything
    assert "<Name>元日</Name>" in everything and "<Name>昭和の日</Name>" in everything


def test_names_past_the_schemas_limits_are_cut_and_kept_in_the_notes(tmp_path: Path) -> None:
    long, title = "長" * 600, "t" * 300
    model = tmp_path / "long.prep"
    model.write_text(
        f'model "{title}"\ngoal "{long}"\nexternal X\n'
        f'"{long}" <- X {{ effort: 1d; by: "{long}" }}\nphase "{long}": "{long}"\n',
        "utf-8",
    )
    out = tmp_path / "long.xml"
    r = run_prep("schedule", str(model), "--start", "2026-05-01", "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    data = out.read_bytes()
    assert_valid(data)
    root = ET.fromstring(data)
    assert root.findtext(f"{NS}Name") == "t" * 254 + "…"
    assert root.findtext(f"{NS}Title") == title
    phase, step, milestone = root.iter(f"{NS}Task")
    for task in (phase, step, milestone):
        assert task.findtext(f"{NS}Name") == "長" * 511 + "…"
    assert phase.findtext(f"{NS}Notes") == long
    assert step.findtext(f"{NS}Notes") == f"{long}\nstep 1, route 1"
    assert (milestone.findtext(f"{NS}Notes") or "").startswith(long)  # "… 完成"
    assert root.findtext(f"{NS}Resources/{NS}Resource/{NS}Name") == "長" * 511 + "…"


# --- random timed models -----------------------------------------------------------------------

NAMES = ("", "成果物", "R&D <x> ")  # plain, Japanese, and characters XML must escape
ROLES = ("CSM", "顧客PM", '"A&B"')


@st.composite
def timed_models(draw: st.DrawFn) -> str:
    """A random acyclic model (tests/brute.py) with goals, names that need escaping or are
    Japanese, `by` roles on some routes and some deliverables in phases."""
    lines, routes = draw_timed_routes(draw, 7)
    produced = list(routes)
    goals = draw(st.lists(st.sampled_from(produced), min_size=1, max_size=2, unique=True))
    lines.insert(0, "goal " + ", ".join(goals))
    prefix = draw(st.sampled_from(NAMES))
    out = []
    for line in lines:
        if " <- " in line:
            people = draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True))
            if people:
                by = "by: " + ", ".join(people)
                line = (line[:-2] + f"; {by} }}") if line.endswith(" }") else f"{line} {{ {by} }}"
        out.append(line)
    phase_of = {p: draw(st.integers(-1, 2)) for p in produced}
    for n in range(3):
        members = [p for p in produced if phase_of[p] == n]
        if members:
            out.append(f"phase 段階{n}: " + ", ".join(members))
    text = "\n".join(out) + "\n"
    return re.sub(r"\b([EP]\d+)\b", lambda m: f'"{prefix}{m[1]}"', text)


def _references_resolve(root: ET.Element) -> None:
    """What the schema cannot say (it has no keys): every UID a link, an assignment or the
    project names is that of a task, a resource or a calendar in the file."""
    tasks = {t.findtext(f"{NS}UID") for t in root.iter(f"{NS}Task")}
    people = {r.findtext(f"{NS}UID") for r in root.iter(f"{NS}Resource")}
    calendars = {c.findtext(f"{NS}UID") for c in root.iter(f"{NS}Calendar")}
    assert root.findtext(f"{NS}CalendarUID") in calendars
    assert len(tasks) == len(root.findall(f"{NS}Tasks/{NS}Task"))
    for link in root.iter(f"{NS}PredecessorLink"):
        assert link.findtext(f"{NS}PredecessorUID") in tasks
    for a in root.iter(f"{NS}Assignment"):
        assert a.findtext(f"{NS}TaskUID") in tasks
        assert a.findtext(f"{NS}ResourceUID") in people


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    timed_models(),
    st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    st.sampled_from(["jp", "none"]),
    st.sampled_from(["en", "ja"]),
)
def test_random_timed_models_give_valid_xml(
    text: str, start: dt.date, kind: str, lang: str
) -> None:
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.journey.schedule import plan
    from prepmodel.model.workdays import WorkCalendar
    from prepmodel.views.schedule import Dated

    a = analyse_text(text, "m.prep")
    assert not a.errors, (text, [str(x) for x in a.errors])
    d = Dated(a.journey, plan(a.journey), WorkCalendar(kind, start))
    data = mspdi.project_xml(d, lang)
    assert_valid(data)
    _references_resolve(ET.fromstring(data))


# --- the validation bites ---------------------------------------------------------------------


def _break(data: bytes, how: str) -> bytes:
    root = ET.fromstring(data)
    task = root.findall(f"{NS}Tasks/{NS}Task")[1]
    if how == "order":  # Finish before Start
        children = list(task)
        at = [c.tag for c in children].index(f"{NS}Start")
        task.remove(children[at])
        task.insert(at + 1, children[at])
    elif how == "missing":
        code = root.find(f"{NS}CurrencyCode")
        assert code is not None
        root.remove(code)
    elif how == "enumeration":  # no such link type (0-3)
        link = root.find(f".//{NS}PredecessorLink/{NS}Type")
        assert link is not None
        link.text = "4"
    elif how == "type":
        duration = task.find(f"{NS}Duration")
        assert duration is not None
        duration.text = "3 days"
    elif how == "unknown":
        ET.SubElement(task, f"{NS}Colour").text = "red"
    elif how == "length":
        name = task.find(f"{NS}Name")
        assert name is not None
        name.text = "x" * 513
    ET.register_namespace("", mspdi.NS)
    out: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return out


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("order", "Unexpected child with tag '{http://schemas.microsoft.com/project}Start'"),
        ("missing", "Tag '{http://schemas.microsoft.com/project}CurrencyCode' expected"),
        ("enumeration", "value must be one of [0, 1, 2, 3]"),
        ("type", "'3 days' is not an xs:duration value"),
        ("unknown", "Unexpected child with tag '{http://schemas.microsoft.com/project}Colour'"),
        ("length", "value length cannot be greater than 512"),
    ],
)
def test_a_broken_document_is_refused(how: str, expected: str, documents: dict[str, bytes]) -> None:
    good = documents["onboarding-golden-week"]
    assert_valid(_break(good, "none"))  # taken apart and put back: still valid
    errors = schema_errors(_break(good, how))
    assert errors and any(expected in e for e in errors), errors


def test_the_namespace_the_docs_print_is_refused(documents: dict[str, bytes]) -> None:
    """The pages declare .../project/2007; the schema was given .../project (what Microsoft
    Project writes). A file in the printed namespace is not a Project file here."""
    data = documents["onboarding-golden-week"].replace(
        b'xmlns="http://schemas.microsoft.com/project"',
        b'xmlns="http://schemas.microsoft.com/project/2007"',
    )
    (error,) = schema_errors(data)
    assert "is not an element of the schema" in error


# --- the assembler ----------------------------------------------------------------------------


def _assembler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("assemble", XSD.parent / "assemble.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(title: str, block: str) -> str:
    return f"---\ntitle: {title}\n---\n\n# {title}\n\n``` xml\n{block}```\n\n## See Also\n"


SECTIONS = (
    "OutlineCodes",
    "WBSMasks",
    "ExtendedAttributes",
    "Calendars",
    "Tasks",
    "Resources",
    "Assignments",
)


def _docs_repo(folder: Path, project_tail: str = "</xsd:element>\n") -> Path:
    """A docs repository in the published layout, with one-line sections."""
    pages = folder / "project-xml-data-interchange"
    pages.mkdir(parents=True)
    ns = "http://schemas.microsoft.com/project/2007"
    placeholders = "".join(
        f'        <xsd:element name="{name}" minOccurs="0"> . . . </xsd:element>\n'
        for name in SECTIONS
    )
    project = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xsd:schema xmlns="{ns}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        f' targetNamespace="{ns}" elementFormDefault="qualified">\n'
        '  <xsd:complexType name="TimephasedDataType"> . . . </xsd:complexType>\n'
        '  <xsd:element name="Project">\n    <xsd:complexType>\n      <xsd:sequence>\n'
        f"{placeholders}"
        "      </xsd:sequence>\n    </xsd:complexType>\n  " + project_tail
    )
    (pages / "xml-schema-for-the-project-element.md").write_text(_page("Project", project))
    timephased = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- a comment -->\n'
        '<xsd:complexType name="TimephasedDataType">\n  <xsd:sequence>\n'
        '    <xsd:element name="Value" type="xsd:string" minOccurs="0"/>\n'
        "  </xsd:sequence>\n</xsd:complexType>\n"
    )
    (pages / "xml-schema-for-the-timephaseddatatype-complex-type.md").write_text(
        _page("TimephasedDataType", timephased)
    )
    for name in SECTIONS[:5]:
        section = f'. . .\n\n<xsd:element name="{name}" minOccurs="0">\n'
        section += '  <xsd:complexType>\n    <xsd:sequence>\n      <xsd:element name="UID"'
        section += ' type="xsd:integer" minOccurs="0"/>\n    </xsd:sequence>\n'
        section += "  </xsd:complexType>\n</xsd:element>\n"
        (pages / f"xml-schema-for-the-{name.lower()}-element.md").write_text(_page(name, section))
    for name in SECTIONS[5:]:
        section = f'. . .\n\n<xsd:element name="{name}" minOccurs="0">\n</xsd:element>\n'
        (pages / f"xml-schema-for-the-{name.lower()}-element.md").write_text(_page(name, section))
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pages"], check=True)
    return folder


def test_the_assembler_fills_each_placeholder_with_its_page(tmp_path: Path) -> None:
    assemble = _assembler()
    text: str = assemble.assemble(_docs_repo(tmp_path), "HEAD")
    s = xmlschema.XMLSchema10(text)  # a valid schema
    assert s.target_namespace == "http://schemas.microsoft.com/project"
    assert "/2007" not in text.split("-->", 1)[1]  # only the note names the printed one
    assert ". . ." not in text.split("-->", 1)[1]
    project: Any = s.elements["Project"]
    sections = [e.local_name for e in project.type.content.iter_elements()]
    assert tuple(sections) == SECTIONS
    assert '        <xsd:element name="Tasks" minOccurs="0">\n' in text  # indented in place
    assert text.endswith("  </xsd:element>\n</xsd:schema>\n")
    assert list(s.types) == ["TimephasedDataType"]


def test_the_assembler_stops_when_the_pages_change(tmp_path: Path) -> None:
    assemble = _assembler()
    closed = _docs_repo(tmp_path, "</xsd:element>\n</xsd:schema>\n")
    with pytest.raises(SystemExit, match="now closes the schema"):
        assemble.assemble(closed, "HEAD")


@pytest.mark.skipif(
    not os.environ.get("MSPDI_DOCS_REPO"),
    reason="MSPDI_DOCS_REPO (a clone of MicrosoftDocs/office-developer-msproject-xml-docs) unset",
)
def test_the_vendored_schema_is_what_the_pages_give() -> None:
    commit = re.search(r"at commit ([0-9a-f]{40})", XSD.read_text("utf-8"))
    assert commit is not None
    script = XSD.parent / "assemble.py"
    repo = os.environ["MSPDI_DOCS_REPO"]
    done = subprocess.run(
        [sys.executable, str(script), "--repo", repo, "--commit", commit[1], "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
