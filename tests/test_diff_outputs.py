"""`prep diff` outputs (issue #12, "Outputs"): journey lines said once for the goals they
concern, route-dependent steps in the renumbering, and the union diagram (step junctions,
legend, phase bands) written as .svg, .png, .pdf, .html or .dot like `prep render`."""

from __future__ import annotations

import json
from pathlib import Path

from prepmodel.checks.analysis import analyse_text
from prepmodel.review.diff import ModelDiff, semantic_diff
from prepmodel.review.report import format_diff

from .conftest import CASES, run_prep

ONBOARDING = CASES / "diff" / "onboarding-ja"

# Two goals; "Cooked dish" and "Ready meal" are needed on some routes only (route-dependent).
MEAL = """\
goal Meal, "Happy regular"
external Choice, Menu, Ingredients
Meal <- "Cooked dish" { work: Serve }
Meal <- "Ready meal" { work: "Hand over" }
"Happy regular" <- Meal { work: "Say goodbye" }
"Order slip" <- Choice, Menu { work: "Take the order" }
"Cooked dish" <- "Order slip", Ingredients { work: Cook }
"Ready meal" <- "Order slip" { work: "Warm up" }
"""
COOK = '"Cooked dish" <- "Order slip", Ingredients { work: Cook }\n'
WARM = '"Ready meal" <- "Order slip" { work: "Warm up" }\n'


def sdiff(old: str, new: str) -> ModelDiff:
    return semantic_diff(analyse_text(old, "old.prep"), analyse_text(new, "new.prep"))


def journey_section(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[lines.index("journey:") + 1 :]


def test_route_dependent_steps_are_renumbered() -> None:
    d = sdiff(MEAL, MEAL.replace(COOK + WARM, WARM + COOK))
    assert not d.empty  # `prep diff --exit-code` sees the new numbers
    moved = {(e.name, e.old_step, e.new_step) for g in d.journey for e in g.events}
    assert moved == {("Ready meal", 3, 2), ("Cooked dish", 2, 3)}
    assert journey_section(format_diff(d)) == [
        "  Happy regular, Meal: steps renumbered: Ready meal 3 → 2, Cooked dish 2 → 3"
    ]


def test_shared_journey_lines_are_said_once_with_the_goals() -> None:
    d = sdiff(
        (ONBOARDING / "old.prep").read_text(encoding="utf-8"),
        (ONBOARDING / "new.prep").read_text(encoding="utf-8"),
    )
    assert len(d.journey) == 2  # both goals are affected ...
    lines = journey_section(format_diff(d))
    assert lines == [  # ... and the change is said once
        "  定着した顧客業務, 更新契約: steps renumbered: 新業務フロー図 4 → 2, "
        "トレーニング資料 5 → 3, 導入計画書 2 → 4, 設定済みテナント 3 → 5"
    ]
    md = format_diff(d, "markdown")
    impact = md[md.index("#### Journey impact") :].splitlines()[2:]
    assert impact == [
        "- **定着した顧客業務**, **更新契約**: steps renumbered: 新業務フロー図 4 → 2, "
        "トレーニング資料 5 → 3, 導入計画書 2 → 4, 設定済みテナント 3 → 5"
    ]
    # JSON keeps one entry per goal for machines
    data = json.loads(format_diff(d, "json"))
    assert [g["goal"] for g in data["journey"]] == ["定着した顧客業務", "更新契約"]


def test_partly_shared_changes_split_by_goal() -> None:
    old = (
        MEAL.replace('"Happy regular" <- Meal {', '"Happy regular" <- Meal, Feedback {')
        + "external Feedback\n"
    )
    new = old.replace(
        "external Feedback\n", "Feedback <- Survey { work: Collect }\nexternal Survey\n"
    )
    new = new.replace(COOK + WARM, WARM + COOK)
    lines = journey_section(format_diff(sdiff(old, new)))
    # what only one goal sees is said for that goal, what both see once for both
    assert lines == [
        "  Happy regular: new checkpoint Feedback (step 5)",
        "  Happy regular, Meal: steps renumbered: Ready meal 3 → 2, Cooked dish 2 → 3",
        "  Happy regular: steps renumbered: Happy regular 5 → 6",
    ]


def test_cli_text_says_each_journey_line_once(tmp_path: Path) -> None:
    old, new = str(ONBOARDING / "old.prep"), str(ONBOARDING / "new.prep")
    r = run_prep("diff", old, new, "--lang", "en")
    assert r.returncode == 0, r.stderr.decode()
    text = r.stdout.decode("utf-8")
    assert text.count("steps renumbered") == 1
    assert "  定着した顧客業務, 更新契約: steps renumbered:" in text
    # the model's own language (lang: ja) says it once too
    text = run_prep("diff", old, new).stdout.decode("utf-8")
    assert text.count("手順番号の変更") == 1
    assert "  定着した顧客業務, 更新契約: 手順番号の変更：" in text


# --- the union diagram --------------------------------------------------------------------
RESTAURANT = (CASES / "diff" / "formatting-only" / "old.prep").read_text(encoding="utf-8")
MENU_ROUTE = '"Order slip" <- "Customer\'s choice", Menu { work: "Take the order"; by: Waiter }'


def picture(d: ModelDiff, fmt: str = "svg") -> str:
    from prepmodel.review.diff_picture import render_diff

    return render_diff(d, fmt).data.decode("utf-8").replace("&#45;", "-")


def parse_svg(svg: str) -> tuple[dict[str, tuple[str, list[str]]], list[tuple[str, str, str]]]:
    """Graphviz's SVG as {dot id: (class, texts)} and [(tail, head, class)]."""
    import html
    import re

    nodes: dict[str, tuple[str, list[str]]] = {}
    edges: list[tuple[str, str, str]] = []
    for match in re.finditer(
        r'<g id="[^"]*" class="(node|edge)([^"]*)"[^>]*>\s*<title>([^<]*)</title>(.*?)</g>',
        svg,
        flags=re.S,
    ):
        kind, cls, title, body = match.groups()
        title = html.unescape(title)
        if kind == "node":
            texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body)]
            nodes[title] = (cls.strip(), texts)
        else:
            tail, head = title.split("->")
            edges.append((tail, head.split(":")[0], cls.strip()))
    return nodes, edges


