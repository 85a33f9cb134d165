"""Work labels moved next to their own junction after the layout.

A work label is a node of its own (``dot.py``): Graphviz gives it a rank between the
junction and the output and centres it in that rank, as it centres every node. When a much
wider box shares the rank (or the junction's rank), the label stands far from its junction,
in the middle of a wide column, and can end up nearer to another step's junction than to
its own: it then reads as that step's work. Graphviz has no way to align a node to one
side of its rank, so this step moves such a label afterwards, in the panel's SVG.

* Only a label that another junction nearly matches (within :data:`CLEARLY`) moves: the
  rest keep Graphviz's place and bytes.
* It moves along the flow towards its junction, to the gap it would have in a rank no
  wider than itself (``ranksep``), or nearer, or less far when that place is taken; a
  label of a stacked alternative may also move across, towards its own cell.
* Never onto another node, a band's title or across a band's border; a place that no line
  crosses first; over lines only when nothing else keeps it nearest its own junction, and
  then filled with the band's colour so the lines pass under it.
* The line from the junction is drawn again to the label's new side; the line to the
  output starts there (drawn again when Graphviz drew one curve, else a piece to where
  Graphviz's line starts).

Shapes are read from the SVG only when a label needs a closer look. Same input, same output.
"""

from __future__ import annotations

import functools
import html
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from prepmodel.render.dot import RANKSEP
from prepmodel.render.measure import text_width

__all__ = ["settle_work_labels"]

#: The smallest gap left between a label and its junction (points).
MIN_GAP: Final[float] = 8.0
#: How much nearer its own junction a label must be than any other (points).
MARGIN: Final[float] = 1.5
#: A label is left where Graphviz put it when its own junction is nearer than any other
#: by this much (points).
CLEARLY: Final[float] = 6.0
#: Room kept free around a moved label (points).
CLEAR: Final[float] = 2.0

_BLOCK = re.compile(r'<g id="(node|edge|clust)\d+" class="([^"]*)">\n<title>(.*?)</title>\n')
_NUM = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
_PAIR = re.compile(rf"({_NUM}),({_NUM})")
_SEPARATORS: Final = str.maketrans(dict.fromkeys("MmLlCcZz,", " "))
_POINTS = re.compile(r' (points|d)="([^"]*)"')
_ELLIPSE = re.compile(rf'cx="({_NUM})" cy="({_NUM})" rx="({_NUM})" ry="({_NUM})"')
_TEXT = re.compile(
    rf'<text\b[^>]*? x="({_NUM})" y="({_NUM})"[^>]*?font-size="({_NUM})"[^>]*>([^<]*)</text>'
)
_FILL = re.compile(r'<path fill="(#[0-9a-fA-F]{3,8}|white)"')
_TEXT_XY = re.compile(rf'(<text\b[^>]*? x=")({_NUM})(" y=")({_NUM})(")')

#: rankdir -> the axis of the flow (0: x, 1: y) and its sense (SVG y grows downwards).
_FLOWS: Final = {"LR": (0, 1.0), "RL": (0, -1.0), "TB": (1, 1.0), "BT": (1, -1.0)}

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (SVG y grows downwards)
Point = tuple[float, float]


@dataclass
class _Item:
    kind: str  # "node", "edge" or "clust"
    classes: set[str]
    title: str
    start: int  # where the item's content starts in the SVG (after its title)
    end: int
    svg: str  # the whole document (``body`` is the item's part of it)
    found_box: Box | None = None
    found_shapes: list[tuple[str, str]] | None = None
    parsed: list[list[Point]] | None = None

    # Read when first needed: most of a picture is never looked at closely.
    @property
    def shapes(self) -> list[tuple[str, str]]:
        """Its paths and polygons: ("d" or "points", their numbers)."""
        if self.found_shapes is None:
            self.found_shapes = _POINTS.findall(self.body)
        return self.found_shapes

    @property
    def box(self) -> Box:
        """The box of its shapes (for an edge, of its control points: they hold the path)."""
        if self.found_box is None:
            nums = _numbers(" ".join(t for _, t in self.shapes))
            for cx, cy, rx, ry in _ELLIPSE.findall(self.body):
                x, y, w, h = float(cx), float(cy), float(rx), float(ry)
                nums += [x - w, y - h, x + w, y + h]
            xs, ys = nums[0::2] or [0.0], nums[1::2] or [0.0]
            self.found_box = (min(xs), min(ys), max(xs), max(ys))
        return self.found_box

    @box.setter
    def box(self, box: Box) -> None:
        self.found_box = box

    @property
    def paths(self) -> int:
        """How many of :attr:`raw` are paths (``d``)."""
        return sum(1 for key, _ in self.shapes if key == "d")

    @property
    def raw(self) -> list[list[Point]]:
        """Its paths' points, then its polygons' (read when first needed)."""
        if self.parsed is None:
            ordered = sorted(self.shapes, key=lambda shape: shape[0] != "d")
            self.parsed = [_pairs(text) for _, text in ordered]
        return self.parsed

    @property
    def body(self) -> str:
        return self.svg[self.start : self.end]


