"""The published MS Project XML schema (``tests/data/mspdi/mspdi_pj12.xsd``, reassembled
from Microsoft's documentation; see the README there), built once per test session, and
the ways a document breaks it, for the tests that write MS Project XML."""

from __future__ import annotations

import functools
import io
import xml.etree.ElementTree as ET

import xmlschema

from tests.conftest import ROOT

XSD = ROOT / "tests/data/mspdi/mspdi_pj12.xsd"


@functools.cache
def schema() -> xmlschema.XMLSchema10:
    """The schema, itself checked against the XSD 1.0 meta-schema while it is built (the
    default ``validation="strict"`` refuses a schema that is not one)."""
    return xmlschema.XMLSchema10(XSD, validation="strict")


def schema_errors(document: bytes) -> list[str]:
    """Every way ``document`` (the bytes of an XML file) breaks the schema, as
    ``path: reason`` lines; none when it is valid."""
    return [f"{e.path}: {e.reason}" for e in schema().iter_errors(io.BytesIO(document))]


def assert_valid(document: bytes) -> None:
    errors = schema_errors(document)
    assert not errors, "not valid against mspdi_pj12.xsd:\n" + "\n".join(errors)


def element_paths(document: bytes) -> set[str]:
    """``/Project/Tasks/Task/Name`` and so on: the paths of the elements in ``document``,
    without the namespace."""
    paths: set[str] = set()

    def walk(el: ET.Element, parent: str) -> None:
        path = f"{parent}/{el.tag.rpartition('}')[2]}"
        paths.add(path)
        for child in el:
            walk(child, path)

    walk(ET.fromstring(document), "")
    return paths
