"""What the README and docs/ tell a user to type or open, checked against the project.

Commands are read from fenced code blocks and inline code spans. A `gaitops` command must name
a real subcommand and only its options; a `make` command a Makefile target; a `dvc` command a
DVC subcommand. Every `-S key=value` must name a params key. Every repository path must exist
(in git, or as an output dvc.yaml declares).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
import yaml

from gaitops.cli import app
from gaitops.config import Settings

FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
TOOLS = ("gaitops", "make", "dvc")
TOP_LEVEL = (
    "src/",
    "flows/",
    "tests/",
    "benchmarks/",
    "docs/",
    "data/",
    "records/",
    "metrics/",
    "plots/",
    ".ci/",
)
ROOT_FILES = (
    "README.md",
    "params.yaml",
    "dvc.yaml",
    "dvc.lock",
    "Makefile",
    "LICENSE",
    "CITATION.cff",
    "pyproject.toml",
)
# a placeholder the user fills in: <...>, globs, ${...}, an upper-case word (STAGE, METHOD)
PLACEHOLDER = re.compile(r"[<>*{}$]|\.\.\.|…|(^|/)[A-Z][A-Z_]+(\.|/|$)")
USER_FILES = "data/raw/"  # the user's own files: examples, not the project's


@dataclass(frozen=True)
class Problem:
    where: str  # file:line
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True)
class Snippet:
    where: str
    text: str


def snippets(files: Iterable[Path], root: Path) -> Iterator[Snippet]:
    """Every code line of fenced blocks and every inline code span, with file:line."""
    for path in files:
        text = path.read_text()
        name = path.relative_to(root).as_posix()
        fenced_spans = []
        for block in FENCE.finditer(text):
            fenced_spans.append(block.span())
            first_line = text.count("\n", 0, block.start(1)) + 1
            for offset, line in enumerate(block.group(1).splitlines()):
                yield Snippet(f"{name}:{first_line + offset}", line)
        for match in INLINE.finditer(text):
            if any(start <= match.start() < end for start, end in fenced_spans):
                continue
            yield Snippet(f"{name}:{text.count(chr(10), 0, match.start()) + 1}", match.group(1))


def command_words(line: str) -> list[str] | None:
    """The words of a command line (its comment, env assignments and prompt dropped), or None."""
    line = line.split(" #", 1)[0].strip().removeprefix("$ ")
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        words = words[1:]
    return words if words and words[0] in TOOLS else None


def commands(snippets_: Iterable[Snippet]) -> Iterator[tuple[str, list[str]]]:
    for snippet in snippets_:
        for part in re.split(r"\s*(?:&&|;|\|)\s*", snippet.text):
            words = command_words(part)
            if words:
                yield snippet.where, words


def _gaitops_commands() -> dict[str, Any]:
    """Every `gaitops` command by its words ("" the top level, "server status" a group's)."""
    group = typer.main.get_command(app)
    found: dict[str, Any] = {"": group}
    for name, command in getattr(group, "commands", {}).items():
        found[name] = command
        for sub, inner in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = inner
    return found


def _options(command: Any) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(param.opts)
        names.update(param.secondary_opts)
    return names


def check_gaitops(where: str, words: list[str]) -> list[Problem]:
    known = _gaitops_commands()
    rest = words[1:]
    global_options = _options(known[""])
    while rest and rest[0] in global_options:
        rest = rest[1:]
    if not rest or rest[0].startswith("-"):
        return [] if all(w in global_options for w in rest) else [Problem(where, f"{words}")]
    name = rest[0]
    if name not in known:
        return [Problem(where, f"`gaitops {name}`: no such command")]
    command, arguments = known[name], rest[1:]
    if hasattr(command, "commands") and arguments and not arguments[0].startswith("-"):
        name = f"{name} {arguments[0]}"
        if name not in known:
            return [Problem(where, f"`gaitops {name}`: no such command")]
        command, arguments = known[name], arguments[1:]
    options = _options(command) | global_options
    problems = []
    for word in arguments:
        if word.startswith("-") and word != "-":
            option = word.split("=", 1)[0]
            if option.startswith("-S") and len(option) > 2:
                option = "-S"
            if option not in options:
                problems.append(Problem(where, f"`gaitops {name}` has no option {option}"))
    return problems


def makefile_targets(root: Path) -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*):", (root / "Makefile").read_text(), re.M))


