"""Every value a template prints passes ``visible``: HTML cannot hold C0/C1 control characters
(they are parse errors, and a title bar or a copied value would carry them on), so they are shown
as the same ``\\xNN`` escapes the exports and the terminal use (issue 18, row 3).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from review.exports import clean_text


def visible(value: Any) -> Any:
    """Jinja's ``finalize``: text cleaned before autoescaping; markup stays markup (escapes hold no ``<&"``)."""
    if isinstance(value, Markup):
        return Markup(clean_text(str(value)))
    if isinstance(value, str):
        return clean_text(value)
    return value