class _Grid:
    """Items by the vertical strips their boxes cover: the few near a label."""

    SIZE: Final = 100.0

    def __init__(self, items: list[_Item]) -> None:
        self.cells: dict[int, list[int]] = {}
        self.items = items
        self.index = {id(item): n for n, item in enumerate(items)}
        for n, item in enumerate(items):
            self.add(n, item.box)

    def _keys(self, box: Box) -> range:
        return range(math.floor(box[0] / self.SIZE), math.floor(box[2] / self.SIZE) + 1)

    def add(self, n: int, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(n)

    def move(self, item: _Item, box: Box) -> None:
        n = self.index[id(item)]
        for key in self._keys(item.box):
            self.cells[key].remove(n)
        item.box = box
        self.add(n, box)

    def near(self, box: Box) -> list[_Item]:
        """The items whose boxes overlap ``box``, in document order."""
        found = {n for key in self._keys(box) for n in self.cells.get(key, ())}
        return [self.items[n] for n in sorted(found) if _overlaps(self.items[n].box, box)]


def settle_work_labels(svg: str, direction: str) -> str:
    """``svg`` (one Graphviz layout) with every work label that stands too far from its
    junction moved next to it. ``direction``: the layout's ``rankdir``."""
    gap = RANKSEP * 72  # the gap between ranks, in points
    flow = _FLOWS.get(direction, _FLOWS["LR"])
    items = _items(svg)
    nodes = {i.title: i for i in items if i.kind == "node"}
    edges_in: dict[str, _Item] = {}
    edges_out: dict[str, _Item] = {}
    for e in (i for i in items if i.kind == "edge"):
        tail, _, head = e.title.partition("->")
        edges_in.setdefault(head, e)
        edges_out.setdefault(tail.split(":")[0], e)
    junctions = _Grid([n for n in nodes.values() if "junction" in n.classes])
    obstacles = functools.cache(lambda: _obstacles(items))  # only when a label must move
    edits: list[tuple[int, int, str]] = []
    waiting = [n for n in nodes.values() if "work" in n.classes]
    for _ in range(2):  # again: a label moved first may leave room for its neighbour
        stuck = []
        for work in waiting:
            into, out_of = edges_in.get(work.title), edges_out.get(work.title)
            if into is None or out_of is None:
                continue
            own = nodes.get(into.title.partition("->")[0].split(":")[0])
            if own is None or "junction" not in own.classes or into.paths != 1:
                continue
            port = into.raw[0][0]
            own_edges = {into.title, out_of.title}
            found = _best_move(work, own, port, junctions, obstacles, own_edges, flow, gap)
            if found is False:
                stuck.append(work)
            if isinstance(found, bool):
                continue
            edits += _moved(work, into, out_of, *found, flow[0])
            obstacles().nodes.move(work, _shift_box(work.box, found[0]))
            for edge in (into, out_of):
                obstacles().edges.move(edge, _line_box(edge.raw))
        waiting = stuck
    pieces, at = [], 0
    for start, end, text in sorted(edits):
        pieces += [svg[at:start], text]
        at = end
    return "".join([*pieces, svg[at:]])


# --- reading the SVG -----------------------------------------------------------------------


def _items(svg: str) -> list[_Item]:
    """Every node, edge and cluster: its content runs to where the next one starts (with
    the comment Graphviz writes before it, which holds no coordinates)."""
    starts = list(_BLOCK.finditer(svg))
    ends = [m.start() for m in starts[1:]] + [len(svg)] * bool(starts)  # none: an empty panel
    found = [
        _Item(m.group(1), set(m.group(2).split()), _title(m.group(3)), m.end(), end, svg)
        for m, end in zip(starts, ends, strict=True)
    ]
    return found


def _title(text: str) -> str:
    """A DOT id from an SVG title (edges are ``tail&#45;&gt;head``)."""
    text = text.replace("&#45;&gt;", "->")
    return html.unescape(text) if "&" in text else text


def _numbers(text: str) -> list[float]:
    """The numbers of path data or polygon points (Graphviz writes ``M x,y C x,y ...``
    with plain decimals): split at the commands, commas and spaces."""
    return list(map(float, text.translate(_SEPARATORS).split()))


def _pairs(text: str) -> list[Point]:
    nums = _numbers(text)
    return list(zip(nums[0::2], nums[1::2], strict=False))


def _curve(pts: list[Point], steps: int = 8) -> list[Point]:
    """Points on a path ``M p0 C c1 c2 p1 ...`` (cubic Béziers), not its control points."""
    out = pts[:1]
    for i in range(1, len(pts) - 2, 3):
        p0, c1, c2, p1 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p1[0],
                    u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p1[1],
                )
            )
    return out