def check_make(where: str, words: list[str], targets: set[str]) -> list[Problem]:
    wanted = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return [Problem(where, f"`make {t}`: no such target") for t in wanted if t not in targets]


def check_dvc(where: str, words: list[str], subcommands: set[str]) -> list[Problem]:
    name = next((w for w in words[1:] if not w.startswith("-")), None)
    if name is None or name in subcommands:
        return []
    return [Problem(where, f"`dvc {name}`: no such DVC command")]


def overrides(words: list[str]) -> Iterator[str]:
    """The keys of every `-S key=value` / `--set key=value` in a command."""
    for index, word in enumerate(words):
        value = None
        if word in ("-S", "--set") and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("-S") and len(word) > 2:
            value = word[2:]
        elif word.startswith("--set="):
            value = word.removeprefix("--set=")
        if value and "=" in value:
            yield value.split("=", 1)[0]


def params_key_exists(key: str, params: dict) -> bool:
    """A dotted key names a params.yaml entry or a settings field (with defaults)."""
    node: object = params
    for part in key.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        return _settings_field(key)
    return True


def _settings_field(key: str) -> bool:
    model: object = Settings
    for part in key.split("."):
        fields = getattr(model, "model_fields", None)
        if not fields:
            return False
        field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if field is None:
            return False
        model = field.annotation
    return True


def check_overrides(where: str, words: list[str], params: dict) -> list[Problem]:
    return [
        Problem(where, f"-S {key}: no such params key")
        for key in overrides(words)
        if not params_key_exists(key, params)
    ]


def repository_paths(snippet: Snippet) -> Iterator[str]:
    for word in re.split(r"[\s,()]+", snippet.text):
        word = word.strip("'\".:;")
        word = re.sub(r":\d+(-\d+)?$", "", word)  # file:line
        if not word or PLACEHOLDER.search(word) or "://" in word:
            continue
        if word.startswith(USER_FILES):
            continue
        if word.startswith(TOP_LEVEL) or word in ROOT_FILES:
            yield word


def declared_outputs(root: Path) -> set[str]:
    """Every output path dvc.yaml declares (for `foreach` stages, with `${item}` kept)."""
    stages = yaml.safe_load((root / "dvc.yaml").read_text())["stages"]
    found: set[str] = set()
    for stage in stages.values():
        body = stage.get("do", stage)
        for kind in ("outs", "metrics", "plots"):
            for entry in body.get(kind, []):
                found.add(next(iter(entry)) if isinstance(entry, dict) else entry)
    return {path.rstrip("/") for path in found}


def names_in_code(root: Path) -> set[str]:
    """Every quoted string in the code of src/gaitops and flows/ (where gaitops names the
    files it writes outside DVC, such as the gate's report on rejected data)."""
    found: set[str] = set()
    for folder in ("src/gaitops", "flows"):
        for path in (root / folder).rglob("*.py"):
            found.update(re.findall(r"[\"']([\w.\-]+)[\"']", path.read_text()))
    return found


def path_exists(
    path: str, root: Path, tracked: set[str], outputs: set[str], code: set[str] = frozenset()
) -> bool:
    """Tracked by git, declared as a DVC output, or every part named in the code."""
    clean = path.rstrip("/")
    if all(part in code for part in clean.split("/")):
        return True
    if clean in tracked or any(t.startswith(clean + "/") for t in tracked):
        return True
    if any(clean == out or clean.startswith(out + "/") for out in outputs):
        return True
    return any(
        re.fullmatch(re.escape(out).replace(r"\$\{item\}", r"[^/]+"), clean) for out in outputs
    )


PARAMS_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
FILE_SUFFIXES = ("py", "md", "json", "yaml", "csv", "png", "pt", "txt", "html", "lock", "parquet")


def params_keys(snippet: Snippet, sections: set[str]) -> Iterator[str]:
    """A code span that names a params key (`train.folds`, `data.columns.label: Diagnosis`)."""
    text = re.split(r"[:=\s]", snippet.text.strip(), maxsplit=1)[0]
    is_file = text.rsplit(".", 1)[-1] in FILE_SUFFIXES
    if PARAMS_KEY.fullmatch(text) and text.split(".", 1)[0] in sections and not is_file:
        yield text
