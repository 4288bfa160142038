import json

from typer.testing import CliRunner

from gaitops.cli import app
from gaitops.data.sources.uci import read_uci
from gaitops.demo import plan_demo
from gaitops.paths import Paths
from helpers.project import free_port

runner = CliRunner()


def test_synthesize_writes_the_uci_layout(tmp_path):
    out = tmp_path / "uci.csv"
    result = runner.invoke(app, ["synthesize", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "181800 rows" in result.output
    table = read_uci(out)
    assert table["subject"].nunique() == 10 and table["condition"].nunique() == 3


def test_synthesize_refuses_an_unknown_layout(tmp_path):
    result = runner.invoke(
        app, ["synthesize", "--out", str(tmp_path / "x.csv"), "--layout", "parquet"]
    )
    assert result.exit_code == 1 and "use uci or canonical" in result.output


def test_outside_a_project_the_error_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["server", "start"])
    assert result.exit_code == 1 and "not inside a gaitops project" in result.output


def test_demo_plan_forces_ingest_when_the_stored_source_differs(
    tmp_path, tiny_settings, monkeypatch
):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    paths = Paths(tmp_path)
    paths.canonical_dir.mkdir(parents=True)
    paths.source_info.write_text(json.dumps({"name": "fgdi"}))
    plan = plan_demo(tiny_settings, tmp_path)  # tiny settings: synthetic
    assert plan.source == "synthetic" and plan.force_ingest and plan.warning is None
    paths.source_info.write_text(json.dumps({"name": "synthetic"}))
    assert not plan_demo(tiny_settings, tmp_path).force_ingest


def test_demo_plan_warns_loudly_when_fgdi_is_missing(tmp_path, tiny_settings, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GAITOPS_DATA_DIR", str(tmp_path / "nothing-here"))
    data = tiny_settings.data.model_copy(
        update={"source": "fgdi", "fallback": "synthetic", "download": False}
    )
    plan = plan_demo(tiny_settings.model_copy(update={"data": data}), tmp_path)
    assert plan.source == "synthetic"
    assert "FGDI DATA NOT AVAILABLE" in plan.warning and "GAITOPS_DATA_DIR" in plan.warning


def test_a_server_database_url_that_is_not_postgresql_is_one_line_and_starts_nothing(
    tmp_path, monkeypatch
):
    (tmp_path / "dvc.yaml").write_text("stages: {}\n")
    (tmp_path / "flows").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GAITOPS_PREFECT_PORT", str(free_port()))
    result = runner.invoke(app, ["server", "start", "--database-url", "mysql://gait:pw@db/prefect"])
    assert result.exit_code == 1
    assert "use postgresql://USER[:PASSWORD]@HOST" in result.output and "pw@" not in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / ".prefect" / "gaitops-server.pid").exists()