@dataclass
class _Obstacles:
    nodes: _Grid
    edges: _Grid
    clusters: list[Box]  # a cluster's box: a label may not cross its border
    fills: list[str]  # each cluster's fill colour
    titles: list[Box]  # a cluster's title text


def _obstacles(items: list[_Item]) -> _Obstacles:
    clusters = [i for i in items if i.kind == "clust"]
    titles = []
    for c in clusters:
        for x, y, size, text in _TEXT.findall(c.body):
            w, s = text_width(html.unescape(text), float(size)), float(size)
            titles.append((float(x) - w / 2, float(y) - s, float(x) + w / 2, float(y) + s * 0.3))
    return _Obstacles(
        _Grid([i for i in items if i.kind == "node"]),
        _Grid([i for i in items if i.kind == "edge"]),
        [c.box for c in clusters],
        [m.group(1) if (m := _FILL.search(c.body)) else "white" for c in clusters],
        titles,
    )


# --- choosing where the label goes ------------------------------------------------------


def _best_move(
    work: _Item,
    own: _Item,
    port: Point,
    junctions: _Grid,
    found_obstacles: Callable[[], _Obstacles],
    own_edges: set[str],
    flow: tuple[int, float],
    gap: float,
) -> tuple[Point, str | None] | bool:
    """How far to move ``work`` (dx, dy), with the colour to fill it with when it has to
    stand over lines (the band's: the lines pass under it); True to leave it where it is,
    False when it should move but has no better place. ``port``: where the line from its
    junction starts (a step's alternatives have one cell each)."""
    axis, sign = flow
    now = _along(work.box, axis, sign)[0] - _along(own.box, axis, sign)[1]
    if now <= MIN_GAP:
        return True
    centre = (work.box[1 - axis] + work.box[3 - axis]) / 2
    level = [0.0]  # across the flow: where it is, or level with its cell
    if abs(port[1 - axis] - centre) > 0.5:
        level.insert(0, port[1 - axis] - centre)
    span = _shift_box(work.box, _vector(-(now - MIN_GAP), axis, sign))
    for shift in level:
        span = _union(span, _shift_box(span, _across(shift, axis)))
    corridor = _inflate(_union(span, work.box), CLEAR)
    reach = _inflate(corridor, now + gap)  # the junctions that could be nearer than its own
    near = [j for j in junctions.near(reach) if j is not own]

    def reads_as_own(box: Box) -> float:
        """How much nearer its own junction the label is than any other's."""
        other = min((_distance(j.box, box) for j in near), default=math.inf)
        return other - _distance(own.box, box)

    if reads_as_own(work.box) >= CLEARLY:
        return True  # clearly nearest its own junction: Graphviz's place is kept
    obstacles = found_obstacles()
    lines = [e for e in obstacles.edges.near(corridor) if e.title not in own_edges]
    blocks = [n.box for n in obstacles.nodes.near(corridor) if n is not work]
    blocks += [t for t in obstacles.titles if _overlaps(t, corridor)]
    inside = [c for c in obstacles.clusters if _contains(c, work.box)]
    crossed = [c for c in obstacles.clusters if c not in inside and _overlaps(c, corridor)]

    def free(box: Box, over_lines: bool = False) -> bool:
        room = _inflate(box, CLEAR)
        return (
            not any(_overlaps(b, room) for b in blocks)
            and not any(_overlaps(c, room) for c in crossed)
            and all(_contains(c, room) for c in inside)
            and (over_lines or not any(_crosses(e, room) for e in lines))
        )

    wanted = min(gap, now)
    nearer = [wanted - k for k in range(int(wanted - MIN_GAP) + 1)]  # the gap first
    farther = [wanted + k for k in range(1, math.ceil(now - wanted))]  # when lines are in the way
    for target in nearer + farther:
        for shift in level:
            move = _plus(_vector(target - now, axis, sign), _across(shift, axis))
            box = _shift_box(work.box, move)
            if free(box) and reads_as_own(box) >= MARGIN:
                return move, None
    # Still nearer another junction: try part of the way across (towards its cell) too,
    # and take the place nearest its own junction, else the least bad one.
    steps = max(1, math.ceil(abs(level[0]) / 4))
    best: tuple[tuple[float, float], Point] | None = None
    for k in range(steps + 1):
        shift = level[0] * k / steps
        for target in nearer[::2] + farther[::2]:
            move = _plus(_vector(target - now, axis, sign), _across(shift, axis))
            box = _shift_box(work.box, move)
            if not free(box):
                continue
            score = reads_as_own(box)
            rank = (0.0, _distance(own.box, box)) if score >= MARGIN else (1.0, -score)
            if best is None or rank < best[0]:
                best = (rank, move)
    if best is not None and best[0][0] == 0.0:
        return best[1], None
    # Lines in the way: stand over them, filled with the colour of the band around it.
    shifts = [level[0] * k / steps for k in range(steps, -1, -1)]
    for target in nearer + farther:
        for shift in shifts:
            move = _plus(_vector(target - now, axis, sign), _across(shift, axis))
            box = _shift_box(work.box, move)
            if free(box, over_lines=True) and reads_as_own(box) >= MARGIN:
                around = [n for n, c in enumerate(obstacles.clusters) if _contains(c, box)]
                smallest = min(around, key=lambda n: _area(obstacles.clusters[n]), default=None)
                return move, "white" if smallest is None else obstacles.fills[smallest]
    if best is not None and -best[0][1] > reads_as_own(work.box):
        return best[1], None
    return False


