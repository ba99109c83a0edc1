"""docs/REFERENCE.md is the product's reference generated from the code: it must equal a fresh render
(regenerate with ``python -m evidence_cli.reference > docs/REFERENCE.md``) and name every command,
declared field and finding code."""

from __future__ import annotations

from pathlib import Path

from evidence_cli.main import _COMMANDS
from evidence_cli.reference import render
from models.field_names import FIELDS
from models.findings import FindingCode

DOC = Path(__file__).resolve().parent.parent / "docs" / "REFERENCE.md"


def test_reference_is_the_render_of_the_code() -> None:
    hint = "regenerate: python -m evidence_cli.reference > docs/REFERENCE.md"
    assert DOC.read_text(encoding="utf-8") == render(), hint


def test_reference_names_every_command_field_and_code() -> None:
    text = render()
    assert all(f"`evidence {name} " in text for name in _COMMANDS)
    assert all(f"| `{name}` |" in text for fields in FIELDS.values() for name in fields)
    assert all(f"| `{code.value}` |" in text for code in FindingCode)
