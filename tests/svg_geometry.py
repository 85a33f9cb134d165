"""Read a rendered diagram's SVG as geometry: every node and cluster with its box in the
coordinates of the whole picture (panels are moved into place with ``translate``), its
classes, DOT id and texts; the deliverable a node stands for (boxes ``d3``, part copies
``d3_c1``). Tests check layout rules on this, not on pixels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"
_TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[ ,]\s*(-?[\d.]+)\s*\)")
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_DELIVERABLE_ID = re.compile(r"d(\d+)(?:_c\d+)?")


@dataclass
class Shape:
    kind: str  # "node", "cluster" or "edge"
    classes: set[str]
    title: str
    texts: list[str]
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 (SVG y grows downwards)
    panel: int
    points: list[tuple[float, float]] = field(default_factory=list)
    text_at: list[tuple[str, float, float]] = field(default_factory=list)  # text, x, y
    paths: list[list[tuple[float, float]]] = field(default_factory=list)  # each path's points

    def curve(self, steps: int = 8) -> list[tuple[float, float]]:
        """Points on the drawn lines (cubic Béziers ``M p0 C c1 c2 p1 ...`` sampled),
        not their control points."""
        out: list[tuple[float, float]] = []
        for pts in self.paths:
            out.append(pts[0])
            for i in range(1, len(pts) - 2, 3):
                p0, c1, c2, p1 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
                for k in range(1, steps + 1):
                    t = k / steps
                    u = 1 - t
                    out.append(
                        (
                            u**3 * p0[0]
                            + 3 * u * u * t * c1[0]
                            + 3 * u * t * t * c2[0]
                            + t**3 * p1[0],
                            u**3 * p0[1]
                            + 3 * u * u * t * c1[1]
                            + 3 * u * t * t * c2[1]
                            + t**3 * p1[1],
                        )
                    )
        return out

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


def _points(el: ET.Element) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for sub in el.iter():
        tag = sub.tag.removeprefix(SVG)
        if tag in ("polygon", "polyline"):
            nums = [float(x) for x in _NUM.findall(sub.get("points") or "")]
        elif tag == "path":
            nums = [float(x) for x in _NUM.findall(sub.get("d") or "")]
        elif tag == "ellipse":
            cx, cy = float(sub.get("cx") or 0), float(sub.get("cy") or 0)
            rx, ry = float(sub.get("rx") or 0), float(sub.get("ry") or 0)
            nums = [cx - rx, cy - ry, cx + rx, cy + ry]
        else:
            continue
        out += list(zip(nums[0::2], nums[1::2], strict=False))
    return out


def _pairs(d: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in _NUM.findall(d)]
    return list(zip(nums[0::2], nums[1::2], strict=False))


def shapes(svg: bytes | str) -> list[Shape]:
    """Every node, cluster and edge of the picture, in document order."""
    root = ET.fromstring(svg)
    found: list[Shape] = []

    def walk(el: ET.Element, dx: float, dy: float, panel: int) -> None:
        for child in el:
            if child.tag != f"{SVG}g":
                continue
            cx, cy = dx, dy
            move = _TRANSLATE.search(child.get("transform") or "")
            if move:
                cx += float(move.group(1))
                cy += float(move.group(2))
            classes = set((child.get("class") or "").split())
            here = panel
            if "panel" in classes:
                here = int(re.sub(r"\D", "", child.get("id") or "0") or 0)
            kind = next((k for k in ("node", "cluster", "edge") if k in classes), None)
            if kind is not None:
                title_el = child.find(f"{SVG}title")
                pts = [(x + cx, y + cy) for x, y in _points(child)]
                if kind != "edge":
                    xs = [p[0] for p in pts] or [cx]
                    ys = [p[1] for p in pts] or [cy]
                    box = (min(xs), min(ys), max(xs), max(ys))
                else:
                    box = (0.0, 0.0, 0.0, 0.0)
                found.append(
                    Shape(
                        kind,
                        classes,
                        title_el.text or "" if title_el is not None else "",
                        [t.text or "" for t in child.iter(f"{SVG}text")],
                        box,
                        here,
                        pts,
                        [
                            (t.text or "", float(t.get("x") or 0) + cx, float(t.get("y") or 0) + cy)
                            for t in child.iter(f"{SVG}text")
                        ],
                        [
                            [(x + cx, y + cy) for x, y in _pairs(sub.get("d") or "")]
                            for sub in child.iter(f"{SVG}path")
                        ],
                    )
                )
                if kind == "cluster":
                    continue  # a cluster's nodes are its siblings in Graphviz's SVG
                continue
            walk(child, cx, cy, here)

    walk(root, 0.0, 0.0, 0)
    return found


def nodes(all_shapes: list[Shape], cls: str) -> list[Shape]:
    return [s for s in all_shapes if s.kind == "node" and cls in s.classes]


def deliverable_index(title: str) -> int | None:
    """The position in ``model.deliverables`` of the deliverable a node id stands for."""
    m = _DELIVERABLE_ID.fullmatch(title)
    return int(m.group(1)) if m else None


def picture_size(svg: bytes | str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return (
        float((root.get("width") or "0").removesuffix("pt")),
        float((root.get("height") or "0").removesuffix("pt")),
    )
