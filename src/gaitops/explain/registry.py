"""Every explainer, by name. Adding one: a module with an Explainer subclass, plus one line here."""

from __future__ import annotations

from gaitops.errors import ConfigError
from gaitops.explain.base import Explainer
from gaitops.explain.integrated_gradients import IntegratedGradients
from gaitops.explain.saliency import Saliency

EXPLAINERS: dict[str, type[Explainer]] = {
    IntegratedGradients.name: IntegratedGradients,
    Saliency.name: Saliency,
}


def get_explainer(name: str) -> type[Explainer]:
    try:
        return EXPLAINERS[name]
    except KeyError:
        raise ConfigError(f"explain.method: {name!r} is not one of {sorted(EXPLAINERS)}.") from None
