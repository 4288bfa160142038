"""Helpers shared by the tests."""

import copy

TINY_PARAMS: dict = {
    "data": {"source": "synthetic", "fallback": None, "download": False},
    "synthetic": {
        "subjects_per_group": 4,
        "curves": ["hip/sagittal", "knee/sagittal", "ankle/sagittal", "pelvis/frontal"],
        "group_effect": 0.3,
        "noise_deg": 1.0,
        "seed": 3,
    },
    "train": {"folds": 2, "model": "resnet1d"},  # a deep model: every explainer applies
    "models": {
        "resnet1d": {"filters": 8, "blocks": 1, "kernel_size": 5, "max_epochs": 4, "batch_size": 8},
        "lstm": {"hidden": 8, "max_epochs": 2, "batch_size": 8},
        "inception_time": {"filters": 4, "depth": 3, "max_epochs": 2, "batch_size": 8},
        "mlp": {"hidden": [16], "max_epochs": 2, "batch_size": 8},
        "sdnn": {"max_epochs": 2, "batch_size": 512},
        "minirocket": {"kernels": 840},  # the baselines, small (the same code paths)
        "multirocket": {"kernels": 840},
        "gradient_boosting": {"max_iter": 20},
        "dffn": {
            "factorisation": 32,
            "interaction": [16, 8],
            "nonlinear": [8],
            "max_epochs": 2,
            "batch_size": 512,
        },
    },
    "explain": {
        # an attribution method, a perturbation method and an example-based one
        "methods": ["integrated_gradients", "feature_ablation", "counterfactual"],
        "options": {
            "integrated_gradients": {"n_steps": 8},
            "feature_ablation": {},
            "counterfactual": {"steps": 50},
        },
    },
}


def reproduced_params() -> dict:
    """The tiny params of the session's project reproduced by `dvc repro` (a process per stage
    address): two methods, an attribution one and a perturbation one, show the per-method
    stages. What each method computes, the example-based one included, is tested in-process
    (tests/stages/test_stages_in_process.py)."""
    params = copy.deepcopy(TINY_PARAMS)
    params["explain"]["methods"] = ["integrated_gradients", "feature_ablation"]
    del params["explain"]["options"]["counterfactual"]
    return params


def quick_after_train() -> dict:
    """The tiny params with the linear model (no baselines beside it), one explainer and two
    scores, for tests about running retrains (failures, fallbacks, a user's file), not about
    what the stages compute."""
    params = copy.deepcopy(TINY_PARAMS)
    params["train"] = {**params["train"], "model": "linear", "baselines": False}
    params["explain"] = {"methods": ["feature_ablation"]}
    params["score"] = {"scores": ["deletion", "sparseness"]}
    return params
