"""The Great Expectations gate on the canonical table.

Three batches are validated: the rows themselves, one summary row per curve (points per
cycle, range of motion), and one summary row per sample (sides and curves present). A failure lists each
broken expectation with its count, a few example rows, and the fix.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gaitops.data.schema import (
    COLUMNS,
    FLOAT_COLUMNS,
    INTEGER_COLUMNS,
    KEY_COLUMNS,
    PHYSIOLOGICAL_RANGES,
    PLANES,
    RADIANS,
    SIDES,
    STRING_COLUMNS,
    TIME_POINTS,
    min_motion_with,
    ranges_with,
)
from gaitops.garbage_collection import imports_uncollected
from gaitops.settings.validate import ValidateSettings

CURVE_KEY = ["subject", "session", "cycle", "side", "joint", "plane"]
SAMPLE_KEY = ["subject", "session", "cycle"]
MAX_EXAMPLES = 5

HINTS = {
    "expect_table_columns_to_match_set": f"the table needs exactly the columns {', '.join(COLUMNS)}",
    "expect_column_values_to_not_be_null": "fill in or drop the rows with missing values",
    "expect_column_values_to_be_of_type": "store the column with the stated type (numbers without quotes)",
    "expect_column_values_to_be_in_set": "use one of the allowed values (labels: edit `validate` in params.yaml)",
    "expect_column_values_to_be_between": "values outside this range are marker or processing errors, or another angle convention: check these curves, declare the convention (sign, scale, offset) in data.conventions, or widen validate.ranges in params.yaml",
    "expect_compound_columns_to_be_unique": "the same key appears twice: drop the duplicate rows",
    "time": "time is a % of the gait cycle, 0..100: map your axis onto it with data.time: {offset: ..., scale: ...} in params.yaml (canonical = scale x yours + offset)",
    "points": f"each curve needs {TIME_POINTS} points (0..100 % of the gait cycle): time-normalise it",
    "distinct_times": f"each curve needs the {TIME_POINTS} distinct times 0..100",
    "curve": "these curves are not known joint/plane names (allowed above): map your spellings with data.values.joint / data.values.plane in params.yaml, or keep only the curves you need with data.curves",
    "plane": "map your plane spellings with data.values.plane in params.yaml (e.g. {sag: sagittal}), or drop those curves with data.curves",
    "motion": "the curve hardly moves for its joint: check the units and the joint",
    "sides": "each sample (subject, session, cycle) needs the curves of both sides",
    "curves": "every sample needs the same set of curves: complete or drop the incomplete ones",
}


@dataclass(frozen=True)
class Check:
    """One expectation's outcome, readable without Great Expectations."""

    table: str
    expectation: str
    column: str | None
    condition: str | None
    success: bool
    unexpected_count: int | None
    element_count: int | None
    examples: list[Any] = field(default_factory=list)
    observed: Any = None
    allowed: str | None = None  # the range or set the values must be in
    hint: str | None = None  # the fix, when it depends on the check (else HINTS)

    def describe(self) -> str:
        where = f" on `{self.column}`" if self.column else ""
        if self.condition:
            where += f" where {self.condition}"
        count = ""
        if self.unexpected_count is not None:
            count = f": {self.unexpected_count} of {self.element_count} {self.table}"
        elif self.expectation == "expect_table_columns_to_match_set" and self.observed is not None:
            missing = [c for c in COLUMNS if c not in self.observed]
            extra = [c for c in self.observed if c not in COLUMNS]
            count = f": missing {missing or 'none'}, unexpected {extra or 'none'}"
        elif self.observed is not None:
            count = f": observed {self.observed}"
        if self.allowed:
            count += f" (allowed: {self.allowed})"
        examples = f"; e.g. {self.examples[:MAX_EXAMPLES]}" if self.examples else ""
        hint = self.hint or HINTS.get(
            self.column or "", HINTS.get(self.expectation, "check these values")
        )
        return f"[{self.table}] {self.expectation}{where}{count}{examples}. Fix: {hint}."


@dataclass(frozen=True)
class ValidationReport:
    success: bool
    checks: list[Check]
    raw_results: dict[str, Any]

    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.success]

    def summary(self) -> str:
        failed = self.failures()
        head = f"validation {'passed' if self.success else 'FAILED'}: {len(self.checks) - len(failed)} of {len(self.checks)} expectations met"
        first = sorted(failed, key=lambda c: c.expectation != "expect_table_columns_to_match_set")
        return "\n".join([head, *("  - " + c.describe() for c in first)])

    def as_dict(self) -> dict[str, Any]:
        # `allowed` is in each failure's description (summary), not stored twice per check
        checks = [
            {k: v for k, v in c.__dict__.items() if k not in ("allowed", "hint")}
            for c in self.checks
        ]
        return {"success": self.success, "checks": checks}


