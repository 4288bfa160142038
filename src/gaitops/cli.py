"""The `gaitops` command: run the demo, the pipeline, the schedule, and the Prefect server."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from gaitops.errors import DEBUG_ENV, GaitopsError
from gaitops.garbage_collection import imports_uncollected, no_collection_at_exit

app = typer.Typer(
    help="gaitops: explainable deep learning on gait kinematics (Prefect + DVC).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    debug: Annotated[
        bool, typer.Option("--debug", help="show the traceback of an error, not just its message")
    ] = False,
) -> None:
    """Errors in your data or settings print one short block; --debug adds the traceback."""
    no_collection_at_exit()
    if debug:
        os.environ[DEBUG_ENV] = "1"


server_app = typer.Typer(
    help="The project's own Prefect server (embedded SQLite, 127.0.0.1).", no_args_is_help=True
)
app.add_typer(server_app, name="server")
tune_app = typer.Typer(help="The tuners' Optuna studies.", no_args_is_help=True)
app.add_typer(tune_app, name="tune")


def _project_root() -> Path:
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "dvc.yaml").exists() and (folder / "flows").is_dir():
            return folder
    raise GaitopsError(
        f"{here}: not inside a gaitops project (no dvc.yaml and flows/ here or above)."
    )


def _flows(module: str) -> ModuleType:
    """Import a module of the project's flows/ package (it lives beside src/, not inside it);
    flows run in the project root, so work there."""
    root = _project_root()
    os.chdir(root)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    with imports_uncollected():  # Prefect and the flows' modules: never walked again
        return importlib.import_module(f"flows.{module}")


def _fail(exc: GaitopsError) -> None:
    """Print the user's error once (its traceback too under --debug) and exit 1."""
    if os.environ.get(DEBUG_ENV):
        raise exc
    typer.secho(f"gaitops: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _banner(text: str) -> None:
    line = "!" * 78
    typer.secho(f"\n{line}\n{text}\n{line}\n", fg=typer.colors.YELLOW, bold=True, err=True)


@app.command()
def demo() -> None:
    """Run the whole pipeline on the default data, recorded in the project's Prefect server."""
    from gaitops.config import load_settings
    from gaitops.demo import plan_demo

    try:
        root = _project_root()
        plan = plan_demo(load_settings(root / "params.yaml"), root)
        if plan.warning:
            _banner(plan.warning)
        run_flow = _flows("run")
        runtime = _flows("runtime")
        with runtime.prefect_api(root) as api_url:
            code = run_flow.run_interruptibly(
                lambda: run_flow.run_once([], allow_fallback=True, force_ingest=plan.force_ingest)
            )
        if code:
            raise typer.Exit(code)
        from gaitops.report.summary import summary_for

        typer.echo("\n" + summary_for(root))
        typer.echo(plan.where_to_look(api_url))
    except GaitopsError as exc:
        _fail(exc)


@app.command()
def run(
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", "-S", help="param override, e.g. models.resnet1d.max_epochs=10"),
    ] = None,
    wait: Annotated[
        bool,
        typer.Option(help="wait for a retrain already running in this project instead of refusing"),
    ] = False,
    allow_fallback: Annotated[
        bool,
        typer.Option(
            help="exit 0 even if the built-in data set was missing and fallback data was used"
        ),
    ] = False,
) -> None:
    """Run the retrain flow once (dvc repro, or dvc exp run with overrides)."""
    try:
        run_flow = _flows("run")
    except GaitopsError as exc:
        _fail(exc)
        return
    raise typer.Exit(run_flow.run_command(set_ or [], allow_fallback, wait))


@app.command()
def schedule(
    cron: Annotated[
        str, typer.Option(help="cron schedule of the retrain deployment")
    ] = "0 2 * * *",
    pool: Annotated[
        str | None,
        typer.Option(
            help="register it on this process work pool, run by `prefect worker start --pool "
            "NAME` (a service), instead of serving it from this terminal"
        ),
    ] = None,
) -> None:
    """Schedule the retrain flow as a deployment (runs appear in the Prefect UI)."""
    try:
        schedule_flows = _flows("schedule")
    except GaitopsError as exc:
        _fail(exc)
        return
    raise typer.Exit(schedule_flows.schedule_command(cron, pool))


@app.command()
def lineage(
    file: Annotated[Path, typer.Argument(help="a stored file, e.g. data/models/final.pt")],
    rev: Annotated[
        str | None,
        typer.Option(help="a past retrain: its commit (gaitops history) or model version (v2)"),
    ] = None,
) -> None:
    """Which stage produced FILE, from which data, params and code, and whether it is current."""
    from gaitops.lineage import lineage_of

    try:
        root = _project_root()
        where = file if file.is_absolute() else Path.cwd() / file
        typer.echo(lineage_of(root, where, rev).render())
    except GaitopsError as exc:
        _fail(exc)


@app.command()
def history() -> None:
    """Every retrain kept: when, trigger, data hash, figure, model version, promoted and why."""
    from gaitops.config import load_settings
    from gaitops.lifecycle.history import read_history
    from gaitops.lifecycle.tables import history_table

    try:
        root = _project_root()
        branch = load_settings(root / "params.yaml").promote.history_branch
        typer.echo(history_table(read_history(root, branch)))
    except GaitopsError as exc:
        _fail(exc)


