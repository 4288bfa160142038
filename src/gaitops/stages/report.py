"""Stage report: the run report, one self-contained HTML file (data/report/index.html)."""

from __future__ import annotations

import logging
from typing import Any

from gaitops.config import Settings
from gaitops.io import atomic_directory, write_text
from gaitops.paths import Paths
from gaitops.report.run_report import report_html
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Write the report of the pipeline's current outputs."""
    page = report_html(paths)
    with atomic_directory(paths.report_page.parent) as tmp:
        write_text(tmp / paths.report_page.name, page)
    log.info("report: %s (%d kB)", paths.report_page, len(page.encode()) // 1024)
    return {"report": paths.report_page.relative_to(paths.root).as_posix(), "bytes": len(page)}
