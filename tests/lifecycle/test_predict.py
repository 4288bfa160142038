"""`gaitops predict`: a new recording read, gated and checked as training data, then predicted
by the final model, with a card per sample."""

import pandas as pd
import pytest

from gaitops.data.sources.synthetic import generate
from gaitops.errors import ValidationFailed
from gaitops.io import write_csv
from gaitops.lifecycle.predict import RecordingMismatch, predict_file
from gaitops.paths import Paths
from gaitops.pipeline import get_stage


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_settings) -> Paths:
    """A project whose train stage has run: data/models/final.pt is the model to use."""
    paths = Paths(tmp_path_factory.mktemp("project"))
    settings = tiny_settings.model_copy(
        update={"train": tiny_settings.train.model_copy(update={"baselines": False})}
    )
    for name in ("ingest", "validate", "train"):
        get_stage(name).function()(settings, paths)
    return paths


def new_cohort(tiny_settings, tmp_path, seed: int = 11, **drop) -> tuple[pd.DataFrame, object]:
    """Unseen subjects of the same groups, written in gaitops' canonical columns."""
    table = generate(tiny_settings.synthetic.model_copy(update={"seed": seed}))
    table = table.assign(subject="new-" + table["subject"].astype(str))
    if drop.get("columns"):
        table = table.drop(columns=drop["columns"])
    if drop.get("curve"):
        table = table[table["joint"] != drop["curve"]]
    path = tmp_path / "recording.csv"
    write_csv(path, table)
    return table, path


def test_a_labelled_recording_is_predicted_with_cards(trained, tiny_settings, tmp_path):
    table, path = new_cohort(tiny_settings, tmp_path)
    model = str(trained.models_dir / "final.pt")
    result = predict_file(trained.root, tiny_settings, path, model, tmp_path / "out")
    frame = pd.read_csv(tmp_path / "out" / "predictions.csv")
    samples = table[["subject", "session", "cycle"]].drop_duplicates()
    assert len(frame) == len(samples) == len(result.frame)
    probabilities = frame.filter(like="p_")
    assert list(probabilities.columns) == ["p_amputee", "p_control", "p_parkinsons"]
    assert ((probabilities.sum(axis=1) - 1).abs() < 1e-4).all()
    assert set(frame["actual"]) == {"amputee", "control", "parkinsons"}
    cards = sorted((tmp_path / "out" / "cards").glob("*.md"))
    assert len(cards) == len(frame)
    assert "a new recording predicted by" in cards[0].read_text()
    assert "| angle | % of gait cycle |" in cards[0].read_text()
    printed = result.render()
    assert f"{len(frame)} samples predicted" in printed and "predicted" in printed


def test_an_unlabelled_recording_is_predicted_without_actual(trained, tiny_settings, tmp_path):
    _, path = new_cohort(tiny_settings, tmp_path, columns=["group"])
    model = str(trained.models_dir / "final.pt")
    result = predict_file(trained.root, tiny_settings, path, model, tmp_path / "out")
    assert "actual" not in result.frame and len(result.frame) > 0


def test_a_recording_without_the_model_s_curves_is_refused_by_name(
    trained, tiny_settings, tmp_path
):
    _, path = new_cohort(tiny_settings, tmp_path, curve="knee")
    model = str(trained.models_dir / "final.pt")
    with pytest.raises(RecordingMismatch, match=r"lacks 2 of the model's 8 curves, e\.g\. L/knee"):
        predict_file(trained.root, tiny_settings, path, model, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_labels_the_model_never_saw_are_refused(trained, tiny_settings, tmp_path):
    table, _ = new_cohort(tiny_settings, tmp_path)
    path = tmp_path / "other.csv"
    write_csv(path, table.assign(group="stroke"))
    allowed = [
        *tiny_settings.validate_.groups,
        "stroke",
    ]  # the gate allows it; the model never saw it
    settings = tiny_settings.model_copy(
        update={"validate_": tiny_settings.validate_.model_copy(update={"groups": allowed})}
    )
    model = str(trained.models_dir / "final.pt")
    with pytest.raises(RecordingMismatch, match=r"labels \['stroke'\] are not among"):
        predict_file(trained.root, settings, path, model, tmp_path / "o")


def test_a_recording_that_fails_the_gate_predicts_nothing(trained, tiny_settings, tmp_path):
    table, _ = new_cohort(tiny_settings, tmp_path)
    path = tmp_path / "bad.csv"
    write_csv(path, table.assign(angle=table["angle"] + 400.0))
    with pytest.raises(ValidationFailed, match="nothing was predicted"):
        predict_file(
            trained.root, tiny_settings, path, str(trained.models_dir / "final.pt"), tmp_path / "o"
        )
    assert not (tmp_path / "o").exists()
