"""The parent `retrain` flow: reproduce the DVC pipeline, then publish its metrics in Prefect.

One run now: `gaitops run` (flows/run.py); scheduled runs: `gaitops schedule` (flows/schedule.py).

Without overrides the stale stages run in this process as subflows of the retrain run (DVC
decides what is stale and records each stage in dvc.lock, see gaitops.dvc_repro). With `-S`
overrides the run is a named DVC experiment in a temporary copy (`dvc exp run --temp`: the
workspace and params.yaml stay as they were), whose stage processes tag their flow runs with
this retrain run's id. One retrain at a time holds the project's lock (gaitops.retrain_lock);
it marks runs left RUNNING by a killed retrain CRASHED.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed

from flows.abandoned import (
    last_interrupted,
    mark_abandoned_runs,
    project_tag,
)
from flows.alerts import alert_abandoned, send_alert
from flows.runtime import RETRAIN_TAG_ENV, failed_without_traceback, untagged_task_runs
from flows.stages import run_stage_flow
from gaitops.config import Settings, load_settings
from gaitops.data.external import record_external_files
from gaitops.dvc_repro import ReproFailed, reproduce_in_process
from gaitops.errors import GaitopsError
from gaitops.experiments import (
    checked_overrides,
    experiment_command,
    experiment_metrics,
    experiment_name,
    require_baseline_commit,
)
from gaitops.io import read_json, write_json
from gaitops.lifecycle.drift_gate import DriftFailed, Reference, check_drift, promoted_reference
from gaitops.lifecycle.git import GitError
from gaitops.lifecycle.keeper import Kept, fallback_reason, keep_retrain
from gaitops.paths import Paths
from gaitops.report.offline_vega import install_plot_templates, plot_templates_installed
from gaitops.report.provenance import (
    artifact_key,
    drift_markdown,
    fold_table,
    provenance_markdown,
)
from gaitops.report.summary import collect_metrics, metrics_markdown
from gaitops.retrain_lock import exclusive_retrain


def check_components(settings: Settings) -> None:
    """The components params.yaml names, each through its registry, before any stage runs: the
    data source, the models and their options, the tuner's sampler and samplers' options, every
    explainer's and score's options (imported here: the registries load their components)."""
    from gaitops.data.sources.registry import check_data_source
    from gaitops.explain.registry import check_explain_options
    from gaitops.models.registry import check_models
    from gaitops.scoring.registry import check_score_options
    from gaitops.tuning.samplers.registry import check_sampler_options

    check_data_source(settings.data)
    check_models(settings)
    check_sampler_options(settings.tune)
    check_explain_options(settings.explain.methods, settings.explain.options)
    check_score_options(settings.score.scores, settings.score.options)


TRANSIENT_MARKS = (
    "database is locked",
    "timed out",
    "connection refused",
    "temporarily unavailable",
)


def transient_failure(task: Any, task_run: Any, state: Any) -> bool:
    """A task's retry condition: retry what may pass on its own (a locked database, a service
    that does not answer yet), never a user's error (bad data, bad settings)."""
    try:
        state.result()
    except GaitopsError:
        return False
    except (ConnectionError, TimeoutError):
        return True
    except Exception as exc:
        return any(mark in str(exc).lower() for mark in TRANSIENT_MARKS)
    return False


def _tool_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment for dvc and the stage commands it runs: this interpreter's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


