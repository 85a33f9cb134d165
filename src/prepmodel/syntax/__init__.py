"""Stage 1, syntax: bytes -> text -> a syntax tree with spans (``tree``), by a lexer that
knows Japanese names (``lexer``), Lark's LALR tables (``lalr``, ``parser``) and syntax
errors that say what was expected (``errors``). Lark lives here and nowhere else.
"""
