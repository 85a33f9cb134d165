"""Tell deliverable names that read like actions from names that read like nouns (lint NM01).

In the deliverable perspective (PReP) a deliverable is a *thing that must exist*, named by a
noun phrase ("Order slip", "導入計画書"); the activity that produces it is a verb ("Take
order", "計画策定").  :func:`action_like` returns a :class:`NamingFinding` when a name reads as
an action, with a short reason and, where one can be built, a noun form to suggest.

English is analysed with small hand-written lexicons (base verbs and their past participles,
words that are both noun and verb, activity nominals, gerunds that are ordinary nouns), kept
as plain data in :mod:`prepmodel.checks.lexicon`.
Japanese is analysed with SudachiPy and ``sudachidict_small``; both are imported lazily, and
only when a name contains kana or kanji, so importing this module stays cheap.

Decisions for ambiguous words (see also ``benchmarks/naming_labelled.tsv``):

* A single word that is primarily a noun is fine: "Plan", "Report", "Order", "Invoice", "Bill".
  "Review" and "Check" alone are treated as activities (their deliverables are "review notes",
  "reviewed X").  Event nouns ("Meeting", "Kickoff", "Workshop", 会議, キックオフ) are nouns.
* A bare gerund ("Cooking", "Onboarding") or a compound headed by one ("Customer onboarding")
  is an activity; a gerund modifying a result noun ("Onboarding checklist") is not.
* A word that is both noun and verb, with no determiner after it, is a modifier when the name
  ends in a document, artefact or budget noun ("Service contract", "Draft budget", "Call
  centre budget") or, in three words or more, in a singular plain noun ("Store customer's
  current process").  Two words ("Book table") or a plural plain object ("Order ingredients")
  keep the imperative reading.  "Estimate project budget" is therefore read as a noun.
* A trailing number that tells same-named deliverables apart ("Invoice 2", "見積書02") is
  ignored.
* Japanese: a name whose last word is a verb (作成する, 作る, 送付しました), ends in 〜こと
  after a verb, or ends in an activity noun (サ変可能 such as 作成, 設計, 確認; 〜化; katakana
  gerunds such as ヒアリング) is an activity.  サ変 nouns that usually denote a result (計画,
  契約, 注文, 提案, レポート, リスト …), event nouns (会議, 面談) and loanwords for containers,
  media and copies (セット, パック, ノート, ファイル, コピー) are exempt, and a relative clause in
  front ("合意された成功定義") makes the phrase a noun.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from prepmodel.checks.lexicon import (
    ACTIVITY_NOMINALS,
    COMPOUND_VERBS,
    COPULAS,
    DETERMINERS,
    DOCUMENT_ENDINGS,
    DOCUMENT_HEADS,
    DOUBLING,
    FIXED_NOUNS,
    IRREGULAR,
    JA_ACTIVITY_NOUNS,
    JA_LOAN_THINGS,
    JA_NO_DONE_FORM,
    JA_NOT_OBJECTS,
    JA_NOUN_INGS,
    JA_OTHER_PARTICLES,
    JA_RESULT_NOUNS,
    JA_RESULT_OF,
    JA_STAGE_PREFIXES,
    JA_STEM_NOUNS,
    MODIFIER_GERUNDS,
    MODIFIER_VERBS,
    NOUN_INGS,
    NOUN_VERBS,
    PARTICLES,
    PREPOSITIONS,
    REGULAR_VERBS,
    RESULT_HEADS,
    RESULT_SUFFIXES,
    SINGLE_ACTIONS,
    THING_HEADS,
)
from prepmodel.text.i18n import msg
from prepmodel.text.morphology import sudachi_tokenizer

__all__ = ["NamingFinding", "action_like"]


@dataclass(frozen=True)
class NamingFinding:
    """Why a name reads as an action, and a noun form to use instead (if one can be made)."""

    reason: str
    suggestion: str | None


def action_like(name: str) -> NamingFinding | None:
    """Return a finding when ``name`` reads as an action (a verb phrase), else ``None``.

    The name is NFKC-normalised and white space is collapsed first, so spellings with the
    same identity get the same answer.  Results are cached per name.
    """
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    if not text:
        return None
    return _classify(text)


# A number that only tells same-named deliverables apart ("Invoice 2", "Test plan v3",
# "見積書02", "Budget (2)"), not a digit ending a word ("Q3", "Win32").
_NUMBERING_RE = re.compile(
    r"(?:[\s_#-]+|(?<![A-Za-z\s_#-]))\(?(?:v|no\.?\s*)?\d+(?:\.\d+)*\)?"
    r"(?:[\s_#-]*\(?\d+(?:\.\d+)*\)?)*\Z",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=65536)
def _classify(text: str) -> NamingFinding | None:
    # A trailing number does not change what the name is: judge "Invoice 2" as "Invoice", and
    # give it back to the suggestion ("Budget migration 2" -> "Migrated budget 2").
    core = _NUMBERING_RE.sub("", text) or text
    number = text[len(core) :]
    finding = _japanese(core) if _JAPANESE_RE.search(core) else _english(core)
    if finding is None or finding.suggestion is None:
        return finding
    if not _sensible(finding.suggestion, core):
        return NamingFinding(finding.reason, None)  # no suggestion rather than a bad one
    if number:
        return NamingFinding(finding.reason, finding.suggestion + number)
    return finding


# Words a noun phrase cannot start with: "Shortlisted of premises", "Inspected and adapt".
_NO_START = frozenset({"of", "and", "or", "nor", "but", "to", "as", "than"})


# Verbs whose participle makes no noun phrase: "Gone live", "Gone no-go decision".
_NO_PARTICIPLE = frozenset({"gone", "been", "got"})
# Endings of adjectives, which a participle cannot take as its object: a suggestion that ends
# in one ("Submitted ministerial", "Reviewed post-incident") was built from a modifier.
_ADJECTIVE_ENDINGS = ("ial", "ive", "ous", "ical", "-incident", "-term")


def _sensible(suggestion: str, name: str) -> bool:
    """Whether a suggested noun form is worth showing: not the name itself (in another case
    or spacing), not a phrase whose second word is a function word, not a participle of "go",
    not ending in an adjective."""
    if " ".join(suggestion.casefold().split()) == " ".join(name.casefold().split()):
        return False
    words = suggestion.casefold().split()
    if len(words) > 1 and words[1] in _NO_START:
        return False
    if words and words[0] in _NO_PARTICIPLE:
        return False
    last = words[-1] if words else ""
    return not (
        last.endswith(_ADJECTIVE_ENDINGS)
        and last not in RESULT_HEADS
        and _singular(last) not in DOCUMENT_HEADS
    )


# ---------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------


def _participle(base: str) -> str:
    if base in IRREGULAR:
        return IRREGULAR[base]
    if base in DOUBLING:
        return base + base[-1] + "ed"
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


_VERBS: dict[str, str] = {v: _participle(v) for v in REGULAR_VERBS}
_VERBS.update(IRREGULAR)
_PARTICIPLES = frozenset(_VERBS.values())

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _gerund_base(word: str, *, verb_context: bool = False) -> str | None:
    """The base verb of a gerund ("setting" -> "set"), or ``None`` if it is not one.

    -ing words that are ordinary nouns ("building") count only in ``verb_context``, that is
    before a particle or a determiner ("Setting up tenant").
    """
    if not word.endswith("ing") or len(word) < 5 or (word in NOUN_INGS and not verb_context):
        return None
    stem = word[:-3]
    candidates = [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])
    for cand in candidates:
        if cand in _VERBS:
            return cand
    return None


def _is_participle(word: str) -> bool:
    if word in _PARTICIPLES:
        return True
    if not word.endswith("ed"):
        return False
    return any(stem in _VERBS for stem in (word[:-2], word[:-1], word[:-3], word[:-3] + "y"))


def _singular(word: str) -> str:
    """A plain English singular for a regular plural ("registers" -> "register"), else the word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_plural(word: str) -> bool:
    return _singular(word) != word


