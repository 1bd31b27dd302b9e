"""Names that the store keeps and prints: who made a change (``--user``, ``--by``,
``$HMIP_USER``, the login name), case ids, whichever way they come in (case files, ``case
add``), and the name of a new inspection.

A name is one line of printable text, at most :data:`MAX_LENGTH` characters (the store's
columns for them). Why: ``inspect audit`` prints one change per line, so a line break in a
name would forge a line of the audit trail, and a control or bidirectional-formatting
character would hide what a name says on a terminal. Spaces of any kind are allowed inside a
name; surrounding white space is stripped.
"""

from __future__ import annotations

import unicodedata

from .errors import InputError, Problem

#: The longest name the store keeps (``audit.who`` and ``inspected_case.case_id``).
MAX_LENGTH = 200

_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def name_problem(value: str) -> str | None:
    """Why ``value`` (already stripped) is not an acceptable name, or None."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_LENGTH:
        return f"has {len(value):,} characters; at most {MAX_LENGTH} are allowed"
    if value.isprintable():     # every character printable: none to report below
        return None
    for position, char in enumerate(value, start=1):
        if not char.isprintable() and unicodedata.category(char) != "Zs":
            return (f"must be printable text on one line, but holds {_describe(char)} "
                    f"at character {position}")
    return None


def checked_name(value: str, what: str) -> str:
    """``value`` stripped, or an :class:`InputError` naming ``what`` (e.g. ``--by``)."""
    value = value.strip()
    problem = name_problem(value)
    if problem:
        raise InputError(Problem(what, problem))
    return value


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in _LINE_BREAKS:
        return f"a line break ({code})"
    if unicodedata.category(char) == "Cf":
        return f"an invisible formatting character ({code})"
    return f"a control character ({code})" if unicodedata.category(char) == "Cc" \
        else f"a character that is not printable ({code})"
