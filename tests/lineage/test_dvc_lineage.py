"""dvc.yaml's record of what each stage depends on matches what the stage's command imports."""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath

import pytest
import yaml

from gaitops.explain.registry import EXPLAINER_NAMES
from gaitops.pipeline import STAGE_NAMES, STAGES, Stage
from helpers.imports import ROOT, project_imports, reached_without, static_imports

DVC = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]

# Imported by every stage's command, but they only decide where and how it runs (Prefect's API
# and log wiring, the task runner, the server, database URLs, when Python collects garbage),
# never what it computes: the outputs are byte-identical without Prefect and without the
# collector's settings, through a serial flow and on two Dask workers
# (tests/integration/test_dask.py). Leaving them out keeps a change to them from re-running
# the pipeline. Anything that can change bytes (flows/stages.py sets torch threads) stays a dep.
ORCHESTRATION_ONLY = frozenset(
    {
        "flows/__init__.py",
        "flows/runtime.py",
        "flows/task_runners.py",
        "src/gaitops/prefect_server.py",
        "src/gaitops/database_urls.py",
        "src/gaitops/garbage_collection.py",
    }
)


def _covered(file: str, deps: list[str]) -> bool:
    path = PurePosixPath(file)
    return any(path == PurePosixPath(dep) or PurePosixPath(dep) in path.parents for dep in deps)


def _body(stage: Stage) -> dict:
    """The stage's definition (for a `foreach` stage, its `do` template)."""
    return DVC[stage.name]["do"] if stage.foreach else DVC[stage.name]


def test_dvc_yaml_lists_the_stages_in_pipeline_order():
    assert list(DVC) == list(STAGE_NAMES)
    for stage in STAGES:
        item = " ${item}" if stage.foreach else ""
        assert _body(stage)["cmd"] == f"python -m flows.stages {stage.name}{item}"
        if stage.foreach:
            assert DVC[stage.name]["foreach"] == "${" + stage.foreach + "}"


METHOD_MODULES = "src/gaitops/explain/methods/{}.py"


@cache
def _method_imports(method: str) -> frozenset[str]:
    """What explainer `method`'s module imports: the registry loads it only when asked for."""
    return frozenset(project_imports(f"gaitops.explain.methods.{method}"))


@cache
def _command_imports(stage: Stage) -> frozenset[str]:
    """What the stage's command imports; a stage that maps items also runs what
    flows.stages.prefect_map imports when it runs."""
    mapping = ("gaitops.models.seeding",) if stage.item_task else ()
    return frozenset(project_imports("flows.stages", stage.module, *mapping))


SETTINGS = "src/gaitops/settings/"
SECTION_MODULES = frozenset(
    f for f in static_imports("src/gaitops/config.py") if f.startswith(SETTINGS)
)


@cache
def _settings_needed(stage: Stage) -> frozenset[str]:
    """The settings modules a stage depends on: its params sections' (their defaults and
    validators decide the values it reads) and those its code imports other than through
    gaitops.config. The other sections' modules run only when params.yaml is read, where they
    can refuse it but never change this stage's outputs, so a stage does not depend on them:
    editing the tune section's code re-runs tune, not ingest."""
    sections = {key.split(".")[0] for key in _body(stage).get("params", [])}
    own = {f"{SETTINGS}{section}.py" for section in sections} & SECTION_MODULES
    mapping = ["gaitops.models.seeding"] if stage.item_task else []
    config_only = {"src/gaitops/config.py": set(SECTION_MODULES)}
    imported = reached_without(["flows.stages", stage.module, *mapping], config_only)
    return frozenset(own | {f for f in imported if f.startswith(SETTINGS)})


def _stage_imports(stage: Stage, item: str | None) -> set[str]:
    """What the stage runs that can change its outputs: its imports, less the settings modules
    of the sections it does not read."""
    imported = _command_imports(stage) | (_method_imports(item) if item else set())
    unread = SECTION_MODULES - _settings_needed(stage)
    return set(imported - unread)