def _is_result_head(word: str) -> bool:
    """A noun that a preceding noun/verb word or gerund modifies: "Order slip", "Price lists"."""
    if word in RESULT_HEADS:
        return True
    one = _singular(word)
    if one in ACTIVITY_NOMINALS:
        return False
    return (
        one in DOCUMENT_HEADS
        or one.endswith(RESULT_SUFFIXES)
        or any(one.endswith(e) and len(one) > len(e) + 2 for e in DOCUMENT_ENDINGS)
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uncap(word: str) -> str:
    """Lower-case a word capitalised only as the first of a name ("Data"), keep "CRM"."""
    return word.lower() if word[:1].isupper() and word[1:].islower() else word


def _en_suggestion(verb: str, rest: Sequence[str]) -> str | None:
    """Build a noun phrase from an action: "take" + ["the", "order"] -> "Taken order"."""
    base, _, particle = verb.partition(" ")
    words = list(rest)
    if not particle and words and words[0].lower() in PARTICLES:
        particle = words.pop(0).lower()
    obj: list[str] = []
    tail: list[str] = []
    for i, w in enumerate(words):
        if w.lower() in PREPOSITIONS:
            tail = words[i:]
            break
        if w.lower() not in DETERMINERS:
            obj.append(w)
    if not obj:
        return None
    participle = _VERBS.get(base, _participle(base))
    obj = [_uncap(w) for w in obj]
    if particle:
        parts = [*obj, participle, particle, *tail]
    elif tail:
        parts = [*obj, participle, *tail]
    elif participle == base:
        return None  # "Run tests" reads as the same imperative
    else:
        parts = [participle, *obj]
    return _cap(" ".join(parts))


def _english(text: str) -> NamingFinding | None:
    if " " not in text:
        text = _CAMEL_RE.sub(" ", text.replace("_", " "))
    words = _WORD_RE.findall(text.replace("_", " "))
    if not words:
        return None
    low = [w.lower() for w in words]
    first = low[0]

    if first == "to" and len(low) > 1 and low[1] in _VERBS:
        return NamingFinding(
            msg("starts with the infinitive 'to {verb}'", verb=low[1]),
            _en_suggestion(low[1], words[2:]),
        )
    if first in DETERMINERS:
        return _english_head(words[1:], low[1:])

    nxt = low[1] if len(low) > 1 else None
    if " ".join(low[:2]) in FIXED_NOUNS:
        return _english_head(words, low)
    base = _gerund_base(first, verb_context=nxt in PARTICLES or nxt in DETERMINERS)
    if base is not None:
        if nxt is None:
            return NamingFinding(msg("is the gerund '{word}'", word=first), None)
        if (
            nxt in PARTICLES
            or nxt in DETERMINERS
            or first not in MODIFIER_GERUNDS
            or not _is_result_head(low[-1])
        ):
            return NamingFinding(
                msg("starts with the gerund '{word}'", word=first), _en_suggestion(base, words[1:])
            )
        return _english_head(words, low)

    if first in _VERBS:
        if nxt is not None and _classifies_document(low):
            return _english_head(words, low)  # "Deploy script", "Shortlist of premises"
        if first not in NOUN_VERBS:
            return NamingFinding(
                msg("starts with the verb '{word}'", word=first), _en_suggestion(first, words[1:])
            )
        if len(low) == 1:
            if first in SINGLE_ACTIONS:
                return NamingFinding(msg("is the activity word '{word}'", word=first), None)
            return None
        nxt = low[1]
        if _is_participle(low[-1]):
            return None  # postpositive participle: "Invoice sent", "Order taken"
        verb_context = nxt in DETERMINERS or nxt in PARTICLES or nxt.isdigit()
        if not verb_context and nxt not in PREPOSITIONS and first not in MODIFIER_VERBS:
            verb_context = _bare_object(low)
        if verb_context:
            return NamingFinding(
                msg("starts with the verb '{word}'", word=first), _en_suggestion(first, words[1:])
            )

    # A finite verb inside a clause: "Chef cooks the meal".
    for i in range(1, len(low) - 1):
        w = low[i]
        if w.endswith("s") and low[i + 1] in DETERMINERS:
            stem = w[:-2] if w.endswith("es") and w[:-2] in _VERBS else w[:-1]
            if stem in _VERBS:
                return NamingFinding(
                    msg("contains the verb '{word}'", word=w), _en_suggestion(stem, words[i + 1 :])
                )
    return _english_head(words, low)


def _is_document_head(word: str) -> bool:
    """A document, artefact or result noun (not merely a noun with a result suffix)."""
    one = _singular(word)
    if one in ACTIVITY_NOMINALS or word in ACTIVITY_NOMINALS:
        return False
    return (
        word in RESULT_HEADS
        or one in RESULT_HEADS
        or one in DOCUMENT_HEADS
        or any(one.endswith(e) and len(one) > len(e) + 2 for e in DOCUMENT_ENDINGS)
    )


def _classifies_document(low: Sequence[str]) -> bool:
    """Whether a name that starts with a verb is a noun compound headed by a document or
    result noun, the verb classifying it: "Deploy script", "Build artifacts", "Inspect and
    adapt report", "Load test environment"; or a document noun with an of-phrase:
    "Shortlist of premises", "Outline of the plan"."""
    first = low[0]
    if len(low) > 2 and low[1] == "of":
        return first in DOCUMENT_HEADS or first in RESULT_HEADS
    if first not in COMPOUND_VERBS:
        return False
    if low[1] in DETERMINERS or low[1] in PARTICLES or low[1] in PREPOSITIONS:
        return False  # "Run the book", "Load up the van"
    if "of" in low[1:] or low[-1] in THING_HEADS:
        return False
    return _is_document_head(low[-1])


def _bare_object(low: Sequence[str]) -> bool:
    """Whether the words after a noun/verb first word read as its object, with no determiner.

    A document or result noun at the end makes a noun compound ("Service contract", "Call
    centre budget"); so does a longer compound ending in a singular plain noun ("Store
    customer's current process"), where the first word is a modifier.  Activity heads ("Stock
    check") are judged by :func:`_english_head`.  What remains is a telegraphic imperative: one
    plain noun ("Book table") or a plural object ("Order ingredients", "Book meeting rooms").
    """
    head = low[-1]
    if _is_result_head(head) or head in ACTIVITY_NOMINALS or _gerund_base(head) is not None:
        return False
    return len(low) == 2 or _is_plural(head)


def _english_head(words: Sequence[str], low: Sequence[str]) -> NamingFinding | None:
    """Judge a phrase by its head noun: "Data migration", "Creation of the invoice"."""
    if not low:
        return None
    if "of" in low[1:]:
        k = low.index("of", 1)
        head, modifiers = low[k - 1], [*words[: k - 1], *words[k + 1 :]]
    else:
        head, modifiers = low[-1], list(words[:-1])
    whole = len(low) == 1
    verb = ACTIVITY_NOMINALS.get(head)
    if verb is not None:
        if "of" in low[1:]:
            reason = msg("starts with the activity noun '{word}'", word=head)
        elif whole:
            reason = msg("is the activity noun '{word}'", word=head)
        else:
            reason = msg("ends in the activity noun '{word}'", word=head)
        return NamingFinding(reason, _en_suggestion(verb, modifiers))
    base = _gerund_base(head)
    if base is not None and not whole:
        return NamingFinding(
            msg("ends in the gerund '{word}'", word=head), _en_suggestion(base, modifiers)
        )
    return None


# ---------------------------------------------------------------------------------------------
# Japanese
# ---------------------------------------------------------------------------------------------

_JAPANESE_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ]"
)


