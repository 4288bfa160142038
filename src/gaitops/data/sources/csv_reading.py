"""Reading a user's CSV as text, so every bad cell can be named by file, line and column.

The frame's index is the physical file line of each data row (named ``LINE_INDEX``), counted
before preamble lines are skipped and with a quoted newline inside a cell counted as a line.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.errors import BadNumber, UnreadableFile

HEADER_LINES = 1  # the file's line of data row i is i + HEADER_LINES + 1


LINE_INDEX = "file_line"  # the name of the index read_text_table gives its frame
HEADER_ATTR = "header_line"  # frame.attrs: the physical line of the header


def file_line(row: int) -> int:
    """The 1-based line in the user's file of data row `row` (0-based, after the header), for
    a file with the header on line 1 and one line per row."""
    return row + HEADER_LINES + 1


def line_of(cells: pd.Series | pd.DataFrame, row: int) -> int:
    """The physical file line of positional row `row` of a column read by read_text_table."""
    if cells.index.name == LINE_INDEX:
        return int(cells.index[row])
    return file_line(row)


def lines_of(frame: pd.Series | pd.DataFrame) -> np.ndarray:
    """The physical file line of every row."""
    if frame.index.name == LINE_INDEX:
        return frame.index.to_numpy(dtype=np.int64)
    return file_line(np.arange(len(frame)))


def yaml_text(value: str) -> str:
    """A string as params.yaml takes it pasted: double quotes, escapes such as \\t kept."""
    return json.dumps(value)


def _text(path: Path) -> str:
    """The file's text (UTF-8, a BOM dropped, Windows line ends accepted), or UnreadableFile."""
    fix_path = "set data.csv_path in params.yaml to your CSV file"
    if not path.exists():
        raise UnreadableFile("the data file does not exist", path, fix=fix_path)
    if path.is_dir():
        raise UnreadableFile("the data path is a directory, not a file", path, fix=fix_path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            f"the data file cannot be read ({exc.strerror})",
            path,
            fix="make the file readable by this user (chmod / ownership)",
        ) from None
    if raw[:2] == b"\x1f\x8b":  # gzip, whatever the name: read it unpacked
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFile(
                f"the data file is gzip-compressed but cannot be unpacked ({exc})",
                path,
                fix="export or copy the file again (it is truncated or damaged)",
            ) from None
    elif raw[:4] == b"PK\x03\x04":
        raise UnreadableFile(
            "the data file is a zip archive, not a CSV",
            path,
            fix="unpack it and set data.csv_path in params.yaml to the CSV inside "
            "(a .csv.gz is read directly)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(
            "the data file is not UTF-8 text",
            path,
            line=line,
            value=raw[exc.start : exc.start + 4],
            expected="UTF-8 encoded text",
            fix="save the file as UTF-8 (for example 'CSV UTF-8' in a spreadsheet)",
        ) from None


def _kept_lines(text: str, skip_rows: int, comment: str | None) -> tuple[list[str], list[int]]:
    """The file's lines after data.skip_rows and data.comment, and each one's physical line."""
    kept, origin = [], []
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if number <= skip_rows or (comment and line.lstrip().startswith(comment)):
            continue
        kept.append(line)
        origin.append(number)
    return kept, origin


def _record_lines(kept: list[str], origin: list[int], delimiter: str) -> list[int] | None:
    """The physical line each CSV record starts on (header first; blank lines skipped, a
    quoted newline inside a cell counted), or None if the csv module cannot read the text."""
    starts: list[int] = []
    try:
        reader = csv.reader(kept, delimiter=delimiter)
        consumed = 0
        for record in reader:
            if record:
                starts.append(origin[consumed])
            consumed = reader.line_num
    except csv.Error:
        return None
    return starts


def _parser_error(
    exc: Exception, kept: list[str], origin: list[int], delimiter: str, path: Path
) -> UnreadableFile:
    """pandas' tokenizer error as the usual block: the physical line and the fix that fits."""
    said = " ".join(str(exc).split())
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", said)
    if not found or not 0 < int(found.group(2)) <= len(kept):
        return UnreadableFile(
            f"the data file is not a table with delimiter {delimiter!r} ({said})",
            path,
            fix=f"check data.delimiter (now {yaml_text(delimiter)}) and quoting in the file",
        )
    header_fields, at, fields = (int(g) for g in found.groups())
    return _field_count_error(header_fields, at, fields, kept, origin, delimiter, path)


def _longer_than_header(
    header_fields: int, kept: list[str], origin: list[int], delimiter: str, path: Path
) -> UnreadableFile:
    """Every row has more fields than the header (pandas would make them an index)."""
    consumed = 0
    reader = csv.reader(kept, delimiter=delimiter)
    for record in reader:
        if len(record) > header_fields:
            return _field_count_error(
                header_fields, consumed + 1, len(record), kept, origin, delimiter, path
            )
        consumed = reader.line_num
    return UnreadableFile(
        "the rows have more fields than the header", path, fix="check the header line"
    )


