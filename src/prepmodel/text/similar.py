"""Close spellings for "did you mean …?" hints (GP01 names, AT01 keys, `--goal`).

One measure for every hint, so that a suggestion always means the same thing: the better of
the Damerau-Levenshtein similarity of the two texts (typos: a letter wrong, missing, extra
or two swapped) and rapidfuzz's ``token_sort_ratio`` (the same words in another order), on
case-folded text.  A candidate is offered only when at least two thirds of it agrees
(:data:`SIMILARITY`); "qty" is not close to "by", "Move pack" is not close to "Move".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["SIMILARITY", "closest"]

#: The least score (0-100) at which a candidate is suggested.
SIMILARITY = 66.0


def closest(
    text: str, candidates: Sequence[str], processor: Callable[[str], str] | None = None
) -> str | None:
    """The candidate closest to ``text`` when it is similar enough, else ``None``.

    ``processor`` normalises both sides before comparing (e.g. a name's identity); the
    result is the candidate as given.  Ties go to the candidate listed first.
    """
    if not candidates:
        return None
    from rapidfuzz import fuzz, process  # imported only when a finding needs a hint
    from rapidfuzz.distance import DamerauLevenshtein

    def prepare(value: str) -> str:
        return (processor(value) if processor else value).casefold()

    query = prepare(text)
    typo = process.extractOne(
        query,
        candidates,
        scorer=DamerauLevenshtein.normalized_similarity,
        processor=prepare,
        score_cutoff=SIMILARITY / 100,
    )
    order = process.extractOne(
        query, candidates, scorer=fuzz.token_sort_ratio, processor=prepare, score_cutoff=SIMILARITY
    )
    best: tuple[float, int, str] | None = None
    for found, scale in ((typo, 100.0), (order, 1.0)):
        if found is None:
            continue
        choice, score, index = found
        ranked = (score * scale, -int(index), str(choice))
        if best is None or ranked[:2] > best[:2]:
            best = ranked
    return best[2] if best else None