def junction(nodes: dict[str, tuple[str, list[str]]], label: str) -> tuple[str, str]:
    """The dot id and class of the junction labelled ``label``."""
    (found,) = [(k, c) for k, (c, t) in nodes.items() if c.startswith("junction") and t == [label]]
    return found


def name_id(nodes: dict[str, tuple[str, list[str]]], name: str) -> str:
    (found,) = [k for k, (c, t) in nodes.items() if c.startswith("deliverable") and t[0] == name]
    return found


def test_added_alternative_route_looks_different_from_an_added_input() -> None:
    gained = sdiff(RESTAURANT, RESTAURANT.replace('Menu { work: "Take', 'Menu, Pen { work: "Take'))
    nodes, edges = parse_svg(picture(gained))
    jid, cls = junction(nodes, "1.a")
    assert cls == "junction diff-route-changed"  # the route is still there, changed
    pen = name_id(nodes, "Pen")
    assert (pen, jid, "input diff-added") in edges  # the new input is a green line
    assert not any("diff-route-added" in c for c, _ in nodes.values())

    routed = sdiff(
        RESTAURANT, RESTAURANT.replace(MENU_ROUTE, MENU_ROUTE + '\n"Order slip" <- Phone')
    )
    nodes, edges = parse_svg(picture(routed))
    jid, cls = junction(nodes, "1.b")  # new numbering: the Tablet route is 1.c now
    assert cls == "junction diff-route-added"  # a junction of its own, drawn green
    assert (name_id(nodes, "Phone"), jid, "input diff-added") in edges
    for label in ("1.a", "1.c"):  # the other routes are as they were
        assert junction(nodes, label)[1] == "junction diff-route-same"
    slip = name_id(nodes, "Order slip")
    assert (jid, slip, "output diff-added") in edges


def test_removed_route_keeps_its_old_number_in_red() -> None:
    d = sdiff(RESTAURANT, RESTAURANT.replace(MENU_ROUTE + "\n", ""))
    nodes, edges = parse_svg(picture(d))
    jid, cls = junction(nodes, "1.a")  # old numbering: it is gone from the new file
    assert cls == "junction diff-route-removed"
    assert (name_id(nodes, "Menu"), jid, "input diff-removed") in edges


