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


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every part `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for other in graph.get(todo.pop(), set()) - seen:
            seen.add(other)
            todo.append(other)
    return seen


PARTS = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("metrics", "models"),
        ("models", "evaluation"),
        ("explain", "scoring"),
        ("scoring", "report"),
        ("report", "stages"),
    ],
)
def test_a_lower_layer_never_reaches_a_higher_one(lower: str, upper: str):
    assert {lower, upper} <= PARTS
    assert upper not in reachable(import_graph(), lower)


@pytest.mark.parametrize("leaf", ["pipeline", "panels", "phases", "subsets", "errors", "io"])
def test_the_leaves_import_nothing_of_gaitops(leaf: str):
    assert leaf in PARTS
    assert not import_graph().get(leaf)


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