def _items(stage: Stage) -> list[str | None]:
    """Every item DVC may expand the stage over: each registered explainer."""
    return list(EXPLAINER_NAMES) if stage.foreach == "explain.methods" else [None]


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_every_imported_project_file_is_a_dependency(stage: Stage):
    for item in _items(stage):
        imported = _stage_imports(stage, item)
        assert f"src/gaitops/stages/{stage.name}.py" in imported
        deps = [d.replace("${item}", item or "") for d in _body(stage)["deps"]]
        missing = [f for f in imported if f not in ORCHESTRATION_ONLY and not _covered(f, deps)]
        assert not missing, f"dvc.yaml stage {stage.name}@{item} lacks deps: {missing}"


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_a_stage_depends_on_the_settings_of_the_sections_it_reads_only(stage: Stage):
    deps = set(_body(stage)["deps"])
    assert "src/gaitops/config.py" in deps  # it reads params.yaml
    assert _settings_needed(stage) <= deps
    assert not (SECTION_MODULES - _settings_needed(stage)) & deps, "a section it does not read"


def test_each_params_section_has_its_own_settings_module():
    """Or, for `models`, each model's own options model beside its code (models.NAME is checked
    through gaitops.models.registry, which the stages that train import)."""
    sections = {f.removeprefix(SETTINGS).removesuffix(".py") for f in SECTION_MODULES}
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    assert sections | {"models"} >= set(params)
    assert "models" not in sections  # reading params.yaml imports no model code


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_a_method_stage_depends_on_its_own_explainer_only(stage: Stage):
    """explain@lime and score@lime load lime's module and no other explainer's, so editing one
    explainer re-runs only its own stages."""
    for item in _items(stage):
        imported = _stage_imports(stage, item)
        others = {METHOD_MODULES.format(m) for m in EXPLAINER_NAMES if m != item}
        assert not others & imported, f"{stage.name}@{item} imports {sorted(others & imported)}"
        deps = set(_body(stage)["deps"])
        assert not others & deps and "src/gaitops/explain/methods" not in deps
        assert "src/gaitops/explain" not in deps  # the whole package would re-run it for any


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_code_that_only_places_the_work_is_no_dependency(stage: Stage):
    imported = _command_imports(stage)
    assert imported >= ORCHESTRATION_ONLY  # the allow-list names only what stages really import
    assert not ORCHESTRATION_ONLY & set(_body(stage)["deps"])
    assert "flows/stages.py" in _body(stage)["deps"]  # it sets the torch threads: bytes


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_no_stage_depends_on_another_stages_module(stage: Stage):
    others = {f"src/gaitops/stages/{s.name}.py" for s in STAGES if s is not stage}
    assert not others & set(_body(stage)["deps"])
    assert "src/gaitops/stages" not in _body(stage)["deps"]


def test_light_stages_do_not_import_the_training_stack():
    """Nor do tune and select until they are enabled (off by default): a disabled one records
    that in a process of 1.6 s of CPU instead of 6."""
    for name in ("ingest", "validate", "tune", "select", "report"):
        imported = project_imports("flows.stages", f"gaitops.stages.{name}")
        assert not any(f.startswith("src/gaitops/models/") for f in imported), name


def test_dvc_lock_holds_only_the_live_stages_of_params_yaml():
    """An entry for a stage no longer in the pipeline (a method dropped from explain.methods)
    would describe outputs nothing produces any more."""
    from gaitops.config import load_settings
    from gaitops.pipeline import addresses

    lock = yaml.safe_load((ROOT / "dvc.lock").read_text())
    live = set(addresses(load_settings(ROOT / "params.yaml")))
    orphaned = sorted(set(lock["stages"]) - live)
    assert not orphaned, f"dvc.lock holds stages that no longer run: {orphaned}"
