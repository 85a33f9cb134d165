"""The model built while the file is parsed (`prep diff`'s children, issue #18) is the
model of the whole analysis, and a file it cannot build alone (a syntax error, an
import, no fast parser) is left to the usual analysis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from prepmodel.checks.analysis import analyse_text, streamed_model
from prepmodel.syntax import parser as syntax
from prepmodel.syntax.tree import Statement

from .test_fuzz import mutated_samples
from .test_rule_stages import TEXTS as RULE_TEXTS

# The texts the two stages of the rules are tested on (samples, rule cases, the hostile
# corpus, generated models of both shapes), and a byte-order mark.
TEXTS = [*RULE_TEXTS, ("bom", "\ufeffgoal A\nA <- B\n")]


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[t[0] for t in TEXTS])
@pytest.mark.parametrize("imports", [True, False], ids=["imports", "alone"])
def test_streamed_model_is_the_analysed_model(name: str, text: str, imports: bool) -> None:
    whole = analyse_text(text, name, rules=False, imports=imports)
    streamed = streamed_model(text, name, imports=imports)
    has_import = any(type(st).__name__ == "ImportStmt" for st in whole.source.statements)
    if whole.diagnostics or (imports and has_import):
        assert streamed is None  # the usual analysis reports the errors, reads the imports
        return
    assert streamed is not None
    assert streamed == whole.model
    assert list(streamed.deliverables) == list(whole.model.deliverables)
    assert [r.span for r in streamed.routes] == [r.span for r in whole.model.routes]


def test_the_samples_build_streamed() -> None:
    """Not only None: every sample without an import builds this way."""
    built = [n for n, t in TEXTS if n.endswith(".prep") and streamed_model(t, n) is not None]
    assert "restaurant.prep" in built and "cs-journey.prep" in built
    assert "onboarding-jp.prep" not in built  # it imports a pattern file
    assert streamed_model("import p.prep\ngoal A\n", "x.prep", imports=False) is not None


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_samples())
def test_streamed_model_on_mutated_samples(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    whole = analyse_text(text, "m.prep", rules=False, imports=False)
    streamed = streamed_model(text, "m.prep", imports=False)
    if whole.diagnostics:
        assert streamed is None
    else:
        assert streamed == whole.model


def test_stream_keeps_no_statement() -> None:
    """Each statement goes to the sink once, in order, and the parse returns no list."""
    text = "goal A\nA <- B; B <- C\n\nexternal C\n"
    seen: list[Statement] = []
    assert syntax.stream(text, seen.append) is True
    assert seen == list(syntax.parse(text).statements)


def test_stream_says_no_on_a_syntax_error_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Statement] = []
    assert syntax.stream("goal A\nA <- B\nB <- \n", seen.append) is False
    assert len(seen) <= 2  # what was complete before the error
    monkeypatch.setattr(syntax, "_tables", lambda: None)
    assert syntax.stream("goal A\n", seen.append) is False
    assert streamed_model("goal A\nA <- B\n", "x.prep") is None


def test_an_exception_in_the_sink_ends_the_parse() -> None:
    class Stop(Exception):
        pass

    def sink(_st: Statement) -> None:
        raise Stop

    with pytest.raises(Stop):
        syntax.stream("goal A\nA <- B\n", sink)
    # the parser's shared state is reset: the next parse is as usual
    assert [type(s).__name__ for s in syntax.parse("goal A # c\n").statements] == ["DeclStmt"]
    assert [c.text for c in syntax.parse("goal A # c\n").comments] == ["# c"]