def _field_count_error(
    header_fields: int,
    at: int,
    fields: int,
    kept: list[str],
    origin: list[int],
    delimiter: str,
    path: Path,
) -> UnreadableFile:
    """Line `at` of the kept text has more fields than the header: a preamble, or a bad row."""
    line = origin[at - 1]
    value = kept[at - 1].rstrip("\r\n")[:60]
    before = [text.strip() for text in kept[: at - 1] if text.strip()]
    after = [text for text in kept[at:] if text.strip()][:1]
    follows = not after or len(next(csv.reader(after, delimiter=delimiter))) == fields
    if header_fields < fields and follows and len(before) <= 50:  # lines before the header
        marks = {text[0] for text in before if not text[0].isalnum()}
        extra = line - 1
        fix = f"set data.skip_rows: {extra} in params.yaml (the lines before the header)"
        if len(marks) == 1 and all(text[0] in marks for text in before):
            fix = (
                f"set data.comment: {yaml_text(marks.pop())} in params.yaml "
                f"(or data.skip_rows: {extra})"
            )
        return UnreadableFile(
            f"the header is not on the first line: line {line} has {fields} fields, the lines "
            f"before it {header_fields}",
            path,
            line=line,
            value=value,
            expected=f"the header as the first line the file's rows follow (delimiter {delimiter!r})",
            fix=fix,
        )
    return UnreadableFile(
        f"a row has {fields} fields where the header has {header_fields}",
        path,
        line=line,
        value=value,
        expected=f"{header_fields} fields separated by {delimiter!r}",
        fix=f"quote the cell holding {delimiter!r} or remove the extra cells of that row "
        f"(or, if the file uses another separator, set data.delimiter; now {yaml_text(delimiter)})",
    )


def read_text_table(
    path: Path, delimiter: str, skip_rows: int = 0, comment: str | None = None
) -> pd.DataFrame:
    """Every cell as a string (empty cells as ""), with the header's column names; the index
    is each row's physical file line (LINE_INDEX), attrs[HEADER_ATTR] the header's."""
    text = _text(path)
    if not text.strip():
        raise UnreadableFile(
            "the data file is empty", path, fix="export the data again: the file has no bytes"
        )
    kept, origin = _kept_lines(text, skip_rows, comment)
    if not "".join(kept).strip():
        raise UnreadableFile(
            "the data file has no lines left after data.skip_rows and data.comment",
            path,
            fix=f"lower data.skip_rows (now {skip_rows}) or change data.comment in params.yaml",
        )
    try:
        frame = pd.read_csv(
            io.StringIO("".join(kept)),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise _parser_error(exc, kept, origin, delimiter, path) from None
    if not isinstance(frame.index, pd.RangeIndex):  # rows longer than the header
        raise _longer_than_header(len(frame.columns), kept, origin, delimiter, path)
    starts = _record_lines(kept, origin, delimiter)
    header = starts[0] if starts else origin[0]
    if frame.empty:
        raise UnreadableFile(
            "the data file has a header but no data rows",
            path,
            line=header + 1,
            fix="export the rows too, not only the header",
        )
    if len(frame.columns) == 1 and delimiter not in frame.columns[0]:
        for other in (";", "\t", ",", "|"):
            if other != delimiter and other in frame.columns[0]:
                raise UnreadableFile(
                    f"the data file has one column: its delimiter looks like {other!r}, "
                    f"not {delimiter!r}",
                    path,
                    line=header,
                    value=frame.columns[0][:60],
                    fix=f"set data.delimiter: {yaml_text(other)} in params.yaml",
                )
    frame.columns = [str(c).strip() for c in frame.columns]
    if starts is not None and len(starts) == len(frame) + 1:
        frame.index = pd.Index(starts[1:], name=LINE_INDEX)
    else:  # the csv module and pandas disagree on the records: count lines from the header
        frame.index = pd.Index(np.arange(len(frame)) + header + 1, name=LINE_INDEX)
    frame.attrs[HEADER_ATTR] = header
    return frame


def numbers(cells: pd.Series, decimal: str, path: Path, column: str) -> np.ndarray:
    """A text column as finite floats; BadNumber names the first bad cell's line."""
    text = cells.astype(str).str.strip()
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if not bad.any():
        return values
    row = int(bad.argmax())
    raw = cells.iloc[row]
    parsed = values[row]
    if raw.strip() == "" or raw.strip().lower() in {"na", "nan", "null", "none"}:
        what = "a number is missing"
        fix = "fill in the value, or drop the curve it belongs to"
    elif math.isnan(parsed):
        what = "a number column holds text"
        fix = (
            f"write plain numbers with {decimal!r} as the decimal mark "
            "(data.decimal in params.yaml sets it)"
        )
    else:
        what = "a number is infinite"
        fix = "replace the value with the measured angle, or drop the curve"
    raise BadNumber(
        what,
        path,
        line=line_of(cells, row),
        column=column,
        value=raw,
        expected=f"a finite number (decimal mark {decimal!r})",
        fix=fix,
    )


def whole_numbers(cells: pd.Series, decimal: str, path: Path, column: str, fix: str) -> np.ndarray:
    """A text column as integers; BadNumber names the first non-number or fractional cell."""
    values = numbers(cells, decimal, path, column)
    fractional = values % 1 != 0
    if fractional.any():
        row = int(fractional.argmax())
        raise BadNumber(
            "a whole number is expected",
            path,
            line=line_of(cells, row),
            column=column,
            value=cells.iloc[row],
            expected="an integer",
            fix=fix,
        )
    return values.astype(np.int64)
