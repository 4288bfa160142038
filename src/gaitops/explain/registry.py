"""Every explainer, by name. Adding one: a module gaitops/explain/methods/NAME.py ending with
``EXPLAINER = TheClass``, plus its name here (and its defaults in params.yaml's explain.options).

An explainer's module is imported only when it is asked for, so explain@NAME and score@NAME load
(and DVC tracks) only their own method's code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from gaitops.errors import check_registered
from gaitops.tasks import Task

if TYPE_CHECKING:
    from gaitops.explain.base import Explainer

EXPLAINER_NAMES: tuple[str, ...] = (
    "integrated_gradients",
    "deeplift",
    "gradient_shap",
    "saliency",
    "feature_ablation",
    "angle_ablation",
    "lime",
    "contrastive",
    "counterfactual",
    "nearest_unlike_swap",
)


def get_explainer(name: str) -> type[Explainer]:
    """The explainer `name` (its module is imported now)."""
    check_registered(EXPLAINER_NAMES, name, "explain.methods")
    explainer: type[Explainer] = importlib.import_module(
        f"gaitops.explain.methods.{name}"
    ).EXPLAINER
    return explainer


def all_explainers() -> dict[str, type[Explainer]]:
    """Every registered explainer by name (imports them all)."""
    return {name: get_explainer(name) for name in EXPLAINER_NAMES}


def check_explain_options(methods: list[str], options: dict[str, dict[str, object]]) -> None:
    """Each listed method is registered and its ``explain.options`` entry fits its options
    model (the first problem as a ConfigError), before any stage runs."""
    for method in methods:
        get_explainer(method).validated_options(dict(options.get(method, {})))


def applicability(explainer: type[Explainer], task: Task, model: str) -> str | None:
    """Why `explainer` does not apply to `task` and `model` (None: it applies)."""
    from gaitops.models.registry import get_model

    if not explainer.applies_to(task):
        return (
            f"{explainer.name} applies to {sorted(explainer.input_kinds)} inputs and "
            f"{sorted(explainer.objectives)}; {task.name} is {task.input_kind} {task.objective}"
        )
    if explainer.needs_gradients and not get_model(model).differentiable:
        return f"{explainer.name} needs input gradients, which {model} does not give"
    return None