def _row_expectations(settings: ValidateSettings) -> list[Any]:
    import great_expectations as gx

    expect = gx.expectations
    found: list[Any] = [
        expect.ExpectTableColumnsToMatchSet(column_set=list(COLUMNS), exact_match=True)
    ]
    found += [expect.ExpectColumnValuesToNotBeNull(column=c) for c in COLUMNS]
    found += [expect.ExpectColumnValuesToBeOfType(column=c, type_="str") for c in STRING_COLUMNS]
    found += [expect.ExpectColumnValuesToBeOfType(column=c, type_="int64") for c in INTEGER_COLUMNS]
    found += [expect.ExpectColumnValuesToBeOfType(column=c, type_="float64") for c in FLOAT_COLUMNS]
    found += [
        expect.ExpectColumnValuesToBeInSet(column="side", value_set=list(SIDES)),
        expect.ExpectColumnValuesToBeInSet(column="plane", value_set=list(PLANES)),
        expect.ExpectColumnValuesToBeInSet(column="group", value_set=list(settings.groups)),
        expect.ExpectColumnValuesToBeInSet(column="condition", value_set=list(settings.conditions)),
        expect.ExpectColumnValuesToBeBetween(column="time", min_value=0, max_value=TIME_POINTS - 1),
        expect.ExpectCompoundColumnsToBeUnique(column_list=list(KEY_COLUMNS)),
    ]
    for (joint, plane), (low, high) in ranges_with(settings.ranges).items():
        found.append(
            expect.ExpectColumnValuesToBeBetween(
                column="angle",
                min_value=low,
                max_value=high,
                row_condition=f'joint=="{joint}" and plane=="{plane}"',
                condition_parser="pandas",
            )
        )
    return found


def _with_lines(table: pd.DataFrame, lines: np.ndarray | None) -> pd.DataFrame:
    """The table with the user file's line of each row as `_line` (when known)."""
    return table if lines is None else table.assign(_line=lines)


def _curve_summary(table: pd.DataFrame, lines: np.ndarray | None = None) -> pd.DataFrame:
    """One row per curve: points, distinct times, range of motion (and its first file line)."""
    grouped = _with_lines(table, lines).groupby(CURVE_KEY, sort=False)
    summary = grouped.agg(points=("time", "size"), distinct_times=("time", "nunique"))
    if lines is not None:
        summary.insert(0, "line", grouped["_line"].min())
    if "angle" in table and pd.api.types.is_numeric_dtype(table["angle"]):
        summary["motion"] = (grouped["angle"].max() - grouped["angle"].min()).round(3)
    else:  # the row checks say what is wrong with the angles
        summary["motion"] = np.nan
    summary = summary.reset_index()
    summary["curve"] = summary["joint"] + "/" + summary["plane"]
    return summary


def _sample_summary(table: pd.DataFrame, lines: np.ndarray | None = None) -> pd.DataFrame:
    """One row per sample: sides and curves present (and its first file line)."""
    rows = _with_lines(table, lines)
    curves = rows.drop_duplicates(CURVE_KEY)
    grouped = curves.groupby(SAMPLE_KEY, sort=False)
    summary = grouped.agg(sides=("side", "nunique"), curves=("side", "size"))
    if lines is not None:
        summary.insert(0, "line", rows.groupby(SAMPLE_KEY, sort=False)["_line"].min())
    return summary.reset_index()


def _motion_expectations(settings: ValidateSettings) -> list[Any]:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="motion",
            min_value=least,
            row_condition=f'curve=="{joint}/{plane}"',
            condition_parser="pandas",
        )
        for (joint, plane), least in min_motion_with(settings.min_motion).items()
    ]


def _motion_hint(condition: str | None, least: Any, examples: list[Any]) -> str | None:
    """The likely causes of a curve that hardly moves, and the params that fix each."""
    found = re.search(r'curve=="([^"]+)"', condition or "")
    if not found:
        return None
    curve = found.group(1)
    moved = [e["motion"] for e in examples if isinstance(e, dict) and "motion" in e]
    looks = ""
    if moved and least and float(np.median(moved)) * RADIANS >= float(least) and max(moved) < 7:
        looks = f" (it moves {float(np.median(moved)):.2f}: radians, by the look of it)"
    return (
        f"{curve} should move at least {least} degrees over a gait cycle{looks}. Angles in "
        f"radians: set data.conventions: {{{curve}: {{scale: {RADIANS}}}}} (likewise for every "
        "curve); a scaled export: set scale to the factor that undoes it; another joint's curve "
        "under this name: check data.columns.joint and the joint labels; a joint that truly "
        f"moves less: lower validate.min_motion: {{{curve}: ...}}"
    )


def _summary_expectations(table: pd.DataFrame, settings: ValidateSettings) -> dict[str, list[Any]]:
    import great_expectations as gx

    expect = gx.expectations
    known_curves = [f"{j}/{p}" for j, p in PHYSIOLOGICAL_RANGES]
    sides_expected = int(table["side"].nunique())
    curves_expected = int(_sample_summary(table)["curves"].max())
    return {
        "curves": [
            expect.ExpectColumnValuesToBeBetween(
                column="points", min_value=TIME_POINTS, max_value=TIME_POINTS
            ),
            expect.ExpectColumnValuesToBeBetween(
                column="distinct_times", min_value=TIME_POINTS, max_value=TIME_POINTS
            ),
            expect.ExpectColumnValuesToBeInSet(column="curve", value_set=known_curves),
            *_motion_expectations(settings),
        ],
        "samples": [
            expect.ExpectColumnValuesToBeBetween(
                column="sides", min_value=max(2, sides_expected), max_value=2
            ),
            expect.ExpectColumnValuesToBeBetween(
                column="curves", min_value=curves_expected, max_value=curves_expected
            ),
        ],
    }


