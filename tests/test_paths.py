from pathlib import Path

from gaitops.paths import PREDICTIONS_FILE, Paths, fold_model_name


def test_the_files_train_writes_and_explain_score_compare_read_are_named_once():
    paths = Paths(Path("/project"))
    assert paths.fold_model(3) == Path("/project/data/models") / fold_model_name(3)
    assert paths.fold_model(3).name == "fold_3.pt"
    assert (
        paths.predictions
        == paths.models_dir / PREDICTIONS_FILE
        == Path("/project/data/models/predictions.csv")
    )