@task(name="dvc exp run --temp", cache_policy=NO_CACHE)
def run_experiment(name: str, overrides: list[str]) -> str | None:
    """The pipeline as DVC experiment `name` with `overrides`, in a temporary copy (params.yaml
    and the workspace untouched); its stage runs are tagged with this run's id. Returns why it
    failed (the flow raises it, so the task logs no traceback), or None."""
    logger = get_run_logger()
    command = experiment_command(name, overrides)
    logger.info("$ %s", " ".join(command))
    run_tags = f"retrain:{flow_run.get_id()},{project_tag(Path('.'))}"
    process = subprocess.Popen(
        command,
        env=_tool_env({RETRAIN_TAG_ENV: run_tags}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    tail: list[str] = []
    for line in process.stdout:
        line = line.rstrip()
        if line:
            logger.info(line)
            tail = [*tail[-30:], line]
    if process.wait() != 0:
        return (
            f"experiment {name} failed (`{' '.join(command)}`, exit {process.returncode}); "
            "the workspace and params.yaml are unchanged:\n" + "\n".join(tail[-12:])
        )
    return None


@task(
    name="publish metrics",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_condition_fn=transient_failure,
)
def publish(
    settings: Settings, ran: list[str] | None = None, experiment: str | None = None
) -> dict[str, Any]:
    """The run's artifacts, keyed per task and model so histories do not mix: the metrics
    summary, the metrics per fold (mean ± sd, protocol named), the provenance and a link to
    the run report."""
    root = Path(".")
    metrics = experiment_metrics(root, experiment) if experiment else collect_metrics(Paths(root))
    heading = f"# gaitops experiment {experiment}" if experiment else "# gaitops retrain"
    if ran == []:
        heading += "\n\nNothing changed since the last run: these are the stored results."
    create_markdown_artifact(
        key=artifact_key(settings, "metrics"),
        markdown=f"{heading}\n\n{metrics_markdown(metrics)}",
        description="Cross-validated metrics and explanation scores of this retrain run",
    )
    train = metrics.get("train", {})
    if train.get("folds"):
        create_table_artifact(
            key=artifact_key(settings, "folds"),
            table=fold_table(train),
            description="Metrics per held-out fold, then mean ± sd",
        )
    params = settings.model_dump(by_alias=True, mode="json")
    memory = root / ".gaitops" / "last_params.json"
    previous = read_json(memory) if memory.exists() else None
    create_markdown_artifact(
        key=artifact_key(settings, "provenance"),
        markdown=provenance_markdown(
            root, params, previous, ran, experiment, train.get("source", {})
        ),
        description="Code, data, dvc.lock and model hashes, params and their changes",
    )
    if not experiment:
        write_json(memory, params)
        report = Paths(root).report_page.resolve()
        if report.exists():
            create_link_artifact(
                key=artifact_key(settings, "report"),
                link=report.as_uri(),
                link_text=f"run report: {report}",
                description="The run report: one self-contained HTML file (opens with no network)",
            )
    return metrics


@task(name="drift against the promoted model", cache_policy=NO_CACHE)
def drift_check(settings: Settings, reference: Reference) -> tuple[dict[str, Any], str | None]:
    """The new data's drift from the promoted model's training data (an artifact, a warning
    past the thresholds); returns it and, in fail mode past them, why the retrain stops (the
    flow raises it, so the task logs no traceback)."""
    logger = get_run_logger()
    try:
        drift = check_drift(Path("."), settings, reference)
    except DriftFailed as exc:
        return {"checked": True, "beyond_thresholds": True, "summary": str(exc)}, str(exc)
    if drift is None:
        logger.info("%s", reference.against)
        return {"checked": False, "summary": reference.against}, None
    found = {"checked": True, "against": reference.against, **drift.as_dict()}
    create_markdown_artifact(
        key=artifact_key(settings, "drift"),
        markdown=drift_markdown(found),
        description="The new data against the promoted model's training data",
    )
    log = logger.warning if drift.beyond else logger.info
    log("drift %s: %s", reference.against, drift.summary())
    return found, None


@task(
    name="keep, gate and register the retrain",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_condition_fn=transient_failure,
)
def keep(settings: Settings, trigger: str, drift: dict[str, Any]) -> Kept | None:
    """The retrain as a commit of the history branch, its model registered and promoted when
    it is not worse than the promoted one; None (with a warning) where git cannot keep it."""
    try:
        run_id = flow_run.root_flow_run_id or flow_run.get_id()  # a scheduled run's own id
        return keep_retrain(Path("."), settings, trigger, str(run_id), drift)
    except GitError as exc:
        get_run_logger().warning("this retrain is not kept in the history: %s", exc)
        return None


@flow(
    name="retrain",
    log_prints=True,
    on_failure=[send_alert],
    on_crashed=[send_alert],
    on_completion=[send_alert],
)
def retrain(
    overrides: list[str] | None = None,
    force_ingest: bool = False,
    wait_for_lock: bool = False,
    trigger: str = "manual",
) -> Any:
    """Run every out-of-date stage (each a subflow), then publish the metrics artifact; with
    `overrides`, run a named DVC experiment instead and publish its metrics.

    Runs in the current directory, the project root, holding the project's retrain lock (a
    second retrain waits or is refused). Each retrain without overrides is then kept as a commit
    of the history branch and its model judged by the promotion gate (gaitops.lifecycle). Ends
    Completed, with a message when the model was not promoted or the data came from the
    fallback source, and Failed with the user's error (one line, no traceback) when a stage
    rejected the data or the settings.
    """
    root = Path(".")
    tag = project_tag(root)
    run_id = str(flow_run.get_id())
    logger = get_run_logger()
    try:
        with exclusive_retrain(root, wait=wait_for_lock, run_id=run_id), tags(tag):
            ours = {run_id, str(flow_run.get_parent_flow_run_id()), str(flow_run.root_flow_run_id)}
            # crashed runs first: the newest finished retrain is then the one before this
            crashed = mark_abandoned_runs(tag, ours, f"flow run {flow_run.get_name()}")
            interrupted = last_interrupted(tag)
            if interrupted:
                logger.warning("%s", interrupted)
            settings = load_settings("params.yaml")
            check_components(settings)
            if crashed:
                logger.warning("marked CRASHED, their process had died: %s", ", ".join(crashed))
                alert_abandoned(settings.alerts, crashed)
            if not plot_templates_installed(root / ".dvc"):
                install_plot_templates(root / ".dvc")  # what `dvc plots show` draws with
            if record_external_files(settings, root):
                logger.info("data files outside the repository changed: ingest runs again")
            if overrides:
                experiment_settings = checked_overrides(root / "params.yaml", list(overrides))
                check_components(experiment_settings)
                require_baseline_commit(root)
                name = experiment_name()
                with untagged_task_runs():  # this run's tasks; its flow runs keep the tags
                    failure = run_experiment(name, list(overrides))
                    if failure:
                        raise ReproFailed(failure)
                    return publish(experiment_settings, None, name)
            drift: dict[str, Any] = {"checked": False, "summary": "the data did not change"}
            reference = promoted_reference(root, settings)  # before DVC's lock is taken

            def gated_stage(address: str) -> Any:
                """A stage; before the gate, the drift of the new data."""
                if address == "validate":
                    with untagged_task_runs():
                        found, stop = drift_check(settings, reference)
                    drift.update(found)
                    if stop:
                        raise DriftFailed(stop)
                return run_stage_flow(address)

            ran = reproduce_in_process(
                root,
                gated_stage,
                force_stages=frozenset({"ingest"}) if force_ingest else frozenset(),
            )
            logger.info("stages run: %s", ", ".join(ran) or "none (all up to date)")
            with untagged_task_runs():
                metrics = publish(settings, ran)
                kept = keep(settings, trigger, drift)
    except GaitopsError as exc:
        return failed_without_traceback(exc)
    notes = []
    if kept is not None and not kept.decision.promote:
        notes.append(kept.decision.reason)
    if drift.get("beyond_thresholds"):
        notes.append(f"DRIFT: {drift['summary']}")
    reason = fallback_reason(Paths(root))
    if reason:
        logger.warning("FALLBACK DATA: %s", reason)
        notes.append(f"FALLBACK DATA: {reason}")
    return Completed(message="; ".join(notes), data=metrics) if notes else metrics