def test_legend_shows_only_what_the_picture_uses() -> None:
    import re

    gained = sdiff(RESTAURANT, RESTAURANT.replace('Menu { work: "Take', 'Menu, Pen { work: "Take'))
    svg = picture(gained)
    (entries,) = re.findall(r'<g id="legend" class="legend" data-entries="([^"]*)"', svg)
    assert entries.split() == [
        "same",
        "added",
        "changed",
        "junction",
        "route-changed",
        "input-added",
    ]
    assert ">input added</text>" in svg and ">route added</text>" not in svg
    # the legend is below the picture, inside the document's size
    height = float(re.search(r'<svg width="[\d.]+pt" height="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    top = float(re.search(r'<g transform="translate\(0,([\d.]+)\)"><g id="legend"', svg).group(1))  # type: ignore[union-attr]
    assert 0 < top < height


def test_phase_bands_and_japanese_legend() -> None:
    old = (ONBOARDING / "old.prep").read_text(encoding="utf-8")
    new = (ONBOARDING / "new.prep").read_text(encoding="utf-8")
    new = "\n".join(line for line in new.splitlines() if not line.startswith("phase Renew"))
    svg = picture(sdiff(old, new + "\n"))
    nodes, _ = parse_svg(svg)
    import re

    bands = re.findall(
        r'<g id="clust\d+" class="cluster phase (diff-\w+)">\s*<title>[^<]*</title>.*?'
        r"<text[^>]*>([^<]*)</text>",
        svg,
        flags=re.S,
    )
    assert bands == [
        ("diff-same", "1. Land"),
        ("diff-same", "2. Adopt"),
        ("diff-same", "3. Expand"),
        ("diff-removed", "− 4. Renew"),
    ]
    assert ">凡例</text>" in svg and ">フェーズ（+ 追加、− 削除）</text>" in svg
    assert "手順 5" in nodes[name_id(nodes, "設定済みテナント")][1]


def test_cli_writes_png_pdf_html_svg_and_dot(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    old, new = str(ONBOARDING / "old.prep"), str(ONBOARDING / "new.prep")
    for ext in ("svg", "png", "pdf", "html", "dot"):
        r = run_prep("diff", old, new, "-o", str(tmp_path / f"d.{ext}"))
        assert r.returncode == 0, (ext, r.stderr.decode())
    with Image.open(tmp_path / "d.png") as image:
        rgb = image.convert("RGB")
        assert rgb.width > 1000 and rgb.height > 300
        colours = {colour for _, colour in rgb.getcolors(maxcolors=1 << 20) or []}
    assert (0x2F, 0x85, 0x5A) in colours  # the added input's green line
    assert (0xB7, 0x79, 0x1F) in colours  # the changed route's amber junction
    text = PdfReader(tmp_path / "d.pdf").pages[0].extract_text()
    for word in ("設定代行依頼書", "成功定義シート", "凡例", "5.b"):
        assert word in text
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert '<figure id="diagram"><svg' in page and '<g id="legend"' in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    ).replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "").replace(
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd", ""
    )
    assert "<td>定着した顧客業務, 更新契約</td><td>steps renumbered:" in page
    assert '<td class="renamed">名前の変更</td><td>成功定義書 → 成功定義シート</td>' in page
    assert "digraph prep_diff" in (tmp_path / "d.dot").read_text(encoding="utf-8")
    r = run_prep("diff", old, new, "-o", str(tmp_path / "d.jpg"))
    assert r.returncode == 2 and b".svg, .png, .pdf, .html or .dot" in r.stderr


def test_diagram_is_deterministic() -> None:
    d = sdiff(
        (ONBOARDING / "old.prep").read_text(encoding="utf-8"),
        (ONBOARDING / "new.prep").read_text(encoding="utf-8"),
    )
    assert picture(d) == picture(d)


def test_hostile_names_keep_the_diagram_and_page_well_formed() -> None:
    import xml.etree.ElementTree as ET
    from html.parser import HTMLParser

    from prepmodel.review.diff_picture import render_diff

    evil = '</svg><script>alert(1)</script> & \\N "x"'
    quoted = '"' + evil.replace("\\", "\\\\").replace('"', '\\"') + '"'
    old = f'model {quoted}\ngoal Done\nDone <- {quoted} {{ work: "<!--"; by: "a&b" }}\n'
    new = old + f"Done <- Other {{ work: {quoted} }}\nexternal {quoted}, Other\n"
    d = sdiff(old, new)
    assert d.new.syntax_ok and d.new.model.title == evil
    svg = render_diff(d, "svg").data
    root = ET.fromstring(svg)  # well-formed, one document
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script>" in texts and "\\N" in texts  # shown as text ...
    assert root.find(".//{http://www.w3.org/2000/svg}script") is None  # ... never as markup
    page = render_diff(d, "html").data.decode("utf-8")

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.seen.append(tag)

    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.seen


def test_route_dependent_that_becomes_a_checkpoint_says_its_old_step() -> None:
    d = sdiff(MEAL, MEAL.replace('Meal <- "Cooked dish" { work: Serve }\n', ""))
    lines = journey_section(format_diff(d))
    assert (
        "  Happy regular, Meal: new checkpoint Ready meal (step 2) (was route-dependent, step 3)"
        in lines
    )
