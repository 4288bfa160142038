"""Helpers shared by the tests."""

TINY_PARAMS: dict = {
    "data": {"source": "synthetic", "fallback": None, "download": False},
    "synthetic": {
        "subjects_per_group": 4,
        "curves": ["hip/sagittal", "knee/sagittal", "ankle/sagittal", "pelvis/frontal"],
        "group_effect": 0.3,
        "noise_deg": 1.0,
        "seed": 3,
    },
    "train": {
        "folds": 2,
        "max_epochs": 4,
        "batch_size": 8,
        "resnet1d": {"filters": 8, "blocks": 1, "kernel_size": 5},
    },
    "explain": {"n_steps": 8},
}

# The same cohort for a pipeline run outside this process (DVC reads it from params.yaml).
TINY_PARAMS_FOR_DVC: dict = {**TINY_PARAMS, "data": {**TINY_PARAMS["data"], "csv_path": None}}
