"""The errors a gaitops user can act on: each says what is wrong, where, and the fix."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

OptionsModel = TypeVar("OptionsModel", bound=BaseModel)
Entry = TypeVar("Entry")


class GaitopsError(Exception):
    """Base of every error gaitops raises for a problem the user can fix."""


class ConfigError(GaitopsError):
    """params.yaml (or an override) is invalid."""


def registered(registry: Mapping[str, Entry], name: str, key: str) -> Entry:
    """`registry[name]`; a ConfigError naming params.yaml's `key`, the given name and the
    registered ones when `name` is not registered."""
    check_registered(registry, name, key)
    return registry[name]


def check_registered(names: Collection[str], name: str, key: str) -> None:
    """A ConfigError naming params.yaml's `key`, `name` and the registered `names` when `name` is
    not one of them."""
    if name not in names:
        raise ConfigError(f"{key}: {name!r} is not one of {sorted(names)}.")


def checked_options(
    model: type[OptionsModel], options: dict[str, Any], where: str, reader: str
) -> OptionsModel:
    """`options` (params.yaml's `where`) validated by a component's options model; a wrong key or
    value is one ConfigError that names the key, the given value and what `reader` reads."""
    try:
        return model.model_validate(options)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise ConfigError(
            f"{where}.{key}: {error['msg']} (given {error.get('input')!r}); "
            f"{reader} reads {sorted(model.model_fields)}."
        ) from None


class DataSourceError(GaitopsError):
    """A data source cannot be found, downloaded, verified or parsed."""


class ChecksumMismatch(DataSourceError):
    """A data file's hash differs from the pinned one."""


class BadInput(DataSourceError):
    """A user's data file is wrong at a place that can be named: one short block saying what,
    where (file, line, column), the bad value, what is allowed, and the fix."""

    def __init__(
        self,
        what: str,
        path: Path | str,
        *,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
        fix: str,
    ) -> None:
        self.what, self.path, self.line, self.column = what, Path(path), line, column
        self.value, self.expected, self.fix = value, expected, fix
        super().__init__(self.render())

    def where(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def render(self) -> str:
        lines = [f"{self.what}", f"  where:    {self.where()}"]
        if self.value is not None:
            lines.append(f"  value:    {self.value!r}")
        if self.expected is not None:
            lines.append(f"  expected: {self.expected}")
        lines.append(f"  fix:      {self.fix}")
        return "\n".join(lines)


class UnreadableFile(BadInput):
    """The file is missing, a directory, unreadable, empty or not text in the declared format."""


class MissingColumns(BadInput):
    """A column the mapping in data.columns names is not in the file."""


class BadNumber(BadInput):
    """A number column holds text, NaN, infinity or an absurd value."""


class UnknownLabel(BadInput):
    """A side, group or condition value that is neither canonical nor mapped in params."""


class IncompleteCurve(BadInput):
    """A curve without its 101 points, or a point given twice."""


class LabelConflict(BadInput):
    """One subject under two labels, or one subject's id spelled two ways."""


class NotEnoughData(GaitopsError):
    """The data cannot support the evaluation protocol (too few subjects or classes)."""


class FallbackUsed(GaitopsError):
    """The run used the demo's fallback data instead of the configured source."""


class ValidationFailed(GaitopsError):
    """The canonical table failed the Great Expectations gate."""


class PipelineStateError(GaitopsError):
    """A stage was asked to run on inputs an earlier stage did not produce (or rejected)."""


class PrefectServerError(GaitopsError):
    """The project's Prefect server could not be started or reached."""


DEBUG_ENV = "GAITOPS_DEBUG"  # set (by `--debug`) to let errors through with their tracebacks


def one_line(exc: GaitopsError) -> str:
    """The error as one line, for a Prefect state message or a log line."""
    if isinstance(exc, BadInput):
        value = f": {exc.value!r}" if exc.value is not None else ""
        return f"{exc.what} ({exc.where()}){value}. Fix: {exc.fix}"
    return " ".join(str(exc).split("\n", 1)[0].split())
