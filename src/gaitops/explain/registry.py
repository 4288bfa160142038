"""Every explainer, by name. Adding one: a module with an Explainer subclass, plus one line here."""

from __future__ import annotations

from gaitops.errors import ConfigError
from gaitops.explain.base import Explainer
from gaitops.explain.contrastive import Contrastive
from gaitops.explain.counterfactual import GradientCounterfactual
from gaitops.explain.deeplift import DeepLift
from gaitops.explain.feature_ablation import AngleAblation, FeatureAblation
from gaitops.explain.gradient_shap import GradientShap
from gaitops.explain.integrated_gradients import IntegratedGradients
from gaitops.explain.lime import Lime
from gaitops.explain.native_guide import NearestUnlikeSwap
from gaitops.explain.saliency import Saliency
from gaitops.models.registry import get_model
from gaitops.tasks import Task

EXPLAINERS: dict[str, type[Explainer]] = {
    cls.name: cls
    for cls in (
        IntegratedGradients,
        DeepLift,
        GradientShap,
        Saliency,
        FeatureAblation,
        AngleAblation,
        Lime,
        Contrastive,
        GradientCounterfactual,
        NearestUnlikeSwap,
    )
}


def get_explainer(name: str) -> type[Explainer]:
    try:
        return EXPLAINERS[name]
    except KeyError:
        raise ConfigError(
            f"explain.methods: {name!r} is not one of {sorted(EXPLAINERS)}."
        ) from None


def applicability(explainer: type[Explainer], task: Task, model: str) -> str | None:
    """Why `explainer` does not apply to `task` and `model` (None: it applies)."""
    if not explainer.applies_to(task):
        return (
            f"{explainer.name} applies to {sorted(explainer.input_kinds)} inputs and "
            f"{sorted(explainer.objectives)}; {task.name} is {task.input_kind} {task.objective}"
        )
    if explainer.needs_gradients and not get_model(model).differentiable:
        return f"{explainer.name} needs input gradients, which {model} does not give"
    return None