class _Morph(NamedTuple):
    """One morpheme (a tuple: made 10,000s of times for a big Japanese model)."""

    surface: str
    pos: tuple[str, ...]
    base: str


def _morphs(text: str) -> list[_Morph]:
    # SudachiPy refuses input over 49,149 bytes; the verdict depends on the end of the name,
    # so a huge name is analysed by its last 4,096 characters (at most 16,384 bytes).
    new = tuple.__new__
    pos = _pos_tuple
    return [
        new(_Morph, (m.surface(), pos(m.part_of_speech_id(), m), m.dictionary_form()))
        for m in sudachi_tokenizer().tokenize(text[-4096:])
    ]


_POS: dict[int, tuple[str, ...]] = {}


def _pos_tuple(pos_id: int, m: Any) -> tuple[str, ...]:
    """The part of speech of ``m`` (whose id is ``pos_id``), one tuple per id."""
    known = _POS.get(pos_id)
    if known is None:
        known = _POS[pos_id] = tuple(m.part_of_speech())
    return known


def _is_activity_noun(m: _Morph) -> bool:
    if m.pos[0] not in ("名詞", "接尾辞"):
        return False
    if m.surface in JA_RESULT_NOUNS or m.base in JA_RESULT_NOUNS:
        return False
    if m.surface in JA_LOAN_THINGS:
        return False
    if m.surface in JA_ACTIVITY_NOUNS:
        return True
    if m.pos[2] == "サ変可能":
        return True
    return (
        m.surface.endswith("ング")
        and m.surface not in JA_NOUN_INGS
        and all("\u30a0" <= c <= "\u30ff" for c in m.surface)
    )