@app.command()
def models() -> None:
    """The registered model versions (GTO tags) and the stages they hold."""
    from gaitops.config import load_settings
    from gaitops.lifecycle.history import read_history
    from gaitops.lifecycle.registry import versions
    from gaitops.lifecycle.tables import models_table

    try:
        root = _project_root()
        branch = load_settings(root / "params.yaml").promote.history_branch
        typer.echo(models_table(versions(root), read_history(root, branch)))
    except GaitopsError as exc:
        _fail(exc)


@app.command()
def predict(
    file: Annotated[
        Path, typer.Argument(help="a new recording (CSV, as data.source: long_csv reads)")
    ],
    model: Annotated[
        str | None,
        typer.Option(
            help="a model version (v3), retrain commit or model file; default: the promoted one"
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="folder for predictions.csv and cards/ (default: predictions/FILE-STEM)"),
    ] = None,
) -> None:
    """Predict each sample of FILE with the promoted model; a card per sample says why."""
    from gaitops.config import load_settings
    from gaitops.lifecycle.predict import predict_file

    try:
        where = file if file.is_absolute() else Path.cwd() / file
        target = out if out is None or out.is_absolute() else Path.cwd() / out
        root = _project_root()
        stem = where.name.split(".")[0]
        result = predict_file(
            root,
            load_settings(root / "params.yaml"),
            where,
            model,
            target or root / "predictions" / stem,
        )
        typer.echo(result.render())
    except GaitopsError as exc:
        _fail(exc)


@app.command()
def synthesize(
    out: Annotated[Path, typer.Option(help="file to write, e.g. data/raw/uci_synthetic.csv")],
    layout: Annotated[
        str, typer.Option(help="uci (exactly the UCI gait.csv layout) or canonical")
    ] = "uci",
    seed: Annotated[int, typer.Option(help="generator seed")] = 7,
) -> None:
    """Write a synthetic cohort: `uci` = 10 subjects x unbraced / knee / ankle brace x 10 cycles."""
    from gaitops.data.sources.synthetic import UCI_LIKE, generate
    from gaitops.data.sources.uci import write_uci
    from gaitops.io import write_csv

    if layout not in ("uci", "canonical"):
        _fail(GaitopsError(f"--layout {layout!r}: use uci or canonical."))
    table = generate(UCI_LIKE.model_copy(update={"seed": seed}))
    if layout == "uci":
        write_uci(table, out)
    else:
        write_csv(out, table)
    typer.echo(f"wrote {len(table)} rows ({layout} layout) to {out}")


@server_app.command("start")
def server_start(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="PostgreSQL database for the server's runs: postgresql://USER@HOST:PORT/DB "
            "(default: GAITOPS_PREFECT_DATABASE_URL, else SQLite under .prefect/)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the project's Prefect server (or find it running) and print the UI address."""
    from gaitops.prefect_server import default_spec, is_healthy, running_database, start

    try:
        spec = default_spec(_project_root(), database_url)
        if is_healthy(spec.api_url):
            running = running_database(spec) or "not started by gaitops"
            typer.echo(
                f"Prefect UI: {spec.ui_url}  (a server already answers; database: {running})"
            )
            if database_url and running != spec.database:
                _fail(
                    GaitopsError(
                        f"the server on port {spec.port} uses {running}, not {spec.database}: "
                        "`gaitops server stop` first, or set GAITOPS_PREFECT_PORT to another port."
                    )
                )
            return
        start(spec)
        typer.echo(f"Prefect UI: {spec.ui_url}  (API {spec.api_url}, database: {spec.database})")
    except GaitopsError as exc:
        _fail(exc)


@server_app.command("stop")
def server_stop() -> None:
    """Stop the project's Prefect server."""
    from gaitops.prefect_server import default_spec, stop

    try:
        stopped = stop(default_spec(_project_root()))
    except GaitopsError as exc:
        _fail(exc)
        return
    typer.echo("stopped" if stopped else "no server of this project was running")


@server_app.command("status")
def server_status() -> None:
    """Say whether the project's Prefect server answers, and which database it uses."""
    from gaitops.prefect_server import default_spec, is_healthy, running_database

    try:
        spec = default_spec(_project_root())
    except GaitopsError as exc:
        _fail(exc)
        return
    up = is_healthy(spec.api_url)
    database = running_database(spec) if up else None
    typer.echo(
        f"{spec.ui_url}: {'up' if up else 'down'}"
        + (f" (database: {database})" if database else "")
    )
    raise typer.Exit(0 if up else 1)


@tune_app.command("dashboard")
def tune_dashboard(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 8080,
    storage: Annotated[
        str | None, typer.Option(help="Optuna storage URL (default: tune.storage in params.yaml)")
    ] = None,
) -> None:
    """Serve optuna-dashboard on 127.0.0.1 for the tuning studies (Ctrl-C to stop)."""
    from gaitops.config import load_settings

    try:
        root = _project_root()
        os.chdir(root)
        url = storage or load_settings(root / "params.yaml").tune.storage
    except GaitopsError as exc:
        _fail(exc)
        return
    from optuna_dashboard import run_server

    from gaitops.tuning.study import open_storage

    typer.echo(f"optuna-dashboard for {url} on http://127.0.0.1:{port}/  (Ctrl-C to stop)")
    run_server(open_storage(url), host="127.0.0.1", port=port)
