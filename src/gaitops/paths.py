"""Where each stage reads and writes, relative to the project root (mirrors dvc.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PREDICTIONS_FILE = "predictions.csv"


def fold_model_name(fold: int) -> str:
    """The file name of fold `fold`'s model in the models folder."""
    return f"fold_{fold}.pt"


@dataclass(frozen=True)
class Paths:
    root: Path = Path(".")

    @property
    def ingested_dir(self) -> Path:
        """What ingest read, before the gate: it becomes data/canonical only when it passes."""
        return self.root / "data" / "ingested"

    @property
    def canonical_dir(self) -> Path:
        """The validated table: written by the validate stage, only when the gate passes."""
        return self.root / "data" / "canonical"

    @property
    def canonical_table(self) -> Path:
        return self.canonical_dir / "gait.parquet"

    @property
    def source_info(self) -> Path:
        return self.canonical_dir / "source.json"

    @property
    def source_lines(self) -> Path:
        """A user file's line of each canonical row (user files only)."""
        return self.canonical_dir / "lines.parquet"

    @property
    def rejected_report(self) -> Path:
        """The gate's report on data it rejected (not a DVC output: nothing stored is replaced)."""
        return self.root / "data" / "rejected" / "validation.json"

    @property
    def validation_dir(self) -> Path:
        return self.root / "data" / "validation"

    @property
    def validation_report(self) -> Path:
        return self.validation_dir / "report.json"

    @property
    def validation_raw(self) -> Path:
        """Great Expectations' own result (with run ids and times): for audit, not a dependency."""
        return self.validation_dir / "great_expectations.json"

    @property
    def tuning_dir(self) -> Path:
        return self.root / "data" / "tuning"

    @property
    def tuned_parameters(self) -> Path:
        return self.tuning_dir / "best_params.json"

    @property
    def tune_plots_dir(self) -> Path:
        return self.plots_dir / "tune"

    @property
    def models_dir(self) -> Path:
        return self.root / "data" / "models"

    def fold_model(self, fold: int) -> Path:
        """The model fitted on fold `fold`'s training part (explain and score load it)."""
        return self.models_dir / fold_model_name(fold)

    @property
    def predictions(self) -> Path:
        """Every held-out prediction of the train stage, one row per sample."""
        return self.models_dir / PREDICTIONS_FILE

    @property
    def explanations_dir(self) -> Path:
        return self.root / "data" / "explanations"

    def explanations_of(self, method: str) -> Path:
        return self.explanations_dir / method

    @property
    def selection_dir(self) -> Path:
        return self.root / "data" / "selection"

    @property
    def comparison_dir(self) -> Path:
        """The methods x scores table, the ranking and the atlas of the trusted explainer."""
        return self.root / "data" / "comparison"

    @property
    def report_page(self) -> Path:
        """The run report: one self-contained HTML file (the report stage writes it)."""
        return self.root / "data" / "report" / "index.html"

    @property
    def metrics_dir(self) -> Path:
        return self.root / "metrics"

    @property
    def plots_dir(self) -> Path:
        return self.root / "plots"

    def score_plots_of(self, method: str) -> Path:
        return self.plots_dir / "score" / method

    @property
    def train_plots_dir(self) -> Path:
        return self.plots_dir / "train"

    def metrics(self, stage: str) -> Path:
        """The stage's headline numbers, a DVC metrics file (see gaitops.records)."""
        return self.metrics_dir / f"{stage}.json"

    def item_metrics(self, stage: str, item: str) -> Path:
        """The metrics of one item of a stage DVC runs per item (explain@METHOD, score@METHOD)."""
        return self.metrics_dir / stage / f"{item}.json"

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    def record(self, stage: str) -> Path:
        """Everything the stage found (protocol, source, per fold, descriptive text)."""
        return self.records_dir / f"{stage}.json"

    def item_record(self, stage: str, item: str) -> Path:
        """The record of one item of a stage DVC runs per item (explain@METHOD, score@METHOD)."""
        return self.records_dir / stage / f"{item}.json"