def _ta_form(verb: _Morph) -> str | None:
    """Past (た) form of a plain verb from its dictionary form: 作る -> 作った."""
    base, ctype = verb.base, verb.pos[4]
    if ctype.startswith(("上一段", "下一段")):
        return base[:-1] + "た"
    if ctype.startswith("カ行変格"):
        return base[:-2] + ("来た" if base.endswith("来る") else "きた")
    if ctype.startswith("サ行変格"):
        return base[:-2] + "した"
    if not ctype.startswith("五段"):
        return None
    last = base[-1:]
    if ctype.startswith("五段-カ行"):
        return base[:-1] + ("った" if base.endswith(("行く", "いく")) else "いた")
    table = {
        "ぐ": "いだ",
        "す": "した",
        "つ": "った",
        "る": "った",
        "う": "った",
        "ぬ": "んだ",
        "ぶ": "んだ",
        "む": "んだ",
    }
    return base[:-1] + table[last] if last in table else None


def _object_before(morphs: Sequence[_Morph], end: int) -> str | None:
    """The noun phrase a verb or activity noun at ``morphs[end]`` acts on, if there is one.

    Direct compounds ("資料作成"), を and の objects count; other particles (に, へ, と) do not.
    """
    i = end - 1
    if i >= 0 and morphs[i].pos[0] == "助詞":
        if morphs[i].surface not in ("を", "の"):
            return None
        i -= 1
    j = i
    while j >= 0 and morphs[j].pos[0] in ("名詞", "接尾辞", "接頭辞"):
        j -= 1
    words = morphs[j + 1 : i + 1]
    if not words or all(m.pos[0] == "接頭辞" for m in words):
        return None  # 再審査: a prefix is not an object
    if words[-1].surface in JA_NOT_OBJECTS:
        return None  # 本番デプロイ: how or where, not what
    if i == end - 1 and _katakana(words[-1].surface) and _katakana(morphs[end].surface):
        return None  # フォロー|アップ, ヘルス|チェック: one loanword, not an object and an act
    return "".join(m.surface for m in words)


