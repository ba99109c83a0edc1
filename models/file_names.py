"""File names that are not UTF-8 (a GBK name from a Windows zip, a hostile byte string).

Python hands such names over with surrogate escapes, which neither JSON nor a database nor a
terminal accepts. Two writings, one for each need: ``valid_utf8`` for what a reader sees (an
undecodable byte becomes U+FFFD), ``distinct_utf8`` where two such names must stay apart (the
byte written as ``\\xb7``), e.g. as a stored key.
"""

from __future__ import annotations


def valid_utf8(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def distinct_utf8(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
