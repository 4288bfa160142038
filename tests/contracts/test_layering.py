"""The packages of gaitops form layers: no package imports one that imports it back, however
indirectly (a circle makes a change to either re-run and re-test both)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "gaitops"


def _part(module: str) -> str | None:
    """The top part of gaitops a dotted module name belongs to (``gaitops.models.x`` -> models)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "gaitops" else None


def import_graph() -> dict[str, set[str]]:
    """Each top-level module or package of gaitops -> the others it imports, lazily or not."""
    graph: dict[str, set[str]] = defaultdict(set)
    for file in PACKAGE.rglob("*.py"):
        own = file.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                part = _part(name)
                if part and part != own:
                    graph[own].add(part)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one part (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(set(graph) | {o for others in graph.values() for o in others}):
        if node not in index:
            visit(node)
    return found


def test_the_packages_import_one_another_without_circles():
    assert circles(import_graph()) == []


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("metrics", "models"),
        ("models", "evaluation"),
        ("panels", "report"),
        ("pipeline", "stages"),
        ("pipeline", "report"),
        ("explain", "scoring"),
        ("scoring", "report"),
    ],
)
def test_a_lower_layer_never_imports_a_higher_one(lower: str, upper: str):
    assert upper not in import_graph()[lower]


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
