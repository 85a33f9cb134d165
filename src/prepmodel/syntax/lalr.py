"""A tight loop over Lark's own LALR(1) tables, for files that parse cleanly.

Lark builds the parse table and the transformer callbacks from ``grammar/prep.lark``;
this module only drives them. Lark's driver calls a method per token and looks rules up
by hashing ``Rule`` objects; on a 10,000-deliverable model (~290,000 tokens) that loop was
two thirds of the parse. Here each rule is looked up once, and the whole loop is one
function. The results are the same objects Lark's transformer would give (the test suite
compares both on every sample, on generated models and on random text).

Lark's parse table and callbacks are private: pyproject.toml pins the Lark versions this
was tested with, and :func:`tables` checks their shape once; when they are not as
expected (a newer Lark), it returns None and the caller uses ``Lark.parse`` throughout.

Anything unexpected (a token the table does not allow, a character the lexer does not
know) raises :class:`Rejected`, with the statements completed before it; the caller then
parses with ``Lark.parse``, which stops at the same token and raises the error with its
full context (expected terminals, interactive parser) for the diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput


class Rejected(Exception):
    """The input is not in the language (or not lexable): use Lark's parser for the error.

    ``partial`` is the list the start rule's list rule had built when the parse stopped
    (the complete statements before the one that failed), or [] if there was none."""

    def __init__(self, kind: str, partial: list[Any]) -> None:
        super().__init__(kind)
        self.partial = partial


def _partial(value_stack: list[Any]) -> list[Any]:
    # Every statement starts with a token, so a list at the bottom of the stack can only
    # be the statements reduced so far.
    first = value_stack[0] if value_stack else None
    return first if type(first) is list else []


# An action: a shift (``True``, next state) or a reduce (``False``, (size, callback,
# name of the rule's left-hand side)).
Action = tuple[bool, Any]


@dataclass(frozen=True, slots=True)
class Tables:
    states: dict[int, dict[str, Action]]
    start: int
    end: int


def tables(lark: Lark) -> Tables | None:
    """Lark's parse table with each reduce resolved to (size, callback, origin) once, or
    None when Lark's private parser objects are not shaped as this module expects."""
    try:
        return _read_tables(lark)
    except (ImportError, AttributeError, KeyError, LookupError, TypeError, ValueError):
        return None


def _read_tables(lark: Lark) -> Tables:
    from lark.parsers.lalr_analysis import Reduce, Shift  # private: the shape is checked

    parser = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
    table = parser.parse_table
    callbacks = parser.callbacks
    states: dict[int, dict[str, Action]] = {}
    for state, actions in table.states.items():
        row: dict[str, Action] = {}
        for symbol, (action, arg) in actions.items():
            if action is Shift and type(arg) is int:
                row[symbol] = (True, arg)
            elif action is Reduce:
                callback = callbacks[arg]
                if not callable(callback):
                    raise TypeError("a reduce without a callback")
                row[symbol] = (False, (len(arg.expansion), callback, arg.origin.name))
            else:
                raise TypeError(f"unknown parser action {action!r}")
        states[state] = row
    start, end = table.start_states["start"], table.end_states["start"]
    for row in states.values():  # every reduce needs its goto in the rows it returns to
        for shift, arg in row.values():
            if not shift and not any(arg[2] in other for other in states.values()):
                raise LookupError(f"no goto for {arg[2]}")
    if type(start) is not int or type(end) is not int or start not in states:
        raise TypeError("unexpected start or end state")
    return Tables(states, start, end)


def run(t: Tables, tokens: Iterable[Token]) -> Any:
    """Parse the token stream; the value of the start rule (after the transformer).

    Tokens in ``lexer.FILTERED`` go on the value stack as they come: Lark's child filters
    and the transformer's list rules never look at them."""
    states = t.states
    end_state = t.end
    state = t.start
    state_stack = [state]
    value_stack: list[Any] = []
    push_state = state_stack.append
    push_value = value_stack.append
    try:
        for token in chain(tokens, _END):
            kind = token.type
            while True:
                try:
                    shift, arg = states[state][kind]
                except KeyError:
                    raise Rejected(kind, _partial(value_stack)) from None
                if shift:
                    state = arg
                    push_state(state)
                    push_value(token)
                    break
                size, callback, origin = arg
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                push_value(callback(children))
                state = states[state_stack[-1]][origin][1]
                if state == end_state:  # only reached by reducing the start rule at $END
                    return value_stack[-1]
                push_state(state)
    except UnexpectedInput:  # the lexer met a character no terminal starts with
        raise Rejected("", _partial(value_stack)) from None
    raise Rejected("$END", [])  # the table never shifts $END


# The end of the input, as Lark's parser sees it.
_END = (Token("$END", ""),)
