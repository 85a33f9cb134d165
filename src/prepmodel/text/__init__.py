"""Text at the bottom of the stack: spans, display widths, printable text, word analysis.

Nothing here knows the language; every other room may use it.
"""