def _run_suite(context: Any, name: str, frame: pd.DataFrame, expectations: list[Any]) -> Any:
    import great_expectations as gx

    asset = context.data_sources.add_pandas(f"{name}_source").add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe(f"{name}_batch")
    suite = context.suites.add(
        gx.ExpectationSuite(name=f"gaitops_{name}", expectations=expectations)
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"gaitops_{name}_validation", data=batch, suite=suite)
    )
    return definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")


def _examples(
    frame: pd.DataFrame, result: dict[str, Any], lines: np.ndarray | None = None
) -> list[Any]:
    indexes = result.get("partial_unexpected_index_list") or []
    shown = [
        c
        for c in (*CURVE_KEY, "time", "angle", "points", "motion", "sides", "curves")
        if c in frame
    ]
    examples = []
    for index in indexes[:MAX_EXAMPLES]:
        if isinstance(index, int | float) and int(index) in frame.index:
            row = frame.loc[int(index), shown].to_dict()
            if "line" in frame:  # a summary row: the first file line of its curve or sample
                where = {"line": int(frame.loc[int(index), "line"])}
            elif lines is not None:
                where = {"line": int(lines[int(index)])}
            else:
                where = {"row": int(index)}
            examples.append({**where, **{k: _plain(v) for k, v in row.items()}})
    if not examples:
        examples = [_plain(v) for v in (result.get("partial_unexpected_list") or [])[:MAX_EXAMPLES]]
    return examples


def _condition_text(condition: Any) -> str | None:
    if isinstance(condition, dict):
        return condition.get("pass_through_filter") or str(condition)
    return None if condition is None else str(condition)


def _allowed(kwargs: dict[str, Any]) -> str | None:
    """The range or set an expectation allows, as the user reads it."""
    if "value_set" in kwargs:
        return ", ".join(map(str, kwargs["value_set"]))
    if kwargs.get("max_value") is None and kwargs.get("min_value") is not None:
        return f"at least {kwargs['min_value']}"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f"{kwargs.get('min_value')} .. {kwargs.get('max_value')}"
    return None


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _checks(
    table_name: str, frame: pd.DataFrame, suite_result: Any, lines: np.ndarray | None = None
) -> list[Check]:
    checks = []
    for item in suite_result.results:
        config = item.expectation_config
        kwargs = config.kwargs
        result = item.result or {}
        column = kwargs.get("column") or (
            ", ".join(kwargs["column_list"]) if "column_list" in kwargs else None
        )
        examples = [] if item.success else _examples(frame, result, lines)
        hint = None
        if column == "motion" and not item.success:
            hint = _motion_hint(
                _condition_text(kwargs.get("row_condition")), kwargs.get("min_value"), examples
            )
        checks.append(
            Check(
                table=table_name,
                expectation=config.type,
                column=column,
                condition=_condition_text(kwargs.get("row_condition")),
                success=bool(item.success),
                unexpected_count=result.get("unexpected_count"),
                element_count=result.get("element_count"),
                examples=examples,
                observed=None if item.success else _plain(result.get("observed_value")),
                allowed=_allowed(kwargs),
                hint=hint,
            )
        )
    return checks


VOLATILE_KEYS = frozenset(
    {
        "id",
        "run_id",
        "run_time",
        "validation_time",
        "validation_id",
        "checkpoint_id",
        "ge_load_time",
    }
)


def without_run_identity(value: Any) -> Any:
    """GX's result without the ids and times of this run: same table + same suite = same bytes."""
    if isinstance(value, dict):
        return {k: without_run_identity(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [without_run_identity(v) for v in value]
    return value


def validate_table(
    table: pd.DataFrame, settings: ValidateSettings, lines: np.ndarray | None = None
) -> ValidationReport:
    """Validate the canonical table with Great Expectations; never raises on bad data. With
    `lines` (a user file's line of each row), examples name the file's lines."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with imports_uncollected():  # Great Expectations: 2 s to import, never walked again
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        batches: list[tuple[str, pd.DataFrame, list[Any]]] = [
            ("rows", table, _row_expectations(settings))
        ]
        if set(KEY_COLUMNS) <= set(table.columns):
            summaries = _summary_expectations(table, settings)
            batches.append(("curves", _curve_summary(table, lines), summaries["curves"]))
            batches.append(("samples", _sample_summary(table, lines), summaries["samples"]))
        checks: list[Check] = []
        raw: dict[str, Any] = {}
        for name, frame, expectations in batches:
            result = _run_suite(context, name, frame, expectations)
            raw[name] = without_run_identity(result.to_json_dict())
            checks.extend(_checks(name, frame, result, lines if name == "rows" else None))
    return ValidationReport(success=all(c.success for c in checks), checks=checks, raw_results=raw)
