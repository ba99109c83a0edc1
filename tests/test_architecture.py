"""The shape of the code that DESIGN.md and the README's map promise: sizes, no import cycles, layers.

Read from the source with ``ast`` (nothing is imported), so every import counts — inside functions
and under ``TYPE_CHECKING`` too — and a violation is named by module and line.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400

# What each package may import of ours besides itself, lowest layer first; the README's map shows
# the same table. Nothing imports tests/, bench/ or fuzz/, and only the CLI (eval) uses sample_docs.
_CORE = {"models", "extractors", "matchers", "checks", "pipeline"}
MAY_IMPORT: dict[str, set[str]] = {
    "models": set(),
    "extractors": {"models"},
    "matchers": {"models"},
    "checks": {"models", "matchers", "extractors"},
    "store": {"models", "matchers"},
    "pipeline": {"models", "extractors", "matchers", "checks"},
    "flows": _CORE | {"store"},
    "review": _CORE | {"store", "flows"},
    "evidence_cli": _CORE | {"store", "flows", "review", "sample_docs"},
    "sample_docs": {"models", "extractors", "matchers", "checks", "pipeline"},
}
PRODUCT = tuple(MAY_IMPORT)
# Checks do no I/O: of the extractors they may use only the pure value parsers.
CHECKS_USE_OF_EXTRACTORS = {f"extractors.fields.{m}" for m in ("credit_code", "amount_words", "qr_payload")} | {
    "extractors.seals.bureau"  # which stamp is the tax bureau's: a pure test of a read seal
}

# Known, and in code owned elsewhere; each entry must still be true (the test says when one can go).
LONG_MODULES_ALLOWED: set[str] = set()
LAYER_EDGES_ALLOWED = {
    # reports name codes with the review's Chinese labels and reuse its XLSX writer and text
    # cleaning: those belong below both (review/*, pipeline/report.py)
    ("pipeline.report", "review.labels"),
    ("pipeline.report", "review.exports"),
}
# One edge per known cycle, the one that closes it.
CYCLE_EDGES_ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    """Every product module by dotted name; Alembic migrations aside (generated, frozen history)."""
    found: dict[str, Path] = {}
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "__pycache__" not in rel and not rel.startswith("store/migrations/"):
                found[_module_name(path)] = path
    return found


def _tree(module: str) -> ast.Module:
    path = _modules()[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(name: str) -> str | None:
    """The product module ``name`` lands in (the longest dotted prefix that is one), or None."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in _modules():
            return ".".join(parts)
        parts.pop()
    return None


def _named(module: str, node: ast.AST) -> Iterator[str]:
    """The dotted names one node imports (``from pkg import sub`` names the submodule itself)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if _modules()[module].name != "__init__.py":
                package.pop()
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([node.module] if node.module else [])])
        for alias in node.names:
            yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in _modules() else base
    elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


@cache
def _imports() -> list[Import]:
    found: list[Import] = []
    for module in _modules():
        for node in ast.walk(_tree(module)):
            for name in _named(module, node):
                target = _resolve(name)
                if target is not None and target != module:
                    found.append(Import(module, target, getattr(node, "lineno", 0)))
    return found


def _graph(without: Collection[tuple[str, str]] = ()) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in _modules()}
    for imp in _imports():
        if (imp.source, imp.target) not in without:
            graph[imp.source].add(imp.target)
    return graph


def _path(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from ``start`` to ``goal`` (breadth first), or None."""
    before: dict[str, str] = {start: start}
    frontier = [start]
    while frontier:
        step: list[str] = []
        for node in frontier:
            for nxt in sorted(graph[node]):
                if nxt == goal:
                    chain = [goal, node]
                    while chain[-1] != start:
                        chain.append(before[chain[-1]])
                    return chain[::-1]
                if nxt not in before:
                    before[nxt] = node
                    step.append(nxt)
        frontier = step
    return None


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def test_functions_fit_a_screen() -> None:
    long = []
    for module, path in _modules().items():
        for node in ast.walk(_tree(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: split them into named steps\n" + "\n".join(long)


def test_modules_stay_small() -> None:
    over = {}
    for path in _modules().values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            over[path.relative_to(ROOT).as_posix()] = lines
    new = {rel: n for rel, n in over.items() if rel not in LONG_MODULES_ALLOWED}
    assert not new, f"modules over {MAX_MODULE_LINES} lines (one module, one job): {new}"
    fixed = LONG_MODULES_ALLOWED - set(over)
    assert not fixed, f"no longer over {MAX_MODULE_LINES} lines, remove from LONG_MODULES_ALLOWED: {sorted(fixed)}"


def test_no_import_cycle() -> None:
    graph = _graph(set(CYCLE_EDGES_ALLOWED))
    for imp in _imports():
        if (imp.source, imp.target) in CYCLE_EDGES_ALLOWED:
            continue
        back = _path(graph, imp.target, imp.source) or []
        assert not back, f"import cycle through {imp.source}:{imp.line}: {' → '.join([imp.source, *back])}"


def test_allowed_cycle_edges_still_close_a_cycle() -> None:
    graph = _graph()
    stale = [
        edge for edge in CYCLE_EDGES_ALLOWED if edge[1] not in graph[edge[0]] or not _path(graph, edge[1], edge[0])
    ]
    assert not stale, f"no longer a cycle, remove from CYCLE_EDGES_ALLOWED: {stale}"


def test_layers() -> None:
    wrong = []
    for imp in _imports():
        source, target = _top(imp.source), _top(imp.target)
        if source == target or (imp.source, imp.target) in LAYER_EDGES_ALLOWED:
            continue
        if target not in MAY_IMPORT[source]:
            wrong.append(
                f"{imp.source}:{imp.line} imports {imp.target} ({source} may import {sorted(MAY_IMPORT[source])})"
            )
        elif source == "checks" and target == "extractors" and imp.target not in CHECKS_USE_OF_EXTRACTORS:
            wrong.append(
                f"{imp.source}:{imp.line} imports {imp.target} (checks use only the extractors' value parsers)"
            )
    assert not wrong, "layer rules (README, Architecture):\n" + "\n".join(wrong)
    present = {(imp.source, imp.target) for imp in _imports()}
    stale = set(LAYER_EDGES_ALLOWED) - present
    assert not stale, f"no longer imported, remove from LAYER_EDGES_ALLOWED: {sorted(stale)}"


def test_one_caller_of_evaluate_submission() -> None:
    """One path to a verdict (DESIGN.md): what ``evidence eval`` measures is what users get."""
    callers = set()
    for module in _modules():
        for node in ast.walk(_tree(module)):
            name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
            if name == "evaluate_submission" and module != "checks.evaluate":
                callers.add(module)
    assert callers == {"pipeline.submission"}


def _readme_rules() -> dict[str, set[str]]:
    """The README map's table: package → the packages named in its "may import" column."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    rules: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        package = re.fullmatch(r"`(\w+)/`", cells[0]) if len(cells) == 3 else None
        if package is not None and package.group(1) in MAY_IMPORT:
            rules[package.group(1)] = set(re.findall(r"`(\w+)`", cells[2]))
    return rules


def test_readme_map_matches_the_rules() -> None:
    assert _readme_rules() == MAY_IMPORT


def test_the_rules_name_every_package() -> None:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} - {"tests", "bench", "fuzz"}
    assert packages == set(PRODUCT) == set(MAY_IMPORT)