def _katakana(text: str) -> bool:
    return bool(text) and all("\u30a0" <= c <= "\u30ff" for c in text)


def _ja_suggestion(act: str, obj: str | None, prefix: str) -> str | None:
    """A noun form for activity ``act`` on ``obj``; ``prefix`` is the text before ``act``.

    Known activities get their result noun ("KPI設計" -> "KPI設計書"); otherwise the object
    is marked done ("資料作成" -> "作成済みの資料").  Without an object there is no suggestion.
    """
    if act in JA_RESULT_OF:
        if prefix.endswith("を"):
            prefix = prefix[:-1]
        elif prefix.endswith(JA_OTHER_PARTICLES):
            prefix = ""
        return prefix + JA_RESULT_OF[act]
    if obj and act not in JA_NO_DONE_FORM:
        return f"{act}済みの{obj}"
    return None


def _japanese(text: str) -> NamingFinding | None:
    morphs = _morphs(text)
    # Drop trailing punctuation, spaces, conjunctive and sentence-final particles.
    while morphs and (
        morphs[-1].pos[0] in ("補助記号", "空白")
        or morphs[-1].pos[:2] in (("助詞", "接続助詞"), ("助詞", "終助詞"))
    ):
        morphs.pop()
    if not morphs:
        return None
    last = morphs[-1]

    # 〜すること / 〜する事: a verb nominalised with こと.
    if (
        last.surface in ("こと", "事")
        and len(morphs) > 1
        and morphs[-2].pos[0] in ("動詞", "助動詞")
    ):
        found = _ja_verb_ending(morphs[:-1])
        if found is not None:
            phrase, suggestion = found
            return NamingFinding(
                msg("ends in the nominalised verb {phrase}こと", phrase=phrase), suggestion
            )

    if (
        last.pos[0] == "動詞"
        and last.surface in JA_STEM_NOUNS
        and last.pos[5].startswith("連用形")
        and (len(morphs) == 1 or morphs[-2].pos[0] in ("名詞", "接尾辞", "助詞"))
    ):
        return None  # 申告書控え: the stem names the copy, not the act of keeping one
    if last.pos[0] in ("動詞", "助動詞") and not (last.pos[0] == "助動詞" and last.base in COPULAS):
        found = _ja_verb_ending(morphs)
        if found is not None:
            phrase, suggestion = found
            return NamingFinding(msg("ends in the verb {phrase}", phrase=phrase), suggestion)
        return None

    if not _is_activity_noun(last):
        return None
    end = len(morphs) - 1
    act = last.surface
    if last.pos[0] == "接尾辞":  # 〜化: 標準化, 見える化
        if end == 0:
            return None
        end -= 1
        act = morphs[end].surface + act
    # Start of the noun compound the activity noun ends.
    k = end
    while k > 0 and morphs[k - 1].pos[0] in ("名詞", "接尾辞", "接頭辞"):
        k -= 1
    if (
        k > 0
        and morphs[k - 1].pos[0] in ("動詞", "助動詞")
        and morphs[k - 1].pos[5].startswith("連体形")
    ):
        return None  # a relative clause in front: 合意された成功定義
    if end == 1 and morphs[0].surface in JA_STAGE_PREFIXES:
        return None  # 本審査, 仮審査: the name of a stage
    if any(m.surface in ("済み", "済") for m in morphs[k:end]):
        return None  # 承認済みリリース: what has been done to it, a thing
    obj = _object_before(morphs, end)
    prefix = "".join(m.surface for m in morphs[:end])
    return NamingFinding(
        msg("ends in the activity noun {word}", word=act), _ja_suggestion(act, obj, prefix)
    )


def _ja_verb_ending(morphs: Sequence[_Morph]) -> tuple[str, str | None] | None:
    """For morphemes ending in a verb chain, the verb phrase and a suggestion."""
    i = len(morphs) - 1
    while i > 0 and morphs[i].pos[0] == "助動詞":
        i -= 1
    head = morphs[i]
    if head.pos[0] != "動詞":
        return None
    chain = "".join(m.surface for m in morphs[i:])
    if head.base == "する" and i > 0 and morphs[i - 1].pos[0] in ("名詞", "接尾辞"):
        j = i - 1
        act = morphs[j].surface
        if morphs[j].pos[0] == "接尾辞" and j > 0:  # 可視化する
            j -= 1
            act = morphs[j].surface + act
        obj = _object_before(morphs, j)
        return act + chain, _ja_suggestion(act, obj, "".join(m.surface for m in morphs[:j]))
    obj = _object_before(morphs, i)
    ta = _ta_form(head)
    if head.base == "する":
        return chain, None  # "した確定申告" is no name: without an activity noun, none
    return chain, (f"{ta}{obj}" if ta and obj else None)
