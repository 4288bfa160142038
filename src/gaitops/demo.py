"""What the demo will run on, and what it tells the user afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gaitops.config import Settings
from gaitops.data.fetch import DATA_DIR_ENV
from gaitops.errors import DataSourceError
from gaitops.io import read_json
from gaitops.paths import Paths
from gaitops.pipeline import STAGE_NAMES
from gaitops.stages.ingest import load_source


@dataclass(frozen=True)
class DemoPlan:
    source: str
    warning: str | None
    force_ingest: bool
    root: Path

    def where_to_look(self, api_url: str) -> str:
        paths = Paths(self.root)
        ui = api_url.removesuffix("/api") + "/"
        return "\n".join(
            [
                "",
                "Results:",
                f"  metrics        {paths.metrics_dir}/ (train.json, compare.json, score/ per method; `dvc metrics show`)",
                f"  validation     {paths.validation_report} (summary and every check)",
                f"  models         {paths.models_dir}/ (one per fold, predictions.csv; final.pt: the model to use)",
                "  retrains       `gaitops history` (kept on branch gaitops/retrains), `gaitops models` (gait-model@vN, stage prod)",
                "  predict        `gaitops predict FILE` (the promoted model on a new recording)",
                f"  explainers     {paths.comparison_dir}/table.md (methods x scores, the one to trust), atlas.png",
                f"  explanations   {paths.explanations_dir}/METHOD/ (attributions, attributions_by_class.png)",
                f"  plots          {paths.train_plots_dir}/ (`dvc plots show`: offline)",
                f"  report         {paths.report_page} (one self-contained page)",
                "  lineage        dvc.lock (`dvc dag`, `dvc status`)",
                f"Prefect UI: {ui}  (flow run `retrain`, with its stage runs nested under it: {', '.join(STAGE_NAMES)}; explain and score once per method)",
                "  the server keeps running; `make ui` finds it (or starts it) and prints its address, `make server-stop` stops it.",
            ]
        )


def plan_demo(settings: Settings, root: Path) -> DemoPlan:
    """Find out which source the run will use; force ingest when that differs from the stored table."""
    warning = None
    try:
        load_source(
            settings.model_copy(
                update={"data": settings.data.model_copy(update={"fallback": None})}
            )
        )
        source = settings.data.source
    except DataSourceError as exc:
        if settings.data.fallback is None:
            raise
        source = settings.data.fallback
        warning = (
            f"{settings.data.source.upper()} DATA NOT AVAILABLE: {exc}\n"
            f"The demo runs on the `{source}` source instead; every metrics file says so.\n"
            f"For the real data set {DATA_DIR_ENV} to the directory holding {settings.data.source}/."
        )
    stored = Paths(root).source_info
    stored_source = read_json(stored)["name"] if stored.exists() else None
    return DemoPlan(source, warning, force_ingest=stored_source not in (None, source), root=root)