def _across(shift: float, axis: int) -> Point:
    """A move across the flow."""
    return (0.0, shift) if axis == 0 else (shift, 0.0)


def _along(box: Box, axis: int, sign: float) -> tuple[float, float]:
    """The box's near and far side along the flow (coordinates times ``sign``)."""
    a, b = box[axis] * sign, box[axis + 2] * sign
    return (min(a, b), max(a, b))


def _vector(distance: float, axis: int, sign: float) -> Point:
    return (distance * sign, 0.0) if axis == 0 else (0.0, distance * sign)


def _shift_box(box: Box, move: Point) -> Box:
    dx, dy = move
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def _inflate(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _line_box(lines: list[list[Point]]) -> Box:
    xs = [p[0] for line in lines for p in line]
    ys = [p[1] for line in lines for p in line]
    return (min(xs), min(ys), max(xs), max(ys))


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _contains(outer: Box, inner: Box) -> bool:
    x0, y0, x1, y1 = inner
    return outer[0] <= x0 and outer[1] <= y0 and x1 <= outer[2] and y1 <= outer[3]


def _distance(a: Box, b: Box) -> float:
    """The gap between two boxes (0 when they touch or overlap)."""
    dx = max(a[0] - b[2], b[0] - a[2], 0.0)
    dy = max(a[1] - b[3], b[1] - a[3], 0.0)
    return math.hypot(dx, dy)


def _crosses(edge: _Item, box: Box) -> bool:
    """Whether a line of ``edge`` enters ``box``: its paths (cubic Béziers, sampled where
    the box of a piece's control points meets ``box``) or its arrowhead."""
    if not _overlaps(edge.box, box):
        return False
    paths = edge.paths
    for n, pts in enumerate(edge.raw):
        if n >= paths:  # an arrowhead: a polygon
            if any(_segment_enters(p, q, box) for p, q in itertools.pairwise(pts)):
                return True
            continue
        for i in range(0, len(pts) - 3, 3):
            piece = pts[i : i + 4]
            if _overlaps(_line_box([piece]), box):
                line = _curve(piece)
                if any(_segment_enters(p, q, box) for p, q in itertools.pairwise(line)):
                    return True
    return False


def _segment_enters(p: Point, q: Point, box: Box) -> bool:
    """Liang-Barsky: does the segment p-q meet the box?"""
    if max(p[0], q[0]) < box[0] or min(p[0], q[0]) > box[2]:
        return False
    if max(p[1], q[1]) < box[1] or min(p[1], q[1]) > box[3]:
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, low, high, start in ((dx, box[0], box[2], p[0]), (dy, box[1], box[3], p[1])):
        if d == 0:
            if start < low or start > high:
                return False
            continue
        a, b = (low - start) / d, (high - start) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 > t1:
            return False
    return True


# --- writing the move ---------------------------------------------------------------------


def _moved(
    work: _Item, into: _Item, out_of: _Item, move: Point, fill: str | None, axis: int
) -> list[tuple[int, int, str]]:
    """The SVG edits that move ``work`` by ``move``: its own shapes and texts, the line
    from its junction (drawn again to the new place) and the line to its output (drawn
    again from the new place when Graphviz drew one curve, else a piece from there to
    where Graphviz's line starts). The moved items' geometry follows, for later labels."""
    dx, dy = move
    body = _shift_shapes(work.body, dx, dy)
    if fill is not None:  # the lines it stands over pass under it
        body = body.replace('<polygon fill="none"', f'<polygon fill="{fill}"', 1)
    edits = [(work.start, work.end, body)]
    line = into.raw[0]
    path = _s_curve(line[0], _plus(line[-1], move), axis)
    edits.append(_replace_d(into, lambda _: path))
    into.raw[0] = _pairs(path)
    old = out_of.raw[0]
    begin = _plus(old[0], move)
    if len(old) == 4:  # one curve: drawn again from the new place, arriving as before
        third = (old[3][axis] - begin[axis]) / 3
        lead = (begin[0] + third, begin[1]) if axis == 0 else (begin[0], begin[1] + third)
        path = f"M{_pt(begin)}C{_pt(lead)} {_pt(old[2])} {_pt(old[3])}"
        edits.append(_replace_d(out_of, lambda _: path))
        out_of.raw[0] = _pairs(path)
    else:  # a longer route: a piece from the new place to where Graphviz's line starts
        piece = _s_curve(begin, old[0], axis)
        edits.append(_replace_d(out_of, lambda d: piece + re.sub(rf"^M\s*{_NUM},{_NUM}\s*", "", d)))
        out_of.raw[0] = _pairs(piece) + old[1:]
    return edits


def _s_curve(begin: Point, end: Point, axis: int) -> str:
    """A path from ``begin`` to ``end`` that leaves and arrives along the flow (a straight
    line when both are level)."""
    if axis == 0:
        half = (end[0] - begin[0]) / 2
        c1, c2 = (begin[0] + half, begin[1]), (end[0] - half, end[1])
    else:
        half = (end[1] - begin[1]) / 2
        c1, c2 = (begin[0], begin[1] + half), (end[0], end[1] - half)
    return f"M{_pt(begin)}C{_pt(c1)} {_pt(c2)} {_pt(end)}"


def _plus(p: Point, move: Point) -> Point:
    return (p[0] + move[0], p[1] + move[1])


def _replace_d(edge: _Item, change: Callable[[str], str]) -> tuple[int, int, str]:
    """The edit that rewrites the path (``d``) of ``edge`` with ``change(d)``."""
    m = re.search(r' d="([^"]*)"', edge.body)
    assert m is not None  # an edge with a drawn line (checked by the caller)
    body = edge.body[: m.start(1)] + change(m.group(1)) + edge.body[m.end(1) :]
    return edge.start, edge.end, body


def _shift_shapes(body: str, dx: float, dy: float) -> str:
    """Every coordinate of a node's shapes and texts moved by (dx, dy)."""

    def pairs(m: re.Match[str]) -> str:
        moved = _PAIR.sub(lambda p: _pt((float(p.group(1)) + dx, float(p.group(2)) + dy)), m[2])
        return f' {m[1]}="{moved}"'

    body = _POINTS.sub(pairs, body)
    body = _ELLIPSE.sub(
        lambda m: (
            f'cx="{_num(float(m[1]) + dx)}" cy="{_num(float(m[2]) + dy)}" rx="{m[3]}" ry="{m[4]}"'
        ),
        body,
    )
    return _TEXT_XY.sub(
        lambda m: f"{m[1]}{_num(float(m[2]) + dx)}{m[3]}{_num(float(m[4]) + dy)}{m[5]}", body
    )


def _num(x: float) -> str:
    """A coordinate as Graphviz writes them: two decimals at most, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pt(p: Point) -> str:
    return f"{_num(p[0])},{_num(p[1])}"
