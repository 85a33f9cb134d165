"""Write the hostile corpus (tests/hostile/corpus/*.prep): run it after changing a case.

Each file is one kind of attack or malformed input found by the adversarial run of
issue #17; ``test_corpus.py`` runs every command on every file.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "corpus"

CASES: dict[str, bytes] = {
    "terminal-escapes.prep": (
        b'goal "Report\x1b]0;pwned\x07"\n'
        b'"Report\x1b]0;pwned\x07" <- "x\x1b[1G::error::fake", Data\x1b[2J\n'
        b'external Data\x1b[2J, "b\x08\x08ok"\n'
    ),
    "cr-in-name.prep": b'goal G\nG <- "x\r::error::fake"\nexternal "x\r::error::fake"\n',
    "nul.prep": b"goal G\x00\nG <- A\nexternal A\n",
    "utf16-nobom.prep": "goal G\nG <- A\nexternal A\n".encode("utf-16-le"),
    "utf16-bom.prep": "goal G\nG <- A\nexternal A\n".encode("utf-16"),
    "classic-mac.prep": b"goal G\rG <- A\rexternal A\r",
    "invalid-utf8.prep": b"goal G\nG <- \xff\xfe\nexternal A\n",
    "entities.prep": (
        b'model "R&amp;D <b>board</b>"\n'
        b'goal "R&amp;D"\n'
        b'"R&amp;D" <- "&lt;tag&gt;", "&#x1b;", "&#x8;", "&#xFFFE;", "&#xD800;", "\\\\N", '
        b'"\\\\G", "\\\\E", "b\\\\\\\\" { work: "&#0;"; by: "<script>alert(1)</script>" }\n'
        b'external "&lt;tag&gt;", "&#x1b;", "&#x8;", "&#xFFFE;", "&#xD800;", "\\\\N", "\\\\G", '
        b'"\\\\E", "b\\\\\\\\"\n'
    ),
    "formula.prep": (
        'goal "=HYPERLINK(\\"http://x\\",\\"y\\")"\n'
        '"=HYPERLINK(\\"http://x\\",\\"y\\")" <- "=cmd|\' /C calc\'!A0", "+1+1", '
        '"-2+3", "@SUM(A1)", "\tTab", "＝全角" { work: "=1+1"; by: "@admin" }\n'
        'external "=cmd|\' /C calc\'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab", '
        '"＝全角"\n'
    ).encode(),
    "markdown-html.prep": (
        b'goal "<img src=x onerror=alert(1)>"\n'
        b'"<img src=x onerror=alert(1)>" <- "<script>alert(2)</script>", "[link](javascript:'
        b'alert(3))", "a|b", "@octocat" { work: "<iframe src=javascript:alert(4)>" }\n'
        b'deliverable "<img src=x onerror=alert(1)>" { kpi: "<b>bold</b> & @team" }\n'
        b'external "<script>alert(2)</script>", "[link](javascript:alert(3))", "a|b", '
        b'"@octocat"\n'
    ),
    "ignore-join.prep": (b"goal Top\nTop <- A, Gap1,\n  Gap2 # prep: ignore[GP01]\nexternal A\n"),
    "bidi-and-wide.prep": (
        'goal "abc\u202edcba"\n"abc\u202edcba" <- 受注　処理, "ｘ"\nexternal 受注, "ｘ"\n'
    ).encode(),
    "unclosed.prep": b'goal "G\nG <- { work: \nexternal\n"',
    "deep-groups.prep": (
        "goal G\nG <- g0\n"
        + "".join(f"group g{i} = g{i + 1}, x{i}\n" for i in range(300))
        + "group g300 = y\nexternal y, "
        + ", ".join(f"x{i}" for i in range(300))
        + "\n"
    ).encode(),
    "group-loop.prep": b"goal G\nG <- K\ngroup K = A, L\ngroup L = K, B\nexternal A, B\n",
    "empty.prep": b"",
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in CASES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
