"""Panels and matrix files drawn as SVG, offline, with the same templates `dvc plots show` uses.

The Vega-Lite templates (src/gaitops/report/vega/, installed into .dvc/plots/ for DVC) are
filled as DVC fills them (data and title) and rendered by vl-convert, so the report shows the
very charts a team sees in `dvc plots show`, with no JavaScript and no network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import vl_convert

VEGA = Path(__file__).parent / "vega"
PANELS_TEMPLATE = VEGA / "gaitops_panels.json"
MATRIX_TEMPLATE = VEGA / "gaitops_matrix.json"


def _filled(template: Path, frame: pd.DataFrame, title: str) -> dict[str, Any]:
    rows = json.loads(frame.assign(rev="workspace").to_json(orient="records"))
    text = template.read_text(encoding="utf-8")
    text = text.replace('"<DVC_METRIC_DATA>"', json.dumps(rows))
    return json.loads(text.replace("<DVC_METRIC_TITLE>", title.replace('"', "'")))


def _own_ids(svg: str, prefix: str) -> str:
    """The SVG with its element ids renamed `prefix`-0, -1… in order: the renderer numbers
    gradients and clips per process, which would make the page differ between runs and
    collide between charts of one page."""
    ids = list(dict.fromkeys(re.findall(r'\bid="([^"]+)"', svg)))
    renamed = {old: f"{prefix}-{k}" for k, old in enumerate(ids)}
    if not renamed:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + renamed[m.group(2)], svg)


def chart_svg(template: Path, table: Path, title: str) -> str:
    """The SVG of `table` drawn by `template`, its ids named after `title`."""
    spec = _filled(template, pd.read_csv(table), title)
    prefix = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")
    return _own_ids(vl_convert.vegalite_to_svg(spec), prefix)
