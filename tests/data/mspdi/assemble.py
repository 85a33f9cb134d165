"""Reassemble ``mspdi_pj12.xsd`` (the Microsoft Office Project 2007 XML Data Interchange
Schema) from the sections Microsoft publishes in its documentation repository.

The SDK download that held the file is gone; the docs repository
(MicrosoftDocs/office-developer-msproject-xml-docs) still prints the whole schema, one
section per page: the Project element, with ``<xsd:element name="Tasks" minOccurs="0">
. . . </xsd:element>`` placeholders, and a page for each placeholder. This script puts the
pages back together, so that the vendored schema can be checked against its source::

    python tests/data/mspdi/assemble.py --repo PATH [--commit REV] [--check]

PATH is a git directory or a clone of that repository. Without ``--check`` the schema is
written next to this script; with it, the script only says whether the vendored file is
what the pages give (exit 1 if not). Nothing else is changed than README.md lists under
"Adjustments": the placeholders, the missing ``</xsd:schema>``, trailing spaces, and the
namespace.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "mspdi_pj12.xsd"
PAGES = "project-xml-data-interchange"
PROJECT_PAGE = "xml-schema-for-the-project-element.md"
#: Each placeholder's page, in the order the Project element's sequence lists them.
SECTIONS = {
    ("complexType", "TimephasedDataType"): "xml-schema-for-the-timephaseddatatype-complex-type.md",
    ("element", "OutlineCodes"): "xml-schema-for-the-outlinecodes-element.md",
    ("element", "WBSMasks"): "xml-schema-for-the-wbsmasks-element.md",
    ("element", "ExtendedAttributes"): "xml-schema-for-the-extendedattributes-element.md",
    ("element", "Calendars"): "xml-schema-for-the-calendars-element.md",
    ("element", "Tasks"): "xml-schema-for-the-tasks-element.md",
    ("element", "Resources"): "xml-schema-for-the-resources-element.md",
    ("element", "Assignments"): "xml-schema-for-the-assignments-element.md",
}
#: The pages declare this namespace; the files Microsoft Project writes (and the pages'
#: own examples, e.g. saveversion-element.md) use the other, so the schema is given it.
DOCS_NAMESPACE = "http://schemas.microsoft.com/project/2007"
NAMESPACE = "http://schemas.microsoft.com/project"
PLACEHOLDER = re.compile(
    r'^(?P<indent>[ ]*)<xsd:(?P<kind>element|complexType) name="(?P<name>\w+)"[^>]*>'
    r" \. \. \. </xsd:(?P=kind)>$"
)
NOTE = """<!--
  Reassembled by tests/data/mspdi/assemble.py from the schema sections printed in
  MicrosoftDocs/office-developer-msproject-xml-docs, {paths}/xml-schema-for-*.md
  at commit {commit}.
  Documentation (c) Microsoft Corporation, CC BY 4.0; code samples MIT License
  (see README.md beside this file).
  Adjusted: each " . . . " placeholder replaced by its section; the closing
  </xsd:schema> added; trailing spaces removed; the targetNamespace and default namespace
    {docs_ns} (as printed) changed to
    {ns} (what Microsoft Project writes).
-->
"""


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8"
    )
    if done.returncode != 0:
        sys.exit(f"assemble: git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def code_block(page: str) -> list[str]:
    """The lines of the page's one ```xml code block."""
    blocks = re.findall(r"^``` ?xml\n(.*?)^```", page, flags=re.S | re.M)
    if len(blocks) != 1:
        sys.exit(f"assemble: expected one xml code block, found {len(blocks)}")
    lines: list[str] = blocks[0].splitlines()
    return lines


def section(page: str, kind: str, name: str) -> list[str]:
    """The definition of ``name`` from its page: from its opening tag to the end of the
    block (the pages put ``. . .``, an XML declaration or a comment before it)."""
    lines = code_block(page)
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(f'<xsd:{kind} name="{name}"')),
        None,
    )
    if start is None:
        sys.exit(f"assemble: no <xsd:{kind} name={name!r}> at the start of a line")
    body = [line.rstrip() for line in lines[start:]]
    while body and not body[-1]:
        body.pop()
    if body[-1] != f"</xsd:{kind}>":
        sys.exit(f"assemble: the {name} section does not end with </xsd:{kind}>")
    return body


def assemble(repo: Path, commit: str) -> str:
    """The schema text from the pages at ``commit``."""
    sha = _git(repo, "rev-parse", f"{commit}^{{commit}}").strip()

    def page(name: str) -> str:
        return _git(repo, "show", f"{sha}:{PAGES}/{name}")

    project = [line.rstrip() for line in code_block(page(PROJECT_PAGE))]
    out: list[str] = []
    done: list[tuple[str, str]] = []
    for line in project:
        m = PLACEHOLDER.match(line)
        if m is None:
            out.append(line)
            continue
        key = (m["kind"], m["name"])
        if key not in SECTIONS:
            sys.exit(f"assemble: a placeholder for {key} that has no page here")
        indent = m["indent"]
        body = section(page(SECTIONS[key]), *key)
        out.extend(indent + b if b else b for b in body)
        done.append(key)
    if done != list(SECTIONS):
        sys.exit(f"assemble: placeholders {done} are not the expected {list(SECTIONS)}")
    while out and not out[-1]:
        out.pop()
    if out[-1].strip() == "</xsd:schema>":
        sys.exit("assemble: the Project page now closes the schema; drop that adjustment")
    out.append("</xsd:schema>")
    if not out[0].startswith("<?xml"):
        sys.exit("assemble: the Project page no longer starts with an XML declaration")
    text = "\n".join(out) + "\n"
    opening = f'xmlns="{DOCS_NAMESPACE}"', f'targetNamespace="{DOCS_NAMESPACE}"'
    for attr in opening:
        if text.count(attr) != 1:
            sys.exit(f"assemble: expected {attr} once in the schema")
        text = text.replace(attr, attr.replace(DOCS_NAMESPACE, NAMESPACE))
    if DOCS_NAMESPACE in text:
        sys.exit(f"assemble: {DOCS_NAMESPACE} is used beyond the schema element")
    note = NOTE.format(paths=PAGES, commit=sha, docs_ns=DOCS_NAMESPACE, ns=NAMESPACE)
    declaration, rest = text.split("\n", 1)
    return f"{declaration}\n{note}{rest}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="the docs repository (git)")
    parser.add_argument("--commit", default="HEAD", help="the revision to read (HEAD)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = assemble(args.repo, args.commit)
    if args.check:
        same = TARGET.exists() and TARGET.read_text("utf-8") == text
        print(f"{TARGET.name}: {'up to date' if same else 'differs from the pages'}")
        return 0 if same else 1
    TARGET.write_text(text, "utf-8", newline="\n")
    print(f"wrote {TARGET} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
